using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// The fallback route source: /proc/net/route (IPv4, main table only; net/ipv4/fib_trie.c,
    /// fib_route_seq_show) and /proc/net/ipv6_route (every IPv6 table, no table id; net/ipv6/ip6_fib.c,
    /// ipv6_route_native_seq_show). Neither file tells the protocol or the scope. Pure: text in, routes out, by the
    /// policy of <see cref="ProcText"/>.
    /// </summary>
    internal static class ProcRouteParser
    {
        // include/uapi/linux/route.h and ipv6_route.h
        private const uint RTF_GATEWAY = 0x2, RTF_REJECT = 0x200, RTF_ANYCAST = 0x00100000,
            RTF_CACHE = 0x01000000, RTF_LOCAL = 0x80000000;

        // The columns read below, as the header names them (MTU, Window and IRTT follow).
        private static readonly string[] RouteColumns = { "Iface", "Destination", "Gateway", "Flags", "RefCnt", "Use", "Metric", "Mask" };

        /// <summary>Parses /proc/net/route: "Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT".</summary>
        internal static IEnumerable<RouteEntry> ParseRoute(TextReader text, InterfaceNames names, string file, ListingDiagnostics diagnostics) =>
            ProcText.ReadHeader(text, file, header => ProcText.Words(header).Take(RouteColumns.Length).SequenceEqual(RouteColumns), string.Join(" ", RouteColumns) + " ...")
                ? ProcText.ParseEach(ProcText.Lines(text), file, diagnostics, line => ParseRouteLine(line, names))
                : Enumerable.Empty<RouteEntry>();

        private static RouteEntry ParseRouteLine(string line, InterfaceNames names)
        {
            string[] f = ProcText.Words(line);
            if (f.Length < RouteColumns.Length) throw new FormatException($"{ProcText.Quote(line)} has {f.Length} fields, expected 11.");
            byte[] destination = Ipv4(f[1]);
            var gateway = new IPAddress(Ipv4(f[2]));
            uint flags = Hex(f[3]);
            uint mask = Hex(f[7]);
            int prefix = PopCount(mask);
            // The kernel prints "*" for a route without a device: a blackhole (unreachable and prohibit
            // routes carry RTF_REJECT instead; fib_flag_trans).
            bool noDevice = f[0] == "*";
            int index = noDevice ? 0 : names.IndexOf(f[0]);
            RouteType type = (flags & RTF_REJECT) != 0 ? RouteType.Unreachable : noDevice ? RouteType.Blackhole : RouteType.Unicast;
            string nextHop = (flags & RTF_GATEWAY) != 0 ? gateway.ToString() : "0.0.0.0";
            return Route(IPVersion.IPv4, new IPAddress(destination), prefix, nextHop,
                noDevice ? null : f[0], index, Decimal(f[6]),
                type, RouteTables.Main);
        }

        /// <summary>
        /// Parses /proc/net/ipv6_route (no header): "dest plen src plen nexthop metric refcnt use flags device", addresses
        /// as 32 hex digits in network order. Cached clones (RTF_CACHE) are skipped, as `ip -6 route` skips them.
        /// </summary>
        internal static IEnumerable<RouteEntry> ParseIpv6Route(TextReader text, InterfaceNames names, string file, ListingDiagnostics diagnostics) =>
            ProcText.ParseEach(ProcText.Lines(text), file, diagnostics, line => ParseIpv6RouteLine(line, names)).OfType<RouteEntry>();

        // Null for a line that is no route of the table (a cached clone, the null entry).
        private static RouteEntry? ParseIpv6RouteLine(string line, InterfaceNames names)
        {
            string[] f = ProcText.Words(line);
            if (f.Length < 10) throw new FormatException($"{ProcText.Quote(line)} has {f.Length} fields, expected 10.");
            uint flags = Hex(f[8]);
            if ((flags & RTF_CACHE) != 0) return null;
            // Each table lists the kernel's fib6_null_entry (::/0, reject, metric 0xffffffff); rtnetlink
            // dumps skip it (net/ipv6/route.c, rt6_dump_route), so skip it here too.
            if ((flags & RTF_REJECT) != 0 && Hex(f[5]) == uint.MaxValue && Hex(f[1]) == 0) return null;
            byte[] destination = Ipv6(f[0]);
            // The file has no type: RTF_* flags tell local, anycast and reject (blackhole, unreachable and
            // prohibit alike); a multicast prefix (ff00::/8) is a multicast route.
            RouteType type = (flags & RTF_LOCAL) != 0 ? RouteType.Local
                : (flags & RTF_ANYCAST) != 0 ? RouteType.Anycast
                : (flags & RTF_REJECT) != 0 ? RouteType.Unreachable
                : destination[0] == 0xff ? RouteType.Multicast
                : RouteType.Unicast;
            // As rtnetlink's rtm_dst_len: a prefix longer than the address is a malformed line.
            uint prefix = Hex(f[1]);
            if (prefix > 128) throw new FormatException($"{ProcText.Quote(line)} has prefix length {prefix}.");
            var nextHop = new IPAddress(Ipv6(f[4]));
            return Route(IPVersion.IPv6, new IPAddress(destination), (int)prefix,
                (flags & RTF_GATEWAY) != 0 ? nextHop.ToString() : "::",
                f[9], names.IndexOf(f[9]), Hex(f[5]), type, table: null);
        }

        private static RouteEntry Route(IPVersion family, IPAddress destination, int prefix, string nextHop,
            string? device, int index, uint metric, RouteType type, uint? table)
        {
            RouteNextHop[] hops = device == null ? Array.Empty<RouteNextHop>() : new[] { new RouteNextHop(nextHop, index, device, 1) };
            return new RouteEntry
            {
                AddressFamily = family,
                DestinationPrefix = $"{destination}/{prefix}",
                PrefixLength = prefix,
                NextHop = nextHop,
                InterfaceAlias = device,
                InterfaceIndex = index,
                RouteMetric = metric,
                Type = type,
                Table = table,
                NextHops = hops,
            };
        }

        // "%08X" of a __be32 read as a host (little-endian) integer: the text is byte-reversed (010200C0 = 192.0.2.1).
        private static byte[] Ipv4(string hex)
        {
            uint value = Hex(hex);
            return new[] { (byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24) };
        }

        // "%pi6": 32 hex digits in network order, no per-word swap.
        private static byte[] Ipv6(string hex)
        {
            if (hex.Length != 32) throw new FormatException($"'{hex}' is not a 32-digit IPv6 address.");
            var bytes = new byte[16];
            for (int i = 0; i < 16; i++)
                bytes[i] = byte.Parse(hex.Substring(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            return bytes;
        }

        private static uint Hex(string text) =>
            uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)
                ? value : throw new FormatException($"'{text}' is not a hexadecimal number.");

        // TryParse: a number past 2^32 - 1 is a malformed line (FormatException), not an OverflowException.
        private static uint Decimal(string text) =>
            uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint value)
                ? value : throw new FormatException($"'{text}' is not a decimal number below 2^32.");

        private static int PopCount(uint value)
        {
            int count = 0;
            for (; value != 0; value &= value - 1) count++;
            return count;
        }
    }
}
