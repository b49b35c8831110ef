using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using PortTools.Models;
using static PortTools.Platform.MacOS.RoutingMessages;

namespace PortTools.Platform.MacOS
{
    /// <summary>A route of the NET_RT_DUMP2 table with the rtm_flags the model does not keep.</summary>
    internal sealed class MacRoute
    {
        internal MacRoute(RouteEntry entry, int flags, int parentFlags)
        {
            Entry = entry;
            Flags = flags;
            ParentFlags = parentFlags;
        }

        internal RouteEntry Entry { get; }

        /// <summary>rtm_flags (RTF_*).</summary>
        internal int Flags { get; }

        /// <summary>rtm_parentflags: the flags of the route this one was cloned from.</summary>
        internal int ParentFlags { get; }

        /// <summary>A per-destination clone of a protocol-cloning route, which netstat -rn leaves out unless -a.</summary>
        internal bool IsProtocolClone => (Flags & RouteDumpDecoder.RTF_WASCLONED) != 0 && (ParentFlags & RouteDumpDecoder.RTF_PRCLONING) != 0;

        /// <summary>Bound to its interface (netstat's "I"): only a lookup scoped to that interface can match it.</summary>
        internal bool IsInterfaceScoped => (Flags & RouteDumpDecoder.RTF_IFSCOPE) != 0;
    }

    /// <summary>
    /// Decodes the NET_RT_DUMP2 routing table dump, as netstat -rn walks it (network_cmds netstat.tproj/route.c
    /// routepr, np_rtentry; docs/dev/platform-layouts.md, "Routes: NET_RT_DUMP2"): RTM_GET2 messages, each a 92-byte
    /// rt_msghdr2 and its sockaddrs. Pure: bytes in, routes out.
    /// </summary>
    internal static class RouteDumpDecoder
    {
        internal const byte RTM_GET2 = 0x14;
        internal const int HeaderLength = 92;

        // bsd/net/route.h
        internal const int RTF_GATEWAY = 0x2, RTF_HOST = 0x4, RTF_REJECT = 0x8, RTF_DYNAMIC = 0x10, RTF_STATIC = 0x800,
            RTF_BLACKHOLE = 0x1000, RTF_PRCLONING = 0x10000, RTF_WASCLONED = 0x20000, RTF_LOCAL = 0x200000,
            RTF_BROADCAST = 0x400000, RTF_MULTICAST = 0x800000, RTF_IFSCOPE = 0x1000000;

        /// <summary>
        /// Every IPv4 and IPv6 route in the first <paramref name="length"/> bytes, named by <paramref name="names"/>
        /// (interface index to name). Other messages and routes of other families are skipped.
        /// </summary>
        /// <exception cref="InvalidDataException">A message or sockaddr is cut short, or a netmask is not a prefix.</exception>
        internal static List<MacRoute> Decode(byte[] buffer, int length, IReadOnlyDictionary<int, string> names)
        {
            var routes = new List<MacRoute>();
            foreach (var (offset, messageLength) in Messages(buffer, length, RTM_GET2, HeaderLength, "rt_msghdr2"))
            {
                if (DecodeMessage(buffer, offset, offset + messageLength, names) is MacRoute route) routes.Add(route);
            }
            return routes;
        }

        // rt_msghdr2: rtm_index u16 @4, rtm_flags i32 @8, rtm_addrs i32 @12, rtm_parentflags i32 @20; sockaddrs from @92.
        private static MacRoute? DecodeMessage(byte[] b, int p, int end, IReadOnlyDictionary<int, string> names)
        {
            int flags = ByteReader.Int32LittleEndian(b, p + 8);
            int[] at = Sockaddrs(b, p + HeaderLength, end, ByteReader.Int32LittleEndian(b, p + 12), "rt_msghdr2");
            int dst = at[RTAX_DST];
            byte family = dst < 0 ? (byte)0 : Family(b, dst);
            if (family != AF_INET && family != AF_INET6) return null; // no destination, or not IP
            bool v4 = family == AF_INET;
            int addressLength = v4 ? 4 : 16;
            int addressAt = v4 ? 4 : 8; // sin_addr, sin6_addr

            var (destination, destinationScope) = Address(b, dst, family);
            // The radix tree keys a route without a netmask as a host route, and so does the lookup.
            int prefixLength = (flags & RTF_HOST) != 0 || at[RTAX_NETMASK] < 0
                ? addressLength * 8
                : PrefixLength(Bytes(b, at[RTAX_NETMASK], addressAt, addressLength), p);

            // The interface: rtm_index, else a direct route's link#N, else the scope of its address.
            int index = ByteReader.UInt16LittleEndian(b, p + 4);
            int gateway = at[RTAX_GATEWAY];
            byte gatewayFamily = gateway < 0 ? (byte)0 : Family(b, gateway);
            if (index == 0 && gatewayFamily == AF_LINK) index = ByteReader.UInt16LittleEndian(b, gateway + 2); // sdl_index @2
            if (index == 0) index = (int)destinationScope;

            string onLink = v4 ? "0.0.0.0" : "::";
            string nextHop = (flags & RTF_GATEWAY) != 0 && (gatewayFamily == AF_INET || gatewayFamily == AF_INET6)
                ? Address(b, gateway, gatewayFamily).Address.ToString()
                : onLink; // an AF_LINK gateway (link#N, or a neighbour's hardware address) is on the link
            string? alias = names.TryGetValue(index, out string? name) ? name : null;
            int ifa = at[RTAX_IFA];
            byte ifaFamily = ifa < 0 ? (byte)0 : Family(b, ifa);

            return new MacRoute(new RouteEntry
            {
                AddressFamily = v4 ? IPVersion.IPv4 : IPVersion.IPv6,
                DestinationPrefix = $"{destination}/{prefixLength}",
                PrefixLength = prefixLength,
                NextHop = nextHop,
                InterfaceIndex = index,
                InterfaceAlias = alias,
                // xnu routes have no metric (rt_metrics has none): all rank alike, by prefix alone.
                RouteMetric = 0,
                Protocol = ProtocolOf(flags),
                Scope = ScopeOf(flags),
                Type = TypeOf(flags),
                // The interface address the route sends from (RTAX_IFA), which netstat -rnl shows as Ifa.
                PreferredSource = ifaFamily == AF_INET || ifaFamily == AF_INET6 ? Address(b, ifa, ifaFamily).Address.ToString() : null,
                NextHops = index == 0 && nextHop == onLink ? Array.Empty<RouteNextHop>() : new[] { new RouteNextHop(nextHop, index, alias, 1) },
            }, flags, ByteReader.Int32LittleEndian(b, p + 20));
        }

        /// <summary>
        /// The address of an AF_INET (sin_addr @4) or AF_INET6 (sin6_addr @8) sockaddr, without any embedded scope,
        /// and its scope: the embedded index, else sin6_scope_id @24.
        /// </summary>
        private static (IPAddress Address, uint Scope) Address(byte[] b, int sockaddr, byte family)
        {
            if (family == AF_INET) return (new IPAddress(Bytes(b, sockaddr, 4, 4)), 0);
            byte[] bytes = Bytes(b, sockaddr, 8, 16);
            uint scope = EmbeddedScope.Take(bytes);
            if (scope == 0) scope = ByteReader.UInt32LittleEndian(Bytes(b, sockaddr, 24, 4), 0);
            return (new IPAddress(bytes), scope); // no zone in the text, as the other backends write addresses
        }

        /// <summary>The number of leading one bits of a netmask, which must be a prefix (netstat's netname6 calls others illegal).</summary>
        private static int PrefixLength(byte[] mask, int message)
        {
            int length = 0;
            while (length < mask.Length * 8 && (mask[length / 8] & 0x80 >> length % 8) != 0) length++;
            for (int bit = length; bit < mask.Length * 8; bit++)
            {
                if ((mask[bit / 8] & 0x80 >> bit % 8) != 0)
                    throw new InvalidDataException($"rt_msghdr2 at offset {message} has netmask {BitConverter.ToString(mask)}, which is not a prefix.");
            }
            return length;
        }

        /// <summary>RTF_* as the model's route types: reject and blackhole first, as they override the rest.</summary>
        private static RouteType TypeOf(int flags) =>
            (flags & RTF_BLACKHOLE) != 0 ? RouteType.Blackhole
            : (flags & RTF_REJECT) != 0 ? RouteType.Unreachable
            : (flags & RTF_LOCAL) != 0 ? RouteType.Local
            : (flags & RTF_BROADCAST) != 0 ? RouteType.Broadcast
            : (flags & RTF_MULTICAST) != 0 ? RouteType.Multicast
            : RouteType.Unicast;

        /// <summary>Static for `route add` and configd (RTF_STATIC), Redirect for RTF_DYNAMIC, else the kernel's own.</summary>
        private static RouteProtocol ProtocolOf(int flags) =>
            (flags & RTF_DYNAMIC) != 0 ? RouteProtocol.Redirect
            : (flags & RTF_STATIC) != 0 ? RouteProtocol.Static
            : RouteProtocol.Kernel;

        /// <summary>As Linux scopes its routes: this host's addresses, routes through a gateway (or nowhere), and the attached links.</summary>
        private static RouteScope ScopeOf(int flags) =>
            (flags & RTF_LOCAL) != 0 ? RouteScope.Host
            : (flags & (RTF_GATEWAY | RTF_REJECT | RTF_BLACKHOLE)) != 0 ? RouteScope.Global
            : RouteScope.Link;
    }
}
