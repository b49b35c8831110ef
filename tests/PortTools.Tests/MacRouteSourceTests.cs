using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Platform.MacOS;
using PortTools.Query;
using Xunit;
using static PortTools.Tests.MacRouteDecoderTests;
using B = PortTools.Tests.MacRouteMessageBuilder;

namespace PortTools.Tests
{
    /// <summary>The macOS route source over fake sysctls: the longest-prefix lookup, the listing, and the sysctls it reads.</summary>
    public class MacRouteSourceTests
    {
        private static readonly int[] IfList2 = { 4, 17, 0, 0, 6, 0 }, Dump2 = { 4, 17, 0, 0, 7, 0 };

        // A laptop's table: default via 192.0.2.1 on en0 with its interface-scoped twin on en1, a LAN, a more specific
        // VPN network, a reject and a blackhole route, the multicast route, a protocol clone, and IPv6.
        private static readonly byte[] Table = new B()
            .Route(4, Up | Gateway | Static | PrCloning, B.In4("0.0.0.0"), B.In4("192.0.2.1"), B.Mask(0, 4), B.In4("192.0.2.10"))
            .Route(5, Up | Gateway | Static | IfScope, B.In4("0.0.0.0"), B.In4("198.51.100.1"), B.Mask(0, 4), B.In4("198.51.100.10"))
            .Route(4, Up | Cloning | Static, B.In4("192.0.2.0"), B.Link(4), B.Mask(24, 4), B.In4("192.0.2.10"))
            .Route(5, Up | Gateway | Static, B.In4("10.0.0.0"), B.In4("198.51.100.1"), B.Mask(8, 4), B.In4("198.51.100.10"))
            .Route(4, Up | Gateway | Static, B.In4("10.1.0.0"), B.In4("192.0.2.254"), B.Mask(16, 4), B.In4("192.0.2.10"))
            .Route(1, Up | Reject | Static, B.In4("10.66.0.0"), B.In4("127.0.0.1"), B.Mask(16, 4))
            .Route(1, Up | Blackhole | Static, B.In4("10.99.0.0"), B.In4("127.0.0.1"), B.Mask(16, 4))
            .Route(4, Up | Multicast | Cloning | Static, B.In4("224.0.0.0"), B.Link(4), B.Mask(4, 4), B.In4("192.0.2.10"))
            .Route(4, Up | Gateway | Host | WasCloned, B.In4("203.0.113.5"), B.In4("192.0.2.1"), parentFlags: Up | Gateway | Static | PrCloning)
            .Route(4, Up | Gateway | Static, B.In6("::"), B.In6("fe80::1", embeddedScope: 4), B.Mask(0, 8))
            .Route(4, Up | Cloning | IfScope, B.In6("fe80::", embeddedScope: 4), B.Link(4), B.Mask(64, 8), B.In6("fe80::a", embeddedScope: 4))
            .Route(5, Up | Cloning | IfScope, B.In6("fe80::", embeddedScope: 5), B.Link(5), B.Mask(64, 8), B.In6("fe80::b", embeddedScope: 5))
            .Build();

        private static readonly byte[] Interfaces = new B()
            .Interface(new MacInterface { Index = 1, Name = "lo0" })
            .Interface(new MacInterface { Index = 4, Name = "en0" })
            .Address(4, B.In4("192.0.2.10"))
            .Interface(new MacInterface { Index = 5, Name = "utun3" })
            .Build();

        private readonly List<string> _sysctlsRead = new List<string>();
        private readonly List<string> _verbose = new List<string>();

        private MacRouteSource Source() => new MacRouteSource(mib =>
        {
            _sysctlsRead.Add(string.Join(",", mib));
            byte[] bytes = mib.SequenceEqual(IfList2) ? Interfaces : mib.SequenceEqual(Dump2) ? Table : throw new ArgumentException(string.Join(",", mib));
            // The kernel fills less than the buffer it was given.
            var buffer = new byte[bytes.Length + 100];
            Buffer.BlockCopy(bytes, 0, buffer, 0, bytes.Length);
            return (buffer, bytes.Length);
        });

        private ListingDiagnostics Diagnostics => new ListingDiagnostics(_verbose.Add, _ => throw new InvalidOperationException("no warning expected"));

        private RouteEntry? Find(string destination) => Source().FindRoute(IPAddress.Parse(destination), Diagnostics, CancellationToken.None);

        [Theory]
        [InlineData("10.1.2.3", "10.1.0.0/16", "192.0.2.254", "en0")]
        [InlineData("10.2.0.1", "10.0.0.0/8", "198.51.100.1", "utun3")]
        [InlineData("192.0.2.77", "192.0.2.0/24", "0.0.0.0", "en0")]
        [InlineData("8.8.8.8", "0.0.0.0/0", "192.0.2.1", "en0")]
        [InlineData("224.0.0.251", "224.0.0.0/4", "0.0.0.0", "en0")]
        [InlineData("2001:db8::1", "::/0", "fe80::1", "en0")]
        public void LongestPrefixWins(string destination, string matched, string nextHop, string alias)
        {
            RouteEntry route = Find(destination)!;
            Assert.Equal(matched, route.MatchedRoute!.DestinationPrefix);
            int hostLength = destination.Contains(':') ? 128 : 32;
            Assert.Equal(($"{destination}/{hostLength}", hostLength), (route.DestinationPrefix, route.PrefixLength));
            Assert.Equal((nextHop, alias), (route.NextHop, route.InterfaceAlias));
            Assert.Equal(route.MatchedRoute.PreferredSource, route.PreferredSource);
            Assert.Contains(_verbose, v => v.Contains("longest prefix"));
        }

        [Fact]
        public void AnswerCarriesTheSourceAddressOfTheMatchedRoute()
        {
            RouteEntry route = Find("10.2.0.1")!;
            Assert.Equal("198.51.100.10", route.PreferredSource);
            Assert.Equal(RouteType.Unicast, route.Type);
            Assert.Equal(RouteProtocol.Static, route.Protocol);
        }

        [Fact]
        public void ProtocolClonesAreNotTheMatch()
        {
            // 203.0.113.5/32 is a per-destination clone of the default route: the answer names the default route.
            Assert.Equal("0.0.0.0/0", Find("203.0.113.5")!.MatchedRoute!.DestinationPrefix);
        }

        [Fact]
        public void UnscopedLookupSkipsInterfaceScopedRoutesEvenFirstInTheDump()
        {
            List<MacRoute> routes = Decode(new B()
                .Route(5, Up | Gateway | Static | IfScope, B.In4("0.0.0.0"), B.In4("198.51.100.1"), B.Mask(0, 4))
                .Route(4, Up | Gateway | Static, B.In4("0.0.0.0"), B.In4("192.0.2.1"), B.Mask(0, 4))
                .Build());
            Assert.Equal("192.0.2.1", MacRouteSource.Lookup(routes, IPAddress.Parse("8.8.8.8"))!.NextHop);
        }

        [Fact]
        public void EqualPrefixesKeepTheOrderOfTheDump()
        {
            byte[] dump = new B()
                .Route(4, Up | Gateway | Static, B.In4("10.0.0.0"), B.In4("192.0.2.1"), B.Mask(8, 4))
                .Route(5, Up | Gateway | Static, B.In4("10.0.0.0"), B.In4("198.51.100.1"), B.Mask(8, 4))
                .Build();
            Assert.Equal("192.0.2.1", MacRouteSource.Lookup(Decode(dump), IPAddress.Parse("10.0.0.1"))!.NextHop);
        }

        [Fact]
        public void ZoneOfAnIPv6AddressPicksTheRoutesOfThatInterface()
        {
            Assert.Equal(("en0", "fe80::a"), Lookup("fe80::1%4"));
            Assert.Equal(("utun3", "fe80::b"), Lookup("fe80::1%5"));
            // The zone binds the lookup: utun3 has no route to 2001:db8::1, and the default route is en0's.
            Assert.Null(Find("2001:db8::1%5"));

            (string?, string?) Lookup(string address)
            {
                RouteEntry route = Source().FindRoute(IPAddress.Parse(address), Diagnostics, CancellationToken.None)!;
                Assert.Equal("fe80::/64", route.MatchedRoute!.DestinationPrefix);
                Assert.Equal("fe80::1/128", route.DestinationPrefix);
                return (route.InterfaceAlias, route.PreferredSource);
            }
        }

        [Theory]
        [InlineData("10.66.1.1", "10.66.0.0/16", "rejects")]
        [InlineData("10.99.1.1", "10.99.0.0/16", "discards")]
        public void RejectAndBlackholeRoutesAreNoRoute(string destination, string prefix, string verb)
        {
            var e = Assert.Throws<NoRouteException>(() => Find(destination));
            Assert.Equal($"the route {prefix} {verb} it", e.Message);
        }

        [Fact]
        public void NoMatchingRouteIsNull()
        {
            byte[] lanOnly = new B().Route(4, Up | Cloning, B.In4("192.0.2.0"), B.Link(4), B.Mask(24, 4)).Build();
            Assert.Null(MacRouteSource.Lookup(Decode(lanOnly), IPAddress.Parse("8.8.8.8")));
            Assert.Null(MacRouteSource.Lookup(Decode(lanOnly), IPAddress.Parse("2001:db8::1"))); // no route of that family
            Assert.Null(MacRouteSource.Lookup(new List<MacRoute>(), IPAddress.Parse("192.0.2.1")));
        }

        [Fact]
        public void ListingReadsTheInterfacesThenTheDumpAndNamesEveryRoute()
        {
            List<RouteEntry> routes = Source().GetRoutes(new RouteQuery(), Diagnostics, CancellationToken.None).ToList();
            Assert.Equal(new[] { "4,17,0,0,6,0", "4,17,0,0,7,0" }, _sysctlsRead);
            // Every route but the protocol clone, as netstat -rn lists them.
            Assert.Equal(11, routes.Count);
            Assert.DoesNotContain(routes, r => r.DestinationPrefix == "203.0.113.5/32");
            Assert.Equal(new[] { "en0", "lo0", "utun3" }, routes.Select(r => r.InterfaceAlias!).Distinct().OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void ListingAppliesTheQuery()
        {
            var query = new RouteQuery { InterfaceMatches = name => name == "utun3" };
            query.Families.Add(IPVersion.IPv4);
            List<RouteEntry> routes = Source().GetRoutes(query, Diagnostics, CancellationToken.None).ToList();
            Assert.Equal(new[] { "0.0.0.0/0", "10.0.0.0/8" }, routes.Select(r => r.DestinationPrefix));
            // macOS has one table per family: a -Table filter matches nothing.
            var tables = new RouteQuery();
            tables.Tables.Add(254);
            Assert.Empty(Source().GetRoutes(tables, Diagnostics, CancellationToken.None));
        }

        [Fact]
        public void UnreadableSysctlIsTheSourcesFailure()
        {
            var source = new MacRouteSource(_ => throw new System.ComponentModel.Win32Exception(1, "sysctl failed."));
            Assert.Throws<System.ComponentModel.Win32Exception>(() => source.GetRoutes(new RouteQuery(), Diagnostics, CancellationToken.None).ToList());
            Assert.Throws<System.ComponentModel.Win32Exception>(() => source.FindRoute(IPAddress.Loopback, Diagnostics, CancellationToken.None));
        }
    }
}
