using System;
using System.Globalization;
using System.Linq;
using System.Net;

namespace PortTools.Models
{
    /// <summary>
    /// One route of the kernel's routing tables. Property names follow Get-NetRoute (DestinationPrefix,
    /// NextHop, InterfaceAlias, InterfaceIndex, RouteMetric); addresses are text so CSV and JSON read the same.
    /// Properties a source cannot tell (protocol and scope from /proc/net/route) are empty.
    /// </summary>
    /// <remarks>
    /// For -Destination it is the kernel's answer, as `ip route get ADDRESS` prints it: the host prefix of the
    /// address, the type (Unicast, Local, Broadcast, Multicast), the one next hop, interface and source address
    /// the kernel chose, and in <see cref="MatchedRoute"/> the table entry that matched, with all its paths.
    /// </remarks>
    public sealed class RouteEntry
    {
        /// <summary>CIDR prefix, e.g. 0.0.0.0/0, 10.0.0.0/24, ::1/128.</summary>
        public string DestinationPrefix { get; internal init; } = "";

        /// <summary>Prefix length of <see cref="DestinationPrefix"/> (0-32 or 0-128).</summary>
        public int PrefixLength { get; internal init; }

        /// <summary>
        /// Gateway of the first path (for -Destination, the path the kernel chose); 0.0.0.0 or :: when the
        /// destination is on the link.
        /// </summary>
        public string NextHop { get; internal init; } = "";

        /// <summary>Outgoing interface of the first path (for -Destination, the kernel's choice).</summary>
        public string? InterfaceAlias { get; internal init; }

        /// <summary>Index of <see cref="InterfaceAlias"/>; 0 when the route has none (blackhole).</summary>
        public int InterfaceIndex { get; internal init; }

        /// <summary>Metric (priority): among equal prefixes the lowest wins.</summary>
        public uint RouteMetric { get; internal init; }

        public IPVersion AddressFamily { get; internal init; }

        /// <summary>Who installed the route: Kernel, Boot, Static, Dhcp, Ra, ...</summary>
        public RouteProtocol Protocol { get; internal init; }

        /// <summary>Scope of the destination; empty when the source does not tell.</summary>
        public RouteScope? Scope { get; internal init; }

        public RouteType Type { get; internal init; }

        /// <summary>Routing table id (254 main, 255 local, 253 default); empty when the source does not tell.</summary>
        public uint? Table { get; internal init; }

        /// <summary>netstat -rn's Genmask: the IPv4 mask (255.255.255.0), or the prefix length of an IPv6 route (/64).</summary>
        public string Genmask => AddressFamily == IPVersion.IPv6
            ? "/" + PrefixLength.ToString(CultureInfo.InvariantCulture)
            : new System.Net.IPAddress(BitConverter.GetBytes(System.Net.IPAddress.HostToNetworkOrder(
                PrefixLength <= 0 ? 0 : unchecked((int)(uint.MaxValue << (32 - Math.Min(32, PrefixLength))))))).ToString();

        /// <summary>
        /// netstat -rn's Flags: U (up) or ! (reject: unreachable, prohibit, blackhole), G when there is a gateway,
        /// H for a host route (/32, /128).
        /// </summary>
        public string Flags =>
            (Type == RouteType.Unreachable || Type == RouteType.Prohibit || Type == RouteType.Blackhole ? "!" : "U")
            + (NextHop.Length > 0 && NextHop != "0.0.0.0" && NextHop != "::" ? "G" : "")
            + (PrefixLength == (AddressFamily == IPVersion.IPv6 ? 128 : 32) ? "H" : "");

        /// <summary>main, local, default, or the table number.</summary>
        public string? TableName => Table is uint id ? RouteTables.NameOf(id) : null;

        /// <summary>
        /// Source address the kernel prefers for packets on this route; for -Destination, the source address the
        /// kernel picks for that destination (as `ip route get` shows it).
        /// </summary>
        public string? PreferredSource { get; internal init; }

        /// <summary>Every path: one for an ordinary route, several for a multipath (ECMP) route, none for blackhole-like types.</summary>
        public RouteNextHop[] NextHops { get; internal init; } = Array.Empty<RouteNextHop>();

        /// <summary>
        /// For -Destination: the routing table entry the lookup matched, with its prefix, table, protocol, metric
        /// and every path (`ip route get fibmatch ADDRESS`); empty for listed routes and when the OS does not tell.
        /// </summary>
        public RouteEntry? MatchedRoute { get; internal init; }

        /// <summary>
        /// The network namespace the route is in, as -NetworkNamespace named it: a name under /run/netns or a process
        /// id. Empty for the caller's own namespace.
        /// </summary>
        public string? NetworkNamespace { get; internal init; }

        /// <summary>Built by an object initializer, in the decoders.</summary>
        public RouteEntry()
        {
        }

        /// <summary>A copy of <paramref name="route"/> (and of its matched route) marked with the namespace it was read in.</summary>
        private RouteEntry(RouteEntry route, string networkNamespace)
        {
            DestinationPrefix = route.DestinationPrefix;
            PrefixLength = route.PrefixLength;
            NextHop = route.NextHop;
            InterfaceAlias = route.InterfaceAlias;
            InterfaceIndex = route.InterfaceIndex;
            RouteMetric = route.RouteMetric;
            AddressFamily = route.AddressFamily;
            Protocol = route.Protocol;
            Scope = route.Scope;
            Type = route.Type;
            Table = route.Table;
            PreferredSource = route.PreferredSource;
            NextHops = route.NextHops;
            MatchedRoute = route.MatchedRoute?.InNamespace(networkNamespace);
            NetworkNamespace = networkNamespace;
        }

        /// <summary>This route as read in another network namespace (-NetworkNamespace): a new object.</summary>
        internal RouteEntry InNamespace(string networkNamespace) => new RouteEntry(this, networkNamespace);

        /// <summary>As `ip route` prints it: type unless unicast, prefix, paths, metric.</summary>
        public override string ToString()
        {
            string type = Type == RouteType.Unicast ? "" : Type.ToString().ToLowerInvariant() + " ";
            string paths = NextHops.Length > 1
                ? string.Join(" ", NextHops.Select(h => "nexthop " + h))
                : $"via {NextHop} dev {InterfaceAlias}";
            return $"{type}{DestinationPrefix} {paths} metric {RouteMetric.ToString(CultureInfo.InvariantCulture)}";
        }

        /// <summary>
        /// The answer to a lookup where the OS gives only the table entry (Windows GetBestRoute2, the /proc
        /// fallback): the host route to <paramref name="destination"/> through <paramref name="hop"/>, with
        /// <paramref name="matched"/> as <see cref="MatchedRoute"/>.
        /// </summary>
        internal static RouteEntry ForDestination(IPAddress destination, RouteEntry matched, RouteNextHop? hop, string? source)
        {
            int length = destination.GetAddressBytes().Length * 8;
            string onLink = length == 32 ? "0.0.0.0" : "::";
            return new RouteEntry
            {
                DestinationPrefix = $"{new IPAddress(destination.GetAddressBytes())}/{length}",
                PrefixLength = length,
                NextHop = hop?.NextHop ?? onLink,
                InterfaceAlias = hop?.InterfaceAlias,
                InterfaceIndex = hop?.InterfaceIndex ?? 0,
                RouteMetric = matched.RouteMetric,
                AddressFamily = matched.AddressFamily,
                Protocol = matched.Protocol,
                Scope = matched.Scope,
                Type = matched.Type,
                Table = matched.Table,
                PreferredSource = source ?? matched.PreferredSource,
                NextHops = hop == null ? Array.Empty<RouteNextHop>() : new[] { new RouteNextHop(hop.NextHop, hop.InterfaceIndex, hop.InterfaceAlias, 1) },
                MatchedRoute = matched,
            };
        }
    }

    /// <summary>The routing table names every Linux system has (linux/rtnetlink.h, enum rt_class_t).</summary>
    internal static class RouteTables
    {
        internal const uint Default = 253, Main = 254, Local = 255;

        internal static string NameOf(uint id) => id switch
        {
            Default => "default",
            Main => "main",
            Local => "local",
            _ => id.ToString(CultureInfo.InvariantCulture),
        };

        /// <summary>Parses "main", "local", "default" or a number.</summary>
        internal static bool TryParse(string text, out uint id)
        {
            switch (text.Trim().ToLowerInvariant())
            {
                case "default": id = Default; return true;
                case "main": id = Main; return true;
                case "local": id = Local; return true;
                default: return uint.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != 0;
            }
        }
    }
}
