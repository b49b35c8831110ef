using System.Collections.Generic;
using System.Linq;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform.Windows;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>MIB_IPFORWARD_ROW2 rows laid out from the offsets of docs/dev/platform-layouts.md, "Routes: MIB_IPFORWARD_TABLE2".</summary>
    public class WindowsForwardTable2DecoderTests
    {
        private static readonly Dictionary<int, string> Aliases = new Dictionary<int, string> { [12] = "Ethernet", [1] = "Loopback Pseudo-Interface 1" };

        // SOCKADDR_INET written independently of the decoder: family (LE) at 0, IPv4 at 4, IPv6 at 8, scope at 24.
        private static byte[] Sockaddr(string address)
        {
            var sockaddr = new byte[28];
            byte[] bytes = IPAddress.Parse(address).GetAddressBytes();
            BitConverter.GetBytes((ushort)(bytes.Length == 4 ? 2 : 23)).CopyTo(sockaddr, 0);
            bytes.CopyTo(sockaddr, bytes.Length == 4 ? 4 : 8);
            return sockaddr;
        }

        private static byte[] RouteRow(uint index, string prefix, byte length, string nextHop, uint metric, uint protocol, uint origin)
        {
            var row = new byte[104];
            BitConverter.GetBytes(0x0006000001000000ul).CopyTo(row, 0); // an InterfaceLuid, ignored
            BitConverter.GetBytes(index).CopyTo(row, 8);
            Sockaddr(prefix).CopyTo(row, 12);
            row[40] = length;
            Sockaddr(nextHop).CopyTo(row, 44);
            BitConverter.GetBytes(uint.MaxValue).CopyTo(row, 76); // ValidLifetime: infinite
            BitConverter.GetBytes(metric).CopyTo(row, 84);
            BitConverter.GetBytes(protocol).CopyTo(row, 88);
            BitConverter.GetBytes(origin).CopyTo(row, 100);
            return row;
        }

        private static byte[] Table(params byte[][] rows) => WindowsMibTable.Build(8, rows);

        [Fact]
        public void DecodesTheDocumentedDefaultRoute()
        {
            // The golden row of platform-layouts.md: a MIB_IPFORWARD_ROW2 for 0.0.0.0/0 via 192.0.2.1, learnt by DHCP.
            RouteEntry route = Assert.Single(ForwardTable2Decoder.Decode(Table(RouteRow(12, "0.0.0.0", 0, "192.0.2.1", 25, 3, 2)), Aliases));
            Assert.Equal("0.0.0.0/0", route.DestinationPrefix);
            Assert.Equal(0, route.PrefixLength);
            Assert.Equal("192.0.2.1", route.NextHop);
            Assert.Equal(12, route.InterfaceIndex);
            Assert.Equal("Ethernet", route.InterfaceAlias);
            Assert.Equal(25u, route.RouteMetric);
            Assert.Equal(IPVersion.IPv4, route.AddressFamily);
            Assert.Equal(RouteProtocol.Dhcp, route.Protocol);
            Assert.Null(route.Table);
            Assert.Equal("192.0.2.1", Assert.Single(route.NextHops).NextHop);
        }

        [Fact]
        public void DecodesIPv6AndOnLinkRoutes()
        {
            List<RouteEntry> routes = ForwardTable2Decoder.Decode(Table(
                RouteRow(12, "fe80::", 64, "::", 256, 2, 1),
                RouteRow(1, "::1", 128, "::", 256, 2, 1),
                RouteRow(99, "2001:db8::", 32, "fe80::1", 16, 10006, 0)), Aliases);
            Assert.Equal(new[] { "fe80::/64", "::1/128", "2001:db8::/32" }, routes.Select(r => r.DestinationPrefix));
            Assert.All(routes, r => Assert.Equal(IPVersion.IPv6, r.AddressFamily));
            Assert.Equal("::", routes[0].NextHop);
            Assert.Equal(RouteProtocol.Kernel, routes[0].Protocol);
            Assert.Equal("Loopback Pseudo-Interface 1", routes[1].InterfaceAlias);
            Assert.Null(routes[2].InterfaceAlias); // an index with no adapter row
            Assert.Equal(RouteProtocol.Static, routes[2].Protocol);
        }

        [Theory]
        [InlineData(3u, 0u, RouteProtocol.Static)]
        [InlineData(2u, 0u, RouteProtocol.Kernel)]
        [InlineData(14u, 0u, RouteProtocol.Bgp)]
        [InlineData(13u, 0u, RouteProtocol.Ospf)]
        [InlineData(3u, 3u, RouteProtocol.Ra)]
        [InlineData(1u, 0u, RouteProtocol.Unspecified)]
        public void ProtocolsAndOriginsMapToTheLinuxNames(uint protocol, uint origin, RouteProtocol expected) =>
            Assert.Equal(expected, ForwardTable2Decoder.Protocol(protocol, origin));

        [Fact]
        public void EncodesADestinationAsGetBestRoute2TakesIt()
        {
            Assert.Equal(Sockaddr("10.1.2.3"), ForwardTable2Decoder.EncodeSockaddrInet(IPAddress.Parse("10.1.2.3")));
            Assert.Equal(Sockaddr("2001:db8::5"), ForwardTable2Decoder.EncodeSockaddrInet(IPAddress.Parse("2001:db8::5")));
            Assert.Equal(IPAddress.Parse("2001:db8::5"), ForwardTable2Decoder.SockaddrInet(ForwardTable2Decoder.EncodeSockaddrInet(IPAddress.Parse("2001:db8::5")), 0, "x"));
        }

        [Fact]
        public void BadRowsAreFormatErrors()
        {
            byte[] badFamily = Table(RouteRow(12, "10.0.0.0", 8, "0.0.0.0", 0, 3, 0));
            badFamily[8 + 12] = 7; // si_family 7
            Assert.Throws<FormatException>(() => ForwardTable2Decoder.Decode(badFamily, Aliases));
            Assert.Throws<FormatException>(() => ForwardTable2Decoder.Decode(Table(RouteRow(12, "10.0.0.0", 33, "0.0.0.0", 0, 3, 0)), Aliases));
            byte[] truncated = Table(RouteRow(12, "10.0.0.0", 8, "0.0.0.0", 0, 3, 0)).Take(100).ToArray();
            Assert.Throws<FormatException>(() => ForwardTable2Decoder.Decode(truncated, Aliases));
            Assert.Empty(ForwardTable2Decoder.Decode(new byte[8], Aliases));
        }
    }
}
