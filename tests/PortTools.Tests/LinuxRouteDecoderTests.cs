using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// Route decoders on dumps captured in the test bed of tests/netns-routes.sh (see
    /// tests/Fixtures/linux/capture-netlink.py), checked against what `ip -j route show table all` printed
    /// for the same namespace at the same moment.
    /// </summary>
    public class LinuxRouteDecoderTests
    {
        private static readonly InterfaceNames Names = InterfaceNames.FromMap(
            File.ReadAllLines(Fixtures.Linux("links.txt"))
                .Select(line => line.Split(' '))
                .ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture), f => f[1]));

        private static List<RouteEntry> DecodeAll(string fixture)
        {
            byte[] data = Fixtures.LinuxBytes(fixture);
            var routes = new List<RouteEntry>();
            foreach (NetlinkMessage message in NetlinkDecoder.Split(data, data.Length))
            {
                if (message.Type == NetlinkDecoder.NLMSG_DONE) break;
                RouteEntry? route = RtnlRouteDecoder.Decode(message, Names);
                if (route != null) routes.Add(route);
            }
            return routes;
        }

        /// <summary>One line per route with every field ip prints, so two sources can be compared as sets.</summary>
        private static string Signature(RouteEntry r) =>
            $"{r.Type.ToString().ToLowerInvariant()} {r.DestinationPrefix} table {r.Table} proto {r.Protocol.ToString().ToLowerInvariant()} " +
            $"scope {r.Scope.ToString()!.ToLowerInvariant()} metric {r.RouteMetric} src {r.PreferredSource} hops " +
            string.Join(",", r.NextHops.Select(h => $"{h.NextHop}@{h.InterfaceAlias}*{h.Weight}"));

        private static string Signature(JsonElement j, bool v6)
        {
            string Text(string name, string otherwise) => j.TryGetProperty(name, out JsonElement e) ? e.ToString() : otherwise;
            string onLink = v6 ? "::" : "0.0.0.0";
            string dst = Text("dst", "");
            dst = dst == "default" ? (v6 ? "::/0" : "0.0.0.0/0") : dst.Contains('/') ? dst : dst + (v6 ? "/128" : "/32");
            string table = Text("table", "main") switch { "main" => "254", "local" => "255", "default" => "253", var t => t };
            var hops = new List<string>();
            if (j.TryGetProperty("nexthops", out JsonElement nexthops))
            {
                foreach (JsonElement h in nexthops.EnumerateArray())
                    hops.Add($"{(h.TryGetProperty("gateway", out var g) ? g.ToString() : onLink)}@{h.GetProperty("dev")}*{h.GetProperty("weight")}");
            }
            else if (j.TryGetProperty("dev", out JsonElement dev) || j.TryGetProperty("gateway", out _))
            {
                hops.Add($"{Text("gateway", onLink)}@{Text("dev", "")}*1");
            }
            // ip leaves out the defaults: type unicast, protocol boot, scope global, metric 0.
            return $"{Text("type", "unicast")} {dst} table {table} proto {Text("protocol", "boot")} scope {Text("scope", "global")} " +
                $"metric {Text("metric", "0")} src {Text("prefsrc", "")} hops {string.Join(",", hops)}";
        }

        private static string[] IpSignatures(string fixture, bool v6) =>
            JsonDocument.Parse(File.ReadAllText(Fixtures.Linux(fixture))).RootElement.EnumerateArray()
                .Select(j => Signature(j, v6)).OrderBy(s => s, StringComparer.Ordinal).ToArray();

        [Theory]
        [InlineData("rtnl-route-dump-ipv4.bin", "ip-route-show-table-all-ipv4.json", false)]
        [InlineData("rtnl-route-dump-ipv6.bin", "ip-route-show-table-all-ipv6.json", true)]
        public void DumpDecodesToWhatIpPrinted(string dump, string ipJson, bool v6)
        {
            string[] ours = DecodeAll(dump).Select(Signature).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            Assert.Equal(IpSignatures(ipJson, v6), ours);
        }

        [Fact]
        public void MultipathRouteKeepsEveryHopAndWeight()
        {
            RouteEntry route = DecodeAll("rtnl-route-dump-ipv4.bin").Single(r => r.DestinationPrefix == "10.99.6.0/24");
            Assert.Equal(new[] { ("10.99.1.2", "pt0", 1), ("10.99.1.3", "pt0", 3) },
                route.NextHops.Select(h => (h.NextHop, h.InterfaceAlias ?? "", h.Weight)));
            Assert.Equal("10.99.1.2", route.NextHop); // the first path, as /proc/net/route shows it
            Assert.Equal(2, route.InterfaceIndex);
        }

        [Fact]
        public void DumpHasEveryTableAndType()
        {
            List<RouteEntry> routes = DecodeAll("rtnl-route-dump-ipv4.bin");
            Assert.Equal(new uint?[] { 100, 254, 255 }, routes.Select(r => r.Table).Distinct().OrderBy(t => t));
            RouteEntry blackhole = routes.Single(r => r.DestinationPrefix == "10.99.4.0/24");
            Assert.Equal(RouteType.Blackhole, blackhole.Type);
            Assert.Empty(blackhole.NextHops);
            Assert.Null(blackhole.InterfaceAlias);
            Assert.Equal(RouteType.Prohibit, routes.Single(r => r.DestinationPrefix == "10.99.5.128/25").Type);
            RouteEntry dhcp = routes.Single(r => r.DestinationPrefix == "10.99.7.0/24");
            Assert.Equal((RouteProtocol.Dhcp, "100", "10.99.1.3"), (dhcp.Protocol, dhcp.TableName, dhcp.NextHop));
            RouteEntry connected = routes.Single(r => r.DestinationPrefix == "10.99.1.0/24");
            Assert.Equal((RouteProtocol.Kernel, RouteScope.Link, "10.99.1.1", "0.0.0.0"),
                (connected.Protocol, connected.Scope, connected.PreferredSource, connected.NextHop));
            Assert.Equal(RouteType.Broadcast, routes.Single(r => r.DestinationPrefix == "10.99.1.255/32").Type);
        }

        [Fact]
        public void LookupReplyIsTheMatchedTableEntry()
        {
            byte[] data = Fixtures.LinuxBytes("rtnl-route-get-10.99.7.5.bin");
            RouteEntry route = RtnlRouteDecoder.Decode(NetlinkDecoder.Split(data, data.Length).Single(), Names)!;
            // The policy rule "to 10.99.7.0/24 table 100" chose table 100.
            Assert.Equal(("10.99.7.0/24", 100u, "10.99.1.3", "pt0"), (route.DestinationPrefix, route.Table!.Value, route.NextHop, route.InterfaceAlias));

            data = Fixtures.LinuxBytes("rtnl-route-get-fd00-99-6--1.bin");
            route = RtnlRouteDecoder.Decode(NetlinkDecoder.Split(data, data.Length).Single(), Names)!;
            Assert.Equal("fd00:99:6::/64", route.DestinationPrefix);
            // IPv6 puts the sibling its hash chose first.
            Assert.Equal(new[] { "fd00:99:1::2", "fd00:99:1::3" }, route.NextHops.Select(h => h.NextHop).OrderBy(h => h, StringComparer.Ordinal));
        }

        [Fact]
        public void LookupOfABlackholeIsAnErrorReply()
        {
            byte[] data = Fixtures.LinuxBytes("rtnl-route-get-10.99.4.1-blackhole.bin");
            NetlinkMessage reply = NetlinkDecoder.Split(data, data.Length).Single();
            Assert.Equal(NetlinkDecoder.NLMSG_ERROR, reply.Type);
            Assert.Equal(-22, NetlinkDecoder.ErrorCode(reply)); // -EINVAL, what `ip route get` reports
        }

        [Fact]
        public void LookupRequestIsWhatIpRouteGetFibmatchSends()
        {
            byte[] request = RtnlRouteDecoder.LookupRequest(IPAddress.Parse("10.99.7.5"), 3);
            // Compare with the request captured by capture-netlink.py: the reply echoes it after the errno
            // in an error message, so the blackhole fixture holds one (bytes 20.., sequence 5).
            byte[] echoed = Fixtures.LinuxBytes("rtnl-route-get-10.99.4.1-blackhole.bin").Skip(20).ToArray();
            Assert.Equal(echoed.Length, request.Length);
            Assert.Equal(echoed.Take(8), request.Take(8));                 // length, type 26, flags REQUEST
            Assert.Equal(echoed.Skip(16).Take(12), request.Skip(16).Take(12)); // rtmsg: AF_INET, /32, FIB_MATCH|LOOKUP_TABLE
            Assert.Equal(new byte[] { 8, 0, 1, 0, 10, 99, 7, 5 }, request.Skip(28));
            // Plain `ip route get` keeps RTM_F_LOOKUP_TABLE only.
            Assert.Equal(new byte[] { 0, 0x10, 0, 0 }, RtnlRouteDecoder.LookupRequest(IPAddress.Parse("10.99.7.5"), 3, fibMatch: false).Skip(24).Take(4));
        }

        [Fact]
        public void ScopedLookupRequestAddsTheOutputInterface()
        {
            // `ip route get fe80::1 oif 3`: RTA_OIF (4) with the u32 index after RTA_DST, the length grown by 8.
            byte[] plain = RtnlRouteDecoder.LookupRequest(IPAddress.Parse("fe80::1"), 9, fibMatch: false);
            byte[] scoped = RtnlRouteDecoder.LookupRequest(IPAddress.Parse("fe80::1"), 9, fibMatch: false, outputInterface: 3);
            Assert.Equal(plain.Length + 8, scoped.Length);
            Assert.Equal((uint)scoped.Length, ByteReader.UInt32LittleEndian(scoped, 0));
            Assert.Equal(plain.Skip(4), scoped.Skip(4).Take(plain.Length - 4));
            Assert.Equal(new byte[] { 8, 0, 4, 0, 3, 0, 0, 0 }, scoped.Skip(plain.Length));
        }

        [Fact]
        public void DumpRequestAsksForEveryTable()
        {
            byte[] request = RtnlRouteDecoder.DumpRequest(RtnlRouteDecoder.AF_INET6, 7);
            Assert.Equal(new byte[] { 28, 0, 0, 0, 26, 0, 0x01, 0x03, 7, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, request);
        }

        [Fact]
        public void TruncatedDumpIsAFormatError()
        {
            byte[] data = Fixtures.LinuxBytes("rtnl-route-dump-truncated.bin");
            Assert.Throws<FormatException>(() => NetlinkDecoder.Split(data, data.Length).Select(m => RtnlRouteDecoder.Decode(m, Names)).ToList());
        }

        [Fact]
        public void ProcRouteHasTheMainTableAsNetlinkSawIt()
        {
            List<RouteEntry> proc = ProcRouteParser.ParseRoute(Fixtures.LinuxText("proc-net-route.txt"), Names, "test", ListingDiagnostics.Silent).ToList();
            // /proc/net/route: main table, no broadcast; a multipath route shows its first hop.
            string[] expected = DecodeAll("rtnl-route-dump-ipv4.bin")
                .Where(r => r.Table == RouteTables.Main)
                .Select(r => $"{r.DestinationPrefix} {r.NextHop} {r.InterfaceAlias} {r.RouteMetric} {(r.Type == RouteType.Prohibit ? RouteType.Unreachable : r.Type)}")
                .OrderBy(s => s, StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, proc.Select(r => $"{r.DestinationPrefix} {r.NextHop} {r.InterfaceAlias} {r.RouteMetric} {r.Type}").OrderBy(s => s, StringComparer.Ordinal));
            Assert.All(proc, r => Assert.Equal(RouteTables.Main, r.Table));
            Assert.Equal(2, proc.First(r => r.InterfaceAlias == "pt0").InterfaceIndex);
        }

        [Fact]
        public void ProcIpv6RouteHasEveryTableButNoTableIds()
        {
            List<RouteEntry> proc = ProcRouteParser.ParseIpv6Route(Fixtures.LinuxText("proc-net-ipv6_route.txt"), Names, "test", ListingDiagnostics.Silent).ToList();
            List<RouteEntry> netlink = DecodeAll("rtnl-route-dump-ipv6.bin");
            // The kernel's null entries (one per table) are gone; a multipath route is one line per hop.
            Assert.Equal(netlink.Select(r => r.DestinationPrefix).Distinct().OrderBy(s => s), proc.Select(r => r.DestinationPrefix).Distinct().OrderBy(s => s));
            Assert.Equal(netlink.Sum(r => Math.Max(1, r.NextHops.Length)), proc.Count);
            Assert.Equal(RouteType.Local, proc.Single(r => r.DestinationPrefix == "fd00:99:1::1/128").Type);
            Assert.Equal(RouteType.Multicast, proc.Single(r => r.DestinationPrefix == "ff00::/8").Type);
            Assert.Equal(RouteType.Unreachable, proc.Single(r => r.DestinationPrefix == "fd00:99:4::/64").Type); // a blackhole: the file cannot tell
            RouteEntry viaGateway = proc.Single(r => r.DestinationPrefix == "fd00:99:2::/64");
            Assert.Equal(("fd00:99:1::2", 50u, "pt0"), (viaGateway.NextHop, viaGateway.RouteMetric, viaGateway.InterfaceAlias));
            Assert.All(proc, r => Assert.Null(r.Table));
        }

        [Fact]
        public void AHeaderWithoutRoutesIsAnEmptyTable() =>
            Assert.Empty(ProcRouteParser.ParseRoute(Fixtures.LinuxText("proc-net-route-empty.txt"), Names, "test", ListingDiagnostics.Silent));

        [Fact]
        public void KernelWithoutIpv6ListsIpv4Only()
        {
            string root = Directory.CreateTempSubdirectory("porttools-proc").FullName;
            try
            {
                Directory.CreateDirectory(Path.Combine(root, "net"));
                File.Copy(Fixtures.Linux("proc-net-route.txt"), Path.Combine(root, "net", "route"));
                var source = new LinuxRouteSource(new ProcFs(root, "/etc/passwd"), useNetlink: false);
                var notes = new List<string>();
                var routes = source.GetRoutes(new RouteQuery(), new ListingDiagnostics(notes.Add, notes.Add), CancellationToken.None).ToList();
                Assert.Equal(7, routes.Count);
                Assert.All(routes, r => Assert.Equal(IPVersion.IPv4, r.AddressFamily));
                Assert.Contains(notes, n => n.Contains("ipv6_route is missing"));
            }
            finally
            {
                Directory.Delete(root, true);
            }
        }
    }
}
