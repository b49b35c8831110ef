using System.Collections.Generic;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// RTM_GETROUTE requests and RTM_NEWROUTE replies on NETLINK_ROUTE (linux/rtnetlink.h, rtnetlink(7)):
    /// struct rtmsg followed by rtattrs. Pure: bytes in, <see cref="RouteEntry"/> out.
    /// </summary>
    internal static class RtnlRouteDecoder
    {
        internal const ushort RTM_NEWROUTE = 24;
        internal const ushort RTM_GETROUTE = 26;
        internal const byte AF_INET = 2;
        internal const byte AF_INET6 = 10;

        // struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }
        private const int RtmsgLength = 12;
        private const ushort RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_PREFSRC = 7,
            RTA_MULTIPATH = 9, RTA_TABLE = 15, RTA_VIA = 18;
        // rtm_flags: RTM_F_CLONED marks a cached (exception) route, not a table entry; RTM_F_FIB_MATCH asks
        // "ip route get" for the table entry that matched rather than the resolved dst (kernel >= 4.13);
        // RTM_F_LOOKUP_TABLE makes it report the table the policy rules chose instead of main
        // (net/ipv4/route.c, inet_rtm_getroute).
        private const uint RTM_F_CLONED = 0x200, RTM_F_LOOKUP_TABLE = 0x1000, RTM_F_FIB_MATCH = 0x2000;
        // struct rtnexthop { u16 rtnh_len; u8 rtnh_flags; u8 rtnh_hops; s32 rtnh_ifindex; } + rtattrs
        private const int RtnexthopLength = 8;

        /// <summary>A dump of every table of one family (rtm_table 0 = all tables).</summary>
        internal static byte[] DumpRequest(byte family, uint sequence)
        {
            var request = new byte[NetlinkDecoder.HeaderLength + RtmsgLength];
            NetlinkDecoder.WriteDumpHeader(request, RTM_GETROUTE, sequence);
            request[NetlinkDecoder.HeaderLength] = family;
            return request;
        }

        /// <summary>
        /// What `ip route get fibmatch ADDRESS` sends: the kernel runs its own lookup (policy rules, longest
        /// prefix, metric) and answers with the table entry it chose.
        /// </summary>
        /// <remarks>
        /// Without <paramref name="fibMatch"/> it is plain `ip route get`: the answer is the resolved (cloned)
        /// route, with the next hop the kernel picked among the paths of a multipath route, its device, the
        /// source address it picks (RTA_PREFSRC), and rtm_type multicast, broadcast or local where the
        /// destination is one. <paramref name="outputInterface"/> adds RTA_OIF, as `ip route get ... oif DEV`:
        /// the lookup is bound to that interface (what the zone of fe80::1%eth1 means).
        /// </remarks>
        internal static byte[] LookupRequest(IPAddress destination, uint sequence, bool fibMatch = true, int outputInterface = 0)
        {
            byte[] address = destination.GetAddressBytes();
            int h = NetlinkDecoder.HeaderLength;
            int oifAt = h + RtmsgLength + 4 + address.Length;
            var request = new byte[oifAt + (outputInterface != 0 ? 8 : 0)];
            NetlinkDecoder.WriteHeader(request, RTM_GETROUTE, NetlinkDecoder.NLM_F_REQUEST, sequence);
            request[h] = address.Length == 4 ? AF_INET : AF_INET6;
            request[h + 1] = (byte)(address.Length * 8); // rtm_dst_len
            ByteReader.WriteUInt32LittleEndian(request, h + 8, fibMatch ? RTM_F_FIB_MATCH | RTM_F_LOOKUP_TABLE : RTM_F_LOOKUP_TABLE);
            ByteReader.WriteUInt16LittleEndian(request, h + RtmsgLength, (ushort)(4 + address.Length));
            ByteReader.WriteUInt16LittleEndian(request, h + RtmsgLength + 2, RTA_DST);
            Buffer.BlockCopy(address, 0, request, h + RtmsgLength + 4, address.Length);
            if (outputInterface != 0)
            {
                ByteReader.WriteUInt16LittleEndian(request, oifAt, 8);
                ByteReader.WriteUInt16LittleEndian(request, oifAt + 2, RTA_OIF);
                ByteReader.WriteUInt32LittleEndian(request, oifAt + 4, (uint)outputInterface);
            }
            return request;
        }

        /// <summary>
        /// Decodes one RTM_NEWROUTE message; null for other messages, other families, and cached clones unless
        /// <paramref name="acceptCloned"/> (the answer to a plain lookup is one). <paramref name="matchedRoute"/> is the
        /// table entry behind a lookup's answer, kept in <see cref="RouteEntry.MatchedRoute"/>.
        /// </summary>
        internal static RouteEntry? Decode(NetlinkMessage message, InterfaceNames names, bool acceptCloned = false, RouteEntry? matchedRoute = null)
        {
            if (message.Type != RTM_NEWROUTE) return null;
            byte[] b = message.Buffer;
            int p = message.PayloadOffset;
            ByteReader.Require(message.PayloadEnd, p, RtmsgLength, "rtmsg");
            byte family = b[p];
            if (family != AF_INET && family != AF_INET6) return null; // e.g. RTNL_FAMILY_IPMR (multicast routing)
            if (!acceptCloned && (ByteReader.UInt32LittleEndian(b, p + 8) & RTM_F_CLONED) != 0) return null;
            int addressLength = family == AF_INET ? 4 : 16;
            int prefixLength = b[p + 1];
            if (prefixLength > addressLength * 8) throw new FormatException($"rtmsg has rtm_dst_len {prefixLength} for a {addressLength * 8}-bit address.");

            // A missing RTA_DST is the default route.
            byte[] destination = new byte[addressLength];
            string? gateway = null, preferredSource = null;
            int interfaceIndex = 0;
            uint metric = 0, table = b[p + 4];
            var hops = new List<RouteNextHop>();
            foreach (var (type, offset, length) in NetlinkDecoder.Attributes(b, p + RtmsgLength, message.PayloadEnd))
            {
                switch (type)
                {
                    case RTA_DST:
                        destination = Address(b, offset, length, addressLength, "RTA_DST");
                        break;
                    case RTA_OIF:
                        interfaceIndex = U32(b, offset, length, "RTA_OIF");
                        break;
                    case RTA_GATEWAY:
                        gateway = new IPAddress(Address(b, offset, length, addressLength, "RTA_GATEWAY")).ToString();
                        break;
                    case RTA_VIA:
                        gateway = Via(b, offset, length);
                        break;
                    case RTA_PRIORITY:
                        metric = (uint)U32(b, offset, length, "RTA_PRIORITY");
                        break;
                    case RTA_PREFSRC:
                        preferredSource = new IPAddress(Address(b, offset, length, addressLength, "RTA_PREFSRC")).ToString();
                        break;
                    case RTA_TABLE: // the full 32-bit id; rtm_table only holds ids below 256
                        table = (uint)U32(b, offset, length, "RTA_TABLE");
                        break;
                    case RTA_MULTIPATH:
                        DecodeNextHops(b, offset, offset + length, addressLength, names, hops);
                        break;
                }
            }
            string onLink = addressLength == 4 ? "0.0.0.0" : "::";
            if (hops.Count == 0 && (interfaceIndex != 0 || gateway != null))
                hops.Add(new RouteNextHop(gateway ?? onLink, interfaceIndex, names.NameOf(interfaceIndex), 1));
            return new RouteEntry
            {
                AddressFamily = family == AF_INET ? IPVersion.IPv4 : IPVersion.IPv6,
                DestinationPrefix = $"{new IPAddress(destination)}/{prefixLength}",
                PrefixLength = prefixLength,
                Table = table,
                Protocol = (RouteProtocol)b[p + 5],
                Scope = (RouteScope)b[p + 6],
                Type = (RouteType)b[p + 7],
                RouteMetric = metric,
                PreferredSource = preferredSource,
                NextHops = hops.ToArray(),
                NextHop = hops.Count > 0 ? hops[0].NextHop : onLink,
                InterfaceIndex = hops.Count > 0 ? hops[0].InterfaceIndex : 0,
                InterfaceAlias = hops.Count > 0 ? hops[0].InterfaceAlias : null,
                MatchedRoute = matchedRoute,
            };
        }

        private static void DecodeNextHops(byte[] b, int offset, int end, int addressLength, InterfaceNames names, List<RouteNextHop> hops)
        {
            while (offset + RtnexthopLength <= end)
            {
                int length = ByteReader.UInt16LittleEndian(b, offset);
                if (length < RtnexthopLength || offset + length > end)
                    throw new FormatException($"Malformed rtnexthop at offset {offset}: rtnh_len {length}.");
                int weight = b[offset + 3] + 1; // rtnh_hops holds weight - 1
                int index = ByteReader.Int32LittleEndian(b, offset + 4);
                string gateway = addressLength == 4 ? "0.0.0.0" : "::";
                foreach (var (type, at, size) in NetlinkDecoder.Attributes(b, offset + RtnexthopLength, offset + length))
                {
                    if (type == RTA_GATEWAY) gateway = new IPAddress(Address(b, at, size, addressLength, "RTA_GATEWAY")).ToString();
                    else if (type == RTA_VIA) gateway = Via(b, at, size);
                }
                hops.Add(new RouteNextHop(gateway, index, names.NameOf(index), weight));
                offset += NetlinkDecoder.Align(length);
            }
        }

        // struct rtvia { u16 rtvia_family; u8 rtvia_addr[]; }: an IPv4 route via an IPv6 gateway (RFC 5549).
        private static string Via(byte[] b, int offset, int length)
        {
            ByteReader.Require(offset + length, offset, 2, "rtvia");
            int family = ByteReader.UInt16LittleEndian(b, offset);
            int size = family == AF_INET6 ? 16 : family == AF_INET ? 4 : -1;
            if (size < 0 || length < 2 + size) throw new FormatException($"RTA_VIA has family {family} and {length} bytes.");
            return new IPAddress(ByteReader.Bytes(b, offset + 2, size)).ToString();
        }

        private static byte[] Address(byte[] b, int offset, int length, int expected, string attribute)
        {
            if (length < expected) throw new FormatException($"{attribute} has {length} bytes; a {expected * 8}-bit address needs {expected}.");
            return ByteReader.Bytes(b, offset, expected);
        }

        private static int U32(byte[] b, int offset, int length, string attribute)
        {
            if (length < 4) throw new FormatException($"{attribute} has {length} bytes; expected a u32.");
            return ByteReader.Int32LittleEndian(b, offset);
        }
    }
}
