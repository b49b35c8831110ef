using System;
using System.Globalization;

namespace PortTools
{
    /// <summary>
    /// One route of the kernel's routing tables. Property names follow Get-NetRoute (DestinationPrefix,
    /// NextHop, InterfaceAlias, InterfaceIndex, RouteMetric); addresses are text so CSV and JSON read the same.
    /// Properties a source cannot tell (protocol and scope from /proc/net/route) are empty.
    /// </summary>
    public sealed class RouteEntry
    {
        /// <summary>CIDR prefix, e.g. 0.0.0.0/0, 10.0.0.0/24, ::1/128.</summary>
        public string DestinationPrefix { get; internal set; } = "";

        /// <summary>Prefix length of <see cref="DestinationPrefix"/> (0-32 or 0-128).</summary>
        public int PrefixLength { get; internal set; }

        /// <summary>Gateway of the first path; 0.0.0.0 or :: when the destination is on the link.</summary>
        public string NextHop { get; internal set; } = "";

        /// <summary>Outgoing interface of the first path.</summary>
        public string? InterfaceAlias { get; internal set; }

        /// <summary>Index of the outgoing interface of the first path; 0 when the route has none (blackhole).</summary>
        public int InterfaceIndex { get; internal set; }

        /// <summary>Metric (priority): among equal prefixes the lowest wins.</summary>
        public uint RouteMetric { get; internal set; }

        public IPVersion AddressFamily { get; internal set; }

        /// <summary>Who installed the route: Kernel, Boot, Static, Dhcp, Ra, ...</summary>
        public RouteProtocol Protocol { get; internal set; }

        /// <summary>Scope of the destination; empty when the source does not tell.</summary>
        public RouteScope? Scope { get; internal set; }

        public RouteType Type { get; internal set; }

        /// <summary>Routing table id (254 main, 255 local, 253 default); empty when the source does not tell.</summary>
        public uint? Table { get; internal set; }

        /// <summary>main, local, default, or the table number.</summary>
        public string? TableName => Table is uint id ? RouteTables.NameOf(id) : null;

        /// <summary>
        /// Source address the kernel prefers for packets on this route; for -Destination, the source address the
        /// kernel picks for that destination (as `ip route get` shows it).
        /// </summary>
        public string? PreferredSource { get; internal set; }

        /// <summary>Every path: one for an ordinary route, several for a multipath (ECMP) route, none for blackhole-like types.</summary>
        public RouteNextHop[] NextHops { get; internal set; } = Array.Empty<RouteNextHop>();

        public override string ToString() =>
            $"{DestinationPrefix} via {NextHop} dev {InterfaceAlias} metric {RouteMetric.ToString(CultureInfo.InvariantCulture)}";
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
