namespace PortTools.Models
{
    /// <summary>One path of a route: a gateway (or none, when on-link), the interface, and its share of the traffic.</summary>
    public sealed class RouteNextHop
    {
        internal RouteNextHop(string nextHop, int interfaceIndex, string? interfaceAlias, int weight)
        {
            NextHop = nextHop;
            InterfaceIndex = interfaceIndex;
            InterfaceAlias = interfaceAlias;
            Weight = weight;
        }

        /// <summary>Gateway address; 0.0.0.0 or :: when the destination is on the link (as Get-NetRoute writes it).</summary>
        public string NextHop { get; }

        /// <summary>Index of the outgoing interface; 0 when the route has none.</summary>
        public int InterfaceIndex { get; }

        /// <summary>Name of the outgoing interface.</summary>
        public string? InterfaceAlias { get; }

        /// <summary>Relative weight among the paths of a multipath route (1 for a single path).</summary>
        public int Weight { get; }

        public override string ToString() => $"via {NextHop} dev {InterfaceAlias ?? InterfaceIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)} weight {Weight}";
    }
}
