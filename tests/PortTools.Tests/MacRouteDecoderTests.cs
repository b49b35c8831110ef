using System.Collections.Generic;
using System.IO;
using System.Linq;
using PortTools.Models;
using PortTools.Platform.MacOS;
using Xunit;
using B = PortTools.Tests.MacRouteMessageBuilder;

namespace PortTools.Tests
{
    /// <summary>
    /// The NET_RT_DUMP2 decoder over the hand-written golden dump and over streams from <see cref="MacRouteMessageBuilder"/>
    /// (docs/dev/platform-layouts.md, "Routes: NET_RT_DUMP2").
    /// </summary>
    public class MacRouteDecoderTests
    {
        // RTF_* of bsd/net/route.h, spelled out here rather than taken from the decoder.
        internal const int Up = 0x1, Gateway = 0x2, Host = 0x4, Reject = 0x8, Dynamic = 0x10, Cloning = 0x100, LlInfo = 0x400,
            Static = 0x800, Blackhole = 0x1000, PrCloning = 0x10000, WasCloned = 0x20000, Local = 0x200000, Broadcast = 0x400000,
            Multicast = 0x800000, IfScope = 0x1000000;

        internal static readonly Dictionary<int, string> Names = new Dictionary<int, string> { [1] = "lo0", [4] = "en0", [5] = "en1" };

        internal static List<MacRoute> Decode(byte[] dump) => RouteDumpDecoder.Decode(dump, dump.Length, Names);

        private static RouteEntry Single(B builder) => Assert.Single(Decode(builder.Build())).Entry;

        [Fact]
        public void DecodesTheGoldenDump()
        {
            byte[] dump = Fixtures.MacHex("route-dump-golden.hex");
            Assert.Equal(328, dump.Length);
            List<MacRoute> routes = Decode(dump);
            Assert.Equal(2, routes.Count);

            RouteEntry v4 = routes[0].Entry;
            Assert.Equal(IPVersion.IPv4, v4.AddressFamily);
            Assert.Equal("0.0.0.0/0", v4.DestinationPrefix);
            Assert.Equal(0, v4.PrefixLength);
            Assert.Equal("192.0.2.1", v4.NextHop);
            Assert.Equal(4, v4.InterfaceIndex);
            Assert.Equal("en0", v4.InterfaceAlias);
            Assert.Equal("192.0.2.10", v4.PreferredSource);
            Assert.Equal(RouteProtocol.Static, v4.Protocol);
            Assert.Equal(RouteType.Unicast, v4.Type);
            Assert.Equal(RouteScope.Global, v4.Scope);
            Assert.Equal(0u, v4.RouteMetric);
            Assert.Null(v4.Table);
            Assert.Equal("UG", v4.Flags);
            RouteNextHop hop = Assert.Single(v4.NextHops);
            Assert.Equal(("192.0.2.1", 4, "en0", 1), (hop.NextHop, hop.InterfaceIndex, hop.InterfaceAlias, hop.Weight));
            Assert.Equal(0x40010803, routes[0].Flags);
            Assert.False(routes[0].IsInterfaceScoped);

            // The embedded scope (fe80:4::) is gone from both addresses; the direct route's link#4 is on the link.
            RouteEntry v6 = routes[1].Entry;
            Assert.Equal(IPVersion.IPv6, v6.AddressFamily);
            Assert.Equal("fe80::/64", v6.DestinationPrefix);
            Assert.Equal("/64", v6.Genmask);
            Assert.Equal("::", v6.NextHop);
            Assert.Equal("fe80::1", v6.PreferredSource);
            Assert.Equal(("en0", 4), (v6.InterfaceAlias, v6.InterfaceIndex));
            Assert.Equal(RouteProtocol.Kernel, v6.Protocol);
            Assert.Equal(RouteScope.Link, v6.Scope);
            Assert.Equal("U", v6.Flags);
            Assert.True(routes[1].IsInterfaceScoped);
        }

        [Fact]
        public void GoldenDumpCutAnywhereButBetweenMessagesIsRejected()
        {
            byte[] dump = Fixtures.MacHex("route-dump-golden.hex");
            for (int length = 0; length <= dump.Length; length++)
            {
                if (length == 0 || length == 144 || length == dump.Length)
                    Assert.Equal(length == 0 ? 0 : length == 144 ? 1 : 2, RouteDumpDecoder.Decode(dump, length, Names).Count);
                else
                    Assert.Throws<InvalidDataException>(() => RouteDumpDecoder.Decode(dump, length, Names));
            }
        }

        [Fact]
        public void EmptyTableHasNoRoutes()
        {
            Assert.Empty(Decode(new byte[0]));
            // The kernel fills less than the buffer: only the first bytes count.
            Assert.Empty(RouteDumpDecoder.Decode(new byte[4096], 0, Names));
        }

        [Fact]
        public void DefaultRouteViaGateway()
        {
            RouteEntry route = Single(new B().Route(4, Up | Gateway | Static, B.In4("0.0.0.0"), B.In4("10.0.0.1"), B.Mask(0, 4), B.In4("10.0.0.7")));
            Assert.Equal(("0.0.0.0/0", "10.0.0.1", "en0", "10.0.0.7"), (route.DestinationPrefix, route.NextHop, route.InterfaceAlias, route.PreferredSource));
            Assert.Equal("0.0.0.0", route.Genmask);
        }

        [Fact]
        public void HostRouteHasTheFullLengthWithoutANetmask()
        {
            RouteEntry v4 = Single(new B().Route(4, Up | Gateway | Host | Static, B.In4("198.51.100.9"), B.In4("10.0.0.1")));
            Assert.Equal(("198.51.100.9/32", 32, "UGH"), (v4.DestinationPrefix, v4.PrefixLength, v4.Flags));
            RouteEntry v6 = Single(new B().Route(1, Up | Host, B.In6("::1"), B.In6("::1")));
            Assert.Equal(("::1/128", "::", "UH"), (v6.DestinationPrefix, v6.NextHop, v6.Flags));
            // No RTF_HOST and no netmask: the radix tree keys it as a host route all the same.
            Assert.Equal(32, Single(new B().Route(4, Up, B.In4("192.0.2.5"), B.Link(4))).PrefixLength);
        }

        [Fact]
        public void LinkGatewaysAreOnTheLink()
        {
            // A direct route (link#4), and an ARP entry whose gateway holds the neighbour's hardware address.
            List<MacRoute> routes = Decode(new B()
                .Route(4, Up | Cloning | Static, B.In4("192.0.2.0"), B.Link(4), B.Mask(24, 4), B.In4("192.0.2.10"))
                .Route(4, Up | Host | LlInfo | WasCloned, B.In4("192.0.2.1"), B.Link(4, "", new byte[] { 0, 0x11, 0x22, 0x33, 0x44, 0x55 }), parentFlags: Up | Cloning)
                .Build());
            Assert.Equal(new[] { "192.0.2.0/24", "192.0.2.1/32" }, routes.Select(r => r.Entry.DestinationPrefix));
            Assert.All(routes, r => Assert.Equal(("0.0.0.0", 4, "en0"), (r.Entry.NextHop, r.Entry.InterfaceIndex, r.Entry.InterfaceAlias)));
            Assert.All(routes, r => Assert.False(r.IsProtocolClone)); // cloned from a CLONING route, not a PRCLONING one: listed
            Assert.Equal("255.255.255.0", routes[0].Entry.Genmask);
        }

        [Fact]
        public void InterfaceComesFromTheLinkGatewayWhenTheIndexIsZero()
        {
            RouteEntry route = Single(new B().Route(0, Up, B.In4("192.0.2.0"), B.Link(5), B.Mask(24, 4)));
            Assert.Equal((5, "en1"), (route.InterfaceIndex, route.InterfaceAlias));
            RouteEntry unknown = Single(new B().Route(9, Up, B.In4("192.0.2.0"), B.Link(9), B.Mask(24, 4)));
            Assert.Equal(9, unknown.InterfaceIndex);
            Assert.Null(unknown.InterfaceAlias);
        }

        [Fact]
        public void EmbeddedScopesMoveOutOfIPv6Addresses()
        {
            List<MacRoute> routes = Decode(new B()
                .Route(4, Up | Gateway | Static, B.In6("::"), B.In6("fe80::1", embeddedScope: 4), B.Mask(0, 8))
                .Route(4, Up | Multicast | Cloning | IfScope, B.In6("ff02::", embeddedScope: 4), B.Link(4), B.Mask(32, 8))
                .Route(1, Up | Multicast | IfScope, B.In6("ff01::", embeddedScope: 1), B.In6("::1"), B.Mask(32, 8))
                // Bytes 2-3 of a global address are the address: 2001:db8::/32 stays as it is.
                .Route(4, Up | Gateway | Static, B.In6("2001:db8::"), B.In6("fe80::1", embeddedScope: 4), B.Mask(32, 8))
                .Build());
            Assert.Equal(new[] { "::/0", "ff02::/32", "ff01::/32", "2001:db8::/32" }, routes.Select(r => r.Entry.DestinationPrefix));
            Assert.Equal("fe80::1", routes[0].Entry.NextHop);
            Assert.Equal(RouteType.Multicast, routes[1].Entry.Type);
            Assert.Equal("fe80::1", routes[3].Entry.NextHop);
        }

        [Fact]
        public void ScopeOfTheDestinationNamesTheInterfaceWhenNothingElseDoes()
        {
            // No embedded scope (in6_embedded_scope off): sin6_scope_id carries it.
            RouteEntry scoped = Single(new B().Route(0, Up | IfScope, B.In6("fe80::", scopeId: 5), B.In6("::"), B.Mask(64, 8)));
            Assert.Equal(("fe80::/64", 5, "en1"), (scoped.DestinationPrefix, scoped.InterfaceIndex, scoped.InterfaceAlias));
            RouteEntry embedded = Single(new B().Route(0, Up | IfScope, B.In6("fe80::", embeddedScope: 4), B.In6("::"), B.Mask(64, 8)));
            Assert.Equal(("fe80::/64", 4), (embedded.DestinationPrefix, embedded.InterfaceIndex));
        }

        [Theory]
        [InlineData(0, "0.0.0.0")]
        [InlineData(8, "255.0.0.0")]
        [InlineData(12, "255.240.0.0")]
        [InlineData(24, "255.255.255.0")]
        [InlineData(25, "255.255.255.128")]
        [InlineData(32, "255.255.255.255")]
        public void ShortenedIPv4NetmasksReadTheMissingBytesAsZero(int prefixLength, string genmask)
        {
            byte[] mask = B.Mask(prefixLength, 4);
            Assert.True(mask[0] < 16); // the builder cuts the mask as sa_trim does
            RouteEntry route = Single(new B().Route(4, Up, B.In4("10.0.0.0"), B.Link(4), mask, B.In4("10.0.0.7")));
            Assert.Equal((prefixLength, genmask), (route.PrefixLength, route.Genmask));
            Assert.Equal("10.0.0.7", route.PreferredSource); // the sockaddr after the mask is found past its padding
        }

        [Theory]
        [InlineData(0)]
        [InlineData(10)]
        [InlineData(64)]
        [InlineData(127)]
        [InlineData(128)]
        public void ShortenedIPv6NetmasksReadTheMissingBytesAsZero(int prefixLength)
        {
            RouteEntry route = Single(new B().Route(4, Up, B.In6("2001:db8::"), B.Link(4), B.Mask(prefixLength, 8), B.In6("2001:db8::7")));
            Assert.Equal((prefixLength, $"2001:db8::/{prefixLength}"), (route.PrefixLength, route.DestinationPrefix));
            Assert.Equal("2001:db8::7", route.PreferredSource);
        }

        [Fact]
        public void MaskShorterThanItsAddressPartIsAllZero()
        {
            // sa_len 2: family only. The family byte of a mask is not the route's (the mask tree may fill it with ones).
            RouteEntry route = Single(new B().Route(4, Up | Gateway, B.In4("0.0.0.0"), B.In4("10.0.0.1"), new byte[] { 2, 0xff }));
            Assert.Equal("0.0.0.0/0", route.DestinationPrefix);
        }

        [Fact]
        public void NetmaskThatIsNotAPrefixIsRejected()
        {
            byte[] mask = { 8, 0xff, 0, 0, 0xff, 0x00, 0xff, 0 };
            var e = Assert.Throws<InvalidDataException>(() => Decode(new B().Route(4, Up, B.In4("10.0.0.0"), B.Link(4), mask).Build()));
            Assert.Contains("not a prefix", e.Message);
        }

        [Fact]
        public void SockaddrsArePaddedToFourBytes()
        {
            // A 5-byte mask takes 8 bytes and a 17-byte sockaddr_dl 20; sa_len 0 takes 4. Each next sockaddr is read past that padding.
            byte[] link = B.Link(4, "en0", new byte[] { 1, 2, 3, 4, 5, 6 });
            link = link.Take(17).ToArray();
            link[0] = 17;
            RouteEntry route = Single(new B().Route(4, Up, B.In4("10.0.0.0"), link, B.Mask(8, 4), B.In4("10.0.0.7")));
            Assert.Equal(("10.0.0.0/8", "10.0.0.7"), (route.DestinationPrefix, route.PreferredSource));
            RouteEntry zeroLength = Single(new B().Route(4, Up | Gateway, B.In4("0.0.0.0"), B.In4("10.0.0.1"), B.Mask(0, 4), B.In4("10.0.0.8")));
            Assert.Equal("10.0.0.8", zeroLength.PreferredSource);
        }

        [Fact]
        public void RoutesOfUnknownFamiliesAreSkipped()
        {
            byte[] appletalk = { 16, 16, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0 };
            List<MacRoute> routes = Decode(new B()
                .Route(4, Up, appletalk, B.Link(4))
                .Route(4, Up, B.Link(4), B.Link(4))                  // an AF_LINK destination
                .Route(4, Up, new byte[] { 0 }, B.Link(4))          // sa_len 0: no family at all
                .Route(4, Up | Gateway, null, B.In4("10.0.0.1"))    // no destination
                .Route(4, Up | Gateway | Static, B.In4("0.0.0.0"), B.In4("10.0.0.1"), B.Mask(0, 4))
                .Build());
            Assert.Equal("0.0.0.0/0", Assert.Single(routes).Entry.DestinationPrefix);
        }

        [Fact]
        public void GatewayOfAnUnknownFamilyIsNoNextHop()
        {
            byte[] gateway = { 8, 99, 1, 2, 3, 4, 5, 6 };
            RouteEntry route = Single(new B().Route(4, Up | Gateway, B.In4("10.0.0.0"), gateway, B.Mask(8, 4)));
            Assert.Equal(("0.0.0.0", 4), (route.NextHop, route.InterfaceIndex));
        }

        [Fact]
        public void OtherMessagesAreSteppedOver()
        {
            List<MacRoute> routes = Decode(new B()
                .Interface(new MacInterface())
                .Route(4, Up | Gateway | Static, B.In4("0.0.0.0"), B.In4("10.0.0.1"), B.Mask(0, 4))
                .Address(4, B.In4("10.0.0.7"))
                .Route(4, Up | Gateway, B.In4("10.9.0.0"), B.In4("10.0.0.1"), B.Mask(16, 4), type: 0x4) // RTM_GET, the older header
                .Route(1, Up | Host, B.In6("::1"), B.In6("::1"))
                .Build());
            Assert.Equal(new[] { "0.0.0.0/0", "::1/128" }, routes.Select(r => r.Entry.DestinationPrefix));
        }

        [Fact]
        public void MessagesThatDoNotFitAreRejected()
        {
            byte[] good = new B().Route(4, Up, B.In4("10.0.0.0"), B.Link(4), B.Mask(8, 4)).Build();
            // rtm_msglen beyond the bytes read
            byte[] longer = (byte[])good.Clone();
            longer[0] += 4;
            Assert.Throws<InvalidDataException>(() => Decode(longer));
            // rtm_msglen 0 would never move on
            byte[] zero = (byte[])good.Clone();
            zero[0] = zero[1] = 0;
            Assert.Throws<InvalidDataException>(() => Decode(zero));
            // An RTM_GET2 shorter than rt_msghdr2
            Assert.Throws<InvalidDataException>(() => Decode(new byte[] { 8, 0, 5, 0x14, 0, 0, 0, 0 }));
            // A sockaddr running past its message: the mask claims 20 bytes at the end
            byte[] overlong = (byte[])good.Clone();
            overlong[overlong.Length - 8] = 20;
            var e = Assert.Throws<InvalidDataException>(() => Decode(overlong));
            Assert.Contains("sockaddr 2", e.Message);
            // rtm_addrs names a sockaddr the message does not hold
            byte[] missing = (byte[])good.Clone();
            missing[12] |= 0x20;
            Assert.Throws<InvalidDataException>(() => Decode(missing));
            // 1-3 stray bytes after the last message
            Assert.Throws<InvalidDataException>(() => Decode(good.Concat(new byte[] { 1, 0 }).ToArray()));
        }

        [Theory]
        [InlineData(Up | Gateway | Static, RouteType.Unicast, RouteProtocol.Static, RouteScope.Global)]
        [InlineData(Up | Gateway | Dynamic | Host, RouteType.Unicast, RouteProtocol.Redirect, RouteScope.Global)]
        [InlineData(Up | Reject | Static, RouteType.Unreachable, RouteProtocol.Static, RouteScope.Global)]
        [InlineData(Up | Blackhole | Reject | Static, RouteType.Blackhole, RouteProtocol.Static, RouteScope.Global)]
        [InlineData(Up | Host | Local | Static, RouteType.Local, RouteProtocol.Static, RouteScope.Host)]
        [InlineData(Up | Host | Broadcast | LlInfo | WasCloned, RouteType.Broadcast, RouteProtocol.Kernel, RouteScope.Link)]
        [InlineData(Up | Multicast | Cloning | Static, RouteType.Multicast, RouteProtocol.Static, RouteScope.Link)]
        [InlineData(Up | Cloning, RouteType.Unicast, RouteProtocol.Kernel, RouteScope.Link)]
        public void FlagsGiveTypeProtocolAndScope(int flags, RouteType type, RouteProtocol protocol, RouteScope scope)
        {
            RouteEntry route = Single(new B().Route(4, flags, B.In4("10.0.0.0"), B.In4("10.0.0.1"), B.Mask(8, 4)));
            Assert.Equal((type, protocol, scope), (route.Type, route.Protocol, route.Scope));
            Assert.Equal((flags & Gateway) != 0 ? "10.0.0.1" : "0.0.0.0", route.NextHop);
            Assert.Equal((flags & (Reject | Blackhole)) != 0 ? '!' : 'U', route.Flags[0]);
        }

        [Fact]
        public void ProtocolClonesAreMarked()
        {
            List<MacRoute> routes = Decode(new B()
                .Route(4, Up | Gateway | Host | WasCloned, B.In4("198.51.100.9"), B.In4("10.0.0.1"), parentFlags: Up | Gateway | Static | PrCloning)
                .Route(4, Up | Gateway | Host | WasCloned, B.In4("198.51.100.10"), B.In4("10.0.0.1"), parentFlags: Up | Gateway | Static)
                .Build());
            Assert.Equal(new[] { true, false }, routes.Select(r => r.IsProtocolClone));
        }
    }
}
