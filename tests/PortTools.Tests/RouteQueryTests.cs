using System.Collections.Generic;
using System.Net;
using PortTools.Commands;
using PortTools.Models;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    public class RouteQueryTests
    {
        private static RouteEntry Route(string prefix, uint metric = 0, uint? table = RouteTables.Main, RouteType type = RouteType.Unicast, string device = "pt0")
        {
            AddressPrefix.TryParse(prefix, out AddressPrefix? p);
            return new RouteEntry
            {
                DestinationPrefix = prefix,
                PrefixLength = p!.Length,
                AddressFamily = p.Network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IPVersion.IPv4 : IPVersion.IPv6,
                RouteMetric = metric,
                Table = table,
                Type = type,
                InterfaceAlias = device,
                NextHops = new[] { new RouteNextHop("0.0.0.0", 2, device, 1) },
            };
        }

        private static readonly List<RouteEntry> Table = new List<RouteEntry>
        {
            Route("0.0.0.0/0", 100),
            Route("10.0.0.0/8", 20),
            Route("10.1.0.0/16", 20),
            Route("10.1.0.0/16", 10),
            Route("10.1.2.3/32", 0, RouteTables.Local, RouteType.Local, "lo"),
            Route("10.1.255.255/32", 0, RouteTables.Local, RouteType.Broadcast),
            Route("fd00::/64", 256),
        };

        [Theory]
        [InlineData("10.1.9.9", "10.1.0.0/16", 10u)]  // longest prefix, then the lowest metric
        [InlineData("10.2.0.1", "10.0.0.0/8", 20u)]
        [InlineData("192.0.2.1", "0.0.0.0/0", 100u)]
        [InlineData("10.1.2.3", "10.1.2.3/32", 0u)]   // the local table first
        [InlineData("10.1.255.255", "10.1.0.0/16", 10u)] // broadcast entries are not routes to use
        [InlineData("fd00::5", "fd00::/64", 256u)]
        public void LongestPrefixMatch(string address, string prefix, uint metric)
        {
            RouteEntry? route = RouteQuery.LongestPrefixMatch(Table, IPAddress.Parse(address));
            Assert.Equal((prefix, metric), (route!.DestinationPrefix, route.RouteMetric));
        }

        [Fact]
        public void NoMatchingFamilyIsNoRoute() =>
            Assert.Null(RouteQuery.LongestPrefixMatch(Table, IPAddress.Parse("2001:db8::1")));

        [Fact]
        public void FiltersCombine()
        {
            var query = new RouteQuery();
            query.Tables.Add(RouteTables.Main);
            AddressPrefix.TryParse("10.1.0.0/16", out AddressPrefix? prefix);
            query.Prefixes.Add(prefix!);
            Assert.Equal(2, Table.FindAll(query.Matches).Count);
            query.InterfaceMatches = name => name == "lo";
            Assert.Empty(Table.FindAll(query.Matches));

            var wildcard = new RouteQuery { PrefixMatches = text => text.StartsWith("10.1.") };
            wildcard.Families.Add(IPVersion.IPv4);
            Assert.Equal(4, Table.FindAll(wildcard.Matches).Count);
            wildcard.Families.Clear();
            wildcard.Families.Add(IPVersion.IPv6);
            Assert.Empty(Table.FindAll(wildcard.Matches));
        }

        [Fact]
        public void RouteWithoutTableIdMatchesNoTableFilter()
        {
            RouteEntry route = Route("fd00::/64", table: null);
            var query = new RouteQuery();
            Assert.True(query.Matches(route));
            query.Tables.Add(RouteTables.Main);
            Assert.False(query.Matches(route));
        }

        [Theory]
        [InlineData("main", 254u)]
        [InlineData("LOCAL", 255u)]
        [InlineData("default", 253u)]
        [InlineData("100", 100u)]
        public void TableNames(string text, uint id)
        {
            Assert.True(RouteTables.TryParse(text, out uint parsed));
            Assert.Equal(id, parsed);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("-1")]
        [InlineData("mian")]
        public void BadTableNames(string text) => Assert.False(RouteTables.TryParse(text, out _));

        [Theory]
        [InlineData("Network is unreachable", "There is no usable route to 192.0.2.1: Network is unreachable.")]
        [InlineData("The network location cannot be reached. ", "There is no usable route to 192.0.2.1: The network location cannot be reached.")]
        [InlineData(null, "There is no usable route to 192.0.2.1.")]
        public void NoRouteMessageEndsWithOneFullStop(string? reason, string message) =>
            Assert.Equal(message, GetRouteTableCommand.NoRouteMessage(IPAddress.Parse("192.0.2.1"), reason));

        [Fact]
        public void LookupFromATableEntryIsTheHostRouteThroughItsPath()
        {
            RouteEntry matched = Route("10.1.0.0/16", 10);
            RouteEntry route = RouteEntry.ForDestination(IPAddress.Parse("10.1.2.3"), matched, matched.NextHops[0], "10.1.0.1");
            Assert.Equal(("10.1.2.3/32", 32, "0.0.0.0", "pt0", 2, "10.1.0.1"),
                (route.DestinationPrefix, route.PrefixLength, route.NextHop, route.InterfaceAlias, route.InterfaceIndex, route.PreferredSource));
            Assert.Same(matched, route.MatchedRoute);
            Assert.Single(route.NextHops);
            // The scope of an IPv6 destination is not part of its prefix.
            Assert.Equal("fe80::1/128", RouteEntry.ForDestination(new IPAddress(IPAddress.Parse("fe80::1").GetAddressBytes(), 3), Route("fe80::/64"), null, null).DestinationPrefix);
        }
    }
}
