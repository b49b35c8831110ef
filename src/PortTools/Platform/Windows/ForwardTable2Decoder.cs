using System.Collections.Generic;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// Decodes MIB_IPFORWARD_TABLE2 from GetIpForwardTable2 and the MIB_IPFORWARD_ROW2 that GetBestRoute2
    /// fills (netioapi.h; docs/dev/platform-layouts.md, "Routes: MIB_IPFORWARD_TABLE2"): a ULONG NumEntries, then 104-byte rows from offset 8.
    /// Pure: bytes in, routes out.
    /// </summary>
    internal static class ForwardTable2Decoder
    {
        internal const int RowsOffset = 8, RowSize = 104, SockaddrInetSize = 28;
        private const ushort WindowsAfInet = 2, WindowsAfInet6 = 23;

        internal static List<RouteEntry> Decode(byte[] table, IReadOnlyDictionary<int, string> aliases)
        {
            ByteReader.Require(table.Length, 0, RowsOffset, "MIB_IPFORWARD_TABLE2");
            uint count = ByteReader.UInt32LittleEndian(table, 0);
            ByteReader.Require(table.Length, RowsOffset, (int)Math.Min(count * (ulong)RowSize, int.MaxValue), $"MIB_IPFORWARD_TABLE2 with {count} rows");
            var routes = new List<RouteEntry>();
            for (int i = 0, row = RowsOffset; i < count; i++, row += RowSize) routes.Add(DecodeRow(table, row, aliases));
            return routes;
        }

        /// <summary>
        /// One MIB_IPFORWARD_ROW2: InterfaceIndex 8, DestinationPrefix { SOCKADDR_INET Prefix 12, UINT8 PrefixLength 40 },
        /// NextHop 44, Metric 84, Protocol 88, Origin 100.
        /// </summary>
        internal static RouteEntry DecodeRow(byte[] buffer, int row, IReadOnlyDictionary<int, string> aliases)
        {
            ByteReader.Require(buffer.Length, row, RowSize, "MIB_IPFORWARD_ROW2");
            IPAddress destination = SockaddrInet(buffer, row + 12, "DestinationPrefix");
            int prefixLength = buffer[row + 40];
            if (prefixLength > destination.GetAddressBytes().Length * 8)
                throw new FormatException($"MIB_IPFORWARD_ROW2 has PrefixLength {prefixLength} for {destination}.");
            IPAddress nextHop = SockaddrInet(buffer, row + 44, "NextHop");
            int index = (int)ByteReader.UInt32LittleEndian(buffer, row + 8);
            string? alias = aliases.TryGetValue(index, out string? name) ? name : null;
            var hop = new RouteNextHop(nextHop.ToString(), index, alias, 1);
            return new RouteEntry
            {
                AddressFamily = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IPVersion.IPv4 : IPVersion.IPv6,
                DestinationPrefix = $"{destination}/{prefixLength}",
                PrefixLength = prefixLength,
                NextHop = hop.NextHop, // 0.0.0.0 or :: when on-link, as Get-NetRoute writes it
                InterfaceIndex = index,
                InterfaceAlias = alias,
                // The route's own metric, as Get-NetRoute's RouteMetric; route print adds the interface metric.
                RouteMetric = ByteReader.UInt32LittleEndian(buffer, row + 84),
                Protocol = Protocol(ByteReader.UInt32LittleEndian(buffer, row + 88), ByteReader.UInt32LittleEndian(buffer, row + 100)),
                Type = RouteType.Unicast,
                NextHops = new[] { hop },
            };
        }

        /// <summary>SOCKADDR_INET: si_family (little-endian USHORT) at 0; IPv4 address at 4, IPv6 address at 8.</summary>
        internal static IPAddress SockaddrInet(byte[] buffer, int offset, string field)
        {
            ByteReader.Require(buffer.Length, offset, SockaddrInetSize, "SOCKADDR_INET");
            ushort family = ByteReader.UInt16LittleEndian(buffer, offset);
            return family switch
            {
                WindowsAfInet => new IPAddress(ByteReader.Bytes(buffer, offset + 4, 4)),
                WindowsAfInet6 => new IPAddress(ByteReader.Bytes(buffer, offset + 8, 16)),
                _ => throw new FormatException($"{field} has address family {family}, neither AF_INET (2) nor AF_INET6 (23)."),
            };
        }

        /// <summary>A SOCKADDR_INET for <paramref name="address"/>, as GetBestRoute2 takes its destination.</summary>
        internal static byte[] EncodeSockaddrInet(IPAddress address)
        {
            var sockaddr = new byte[SockaddrInetSize];
            byte[] bytes = address.GetAddressBytes();
            bool v4 = bytes.Length == 4;
            ByteReader.WriteUInt16LittleEndian(sockaddr, 0, v4 ? WindowsAfInet : WindowsAfInet6);
            Buffer.BlockCopy(bytes, 0, sockaddr, v4 ? 4 : 8, bytes.Length);
            if (!v4) ByteReader.WriteUInt32LittleEndian(sockaddr, 24, (uint)address.ScopeId);
            return sockaddr;
        }

        /// <summary>
        /// NL_ROUTE_PROTOCOL and NL_ROUTE_ORIGIN (nldef.h) in the names Linux uses: Local is what the stack
        /// adds itself (kernel), NetMgmt and the NT_* values are configured (static), and the origin tells DHCP
        /// and router advertisements apart.
        /// </summary>
        internal static RouteProtocol Protocol(uint protocol, uint origin)
        {
            if (origin == 2) return RouteProtocol.Dhcp; // NlroDHCP
            if (origin == 3) return RouteProtocol.Ra;   // NlroRouterAdvertisement
            return protocol switch
            {
                2 => RouteProtocol.Kernel,               // MIB_IPPROTO_LOCAL
                3 or 10002 or 10006 or 10007 => RouteProtocol.Static, // NETMGMT, NT_AUTOSTATIC, NT_STATIC, NT_STATIC_NON_DOD
                4 => RouteProtocol.Redirect,             // ICMP
                8 => RouteProtocol.Rip,
                9 => RouteProtocol.IsIs,
                13 => RouteProtocol.Ospf,
                14 => RouteProtocol.Bgp,
                _ => RouteProtocol.Unspecified,
            };
        }
    }
}
