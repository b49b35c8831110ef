using System.Linq;
using PortTools.Models;

namespace PortTools.Formatting
{
    /// <summary>The cells of Get-RouteTable's views (netstat -rn, Compact, Format-List), live or deserialized.</summary>
    public static class RouteText
    {
        /// <summary>netstat's Destination: the network address of the prefix, without its length.</summary>
        public static string Destination(object? route)
        {
            string prefix = DisplayText.Escape(ViewProperty.Get(route, nameof(RouteEntry.DestinationPrefix)));
            int slash = prefix.IndexOf('/');
            return slash < 0 ? prefix : prefix.Substring(0, slash);
        }

        /// <summary>netstat's Gateway: the next hop, or * when the destination is on the link.</summary>
        public static string Gateway(object? route) => OnLinkAsStar(ViewProperty.Text(route, nameof(RouteEntry.NextHop)));

        /// <summary>netstat's Iface: the interface, or * for a route without one (blackhole).</summary>
        public static string Interface(object? route)
        {
            string name = DisplayText.Escape(ViewProperty.Get(route, nameof(RouteEntry.InterfaceAlias)));
            return name.Length == 0 ? "*" : name;
        }

        /// <summary>The Compact view's NextHop: every gateway of a multipath route, else the one next hop.</summary>
        public static string NextHops(object? route)
        {
            object[] hops = ViewProperty.Items(route, nameof(RouteEntry.NextHops));
            return hops.Length > 1
                ? string.Join(", ", hops.Select(hop => DisplayText.Escape(ViewProperty.Get(hop, nameof(RouteNextHop.NextHop)))))
                : DisplayText.Escape(ViewProperty.Get(route, nameof(RouteEntry.NextHop)));
        }

        /// <summary>Every path as `ip route` writes it ("via 10.0.0.1 dev eth0 weight 1"), "; " apart.</summary>
        public static string Paths(object? route) =>
            string.Join("; ", ViewProperty.Items(route, nameof(RouteEntry.NextHops)).Select(DisplayText.Escape));

        private static string OnLinkAsStar(string nextHop) => nextHop == "0.0.0.0" || nextHop == "::" ? "*" : DisplayText.Escape(nextHop);
    }
}
