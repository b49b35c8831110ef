using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// /proc/net/snmp, netstat and snmp6 captured in a quiet test namespace after 20 UDP datagrams to
    /// 10.99.1.2 and 5 to fd00:99:1::2, with `nstat -asz --json` taken at the same moment.
    /// </summary>
    public class LinuxSnmpParserTests
    {
        private static List<(string Group, string Name, long Value)> ParseFixtures() =>
            SnmpParser.ParsePairs(Fixtures.LinuxText("proc-net-snmp.txt"), "test", ListingDiagnostics.Silent)
                .Concat(SnmpParser.ParsePairs(Fixtures.LinuxText("proc-net-netstat.txt"), "test", ListingDiagnostics.Silent))
                .Concat(SnmpParser.ParseSnmp6(Fixtures.LinuxText("proc-net-snmp6.txt"), "test", ListingDiagnostics.Silent))
                .ToList();

        private static Dictionary<string, long> Nstat() =>
            JsonDocument.Parse(File.ReadAllText(Fixtures.Linux("nstat-asz.json"))).RootElement.GetProperty("kernel")
                .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

        [Fact]
        public void EveryCounterNstatKnowsHasItsNameAndValue()
        {
            var ours = ParseFixtures().ToDictionary(c => c.Name, c => c.Value);
            Dictionary<string, long> nstat = Nstat();
            Assert.True(nstat.Count > 300, $"nstat listed {nstat.Count} counters");
            foreach (var (name, value) in nstat) Assert.Equal((name, value), (name, ours[name]));
            // nstat leaves out the settings and gauges; nothing else is extra.
            Assert.Equal(new[] { "IpDefaultTTL", "IpForwarding", "TcpCurrEstab", "TcpMaxConn", "TcpRtoAlgorithm", "TcpRtoMax", "TcpRtoMin" },
                ours.Keys.Except(nstat.Keys).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(-1, ours["TcpMaxConn"]);
        }

        [Fact]
        public void CountersAreGroupedByProtocolAndFamily()
        {
            List<(string Group, string Name, long Value)> counters = ParseFixtures();
            IReadOnlyList<ProtocolStatistic> stats = LinuxProtocolStatisticSource.Group(counters);
            Assert.Equal(counters.Count, stats.Sum(s => s.Counters.Count)); // none dropped
            ProtocolStatistic Get(NetworkProtocol p, IPVersion? f) => stats.Single(s => s.Protocol == p && s.AddressFamily == f);

            ProtocolStatistic tcp = Get(NetworkProtocol.Tcp, null);
            Assert.Contains("TcpExtTCPTimeouts", tcp.Counters.Keys);
            Assert.Equal(tcp.Counters["TcpActiveOpens"], tcp.ActiveOpens);
            Assert.Equal(tcp.Counters["TcpRetransSegs"], tcp.SegmentsRetransmitted);
            Assert.Equal(tcp.Counters["TcpCurrEstab"], tcp.CurrentEstablished);
            Assert.Null(tcp.InDatagrams);

            ProtocolStatistic ip = Get(NetworkProtocol.Ip, IPVersion.IPv4);
            Assert.Equal(20, ip.OutRequests);
            Assert.Contains("IpExtOutOctets", ip.Counters.Keys);
            Assert.Equal(20, Get(NetworkProtocol.Udp, IPVersion.IPv4).OutDatagrams);
            Assert.Equal(5, Get(NetworkProtocol.Udp, IPVersion.IPv6).OutDatagrams);
            Assert.Equal(7, Get(NetworkProtocol.Ip, IPVersion.IPv6).OutRequests);
            Assert.Equal(0, Get(NetworkProtocol.Ip, IPVersion.IPv6).ForwardedDatagrams);

            ProtocolStatistic icmp = Get(NetworkProtocol.Icmp, IPVersion.IPv4);
            Assert.Equal(6, icmp.InDestinationUnreachable);
            Assert.Equal(6, icmp.Counters["IcmpMsgInType3"]);
            Assert.Equal(0, Get(NetworkProtocol.Icmp, IPVersion.IPv6).InEchoReplies);
            Assert.Contains(stats, s => s.Protocol == NetworkProtocol.MPTcp);
            Assert.DoesNotContain(stats, s => s.Protocol == NetworkProtocol.Other);
        }

        [Fact]
        public void UnknownGroupsAreKept()
        {
            var stats = LinuxProtocolStatisticSource.Group(SnmpParser.ParsePairs(new StringReader("SctpExt: A B\nSctpExt: 1 2\n"), "test", ListingDiagnostics.Silent));
            Assert.Equal(NetworkProtocol.Other, stats.Single().Protocol);
            Assert.Equal(2, stats.Single().Counters["SctpExtB"]);
        }

        [Fact]
        public void ChangeOverAnInterval()
        {
            var earlier = LinuxProtocolStatisticSource.Group(SnmpParser.ParsePairs(new StringReader("Udp: InDatagrams OutDatagrams\nUdp: 10 20\n"), "test", ListingDiagnostics.Silent)).Single();
            var later = LinuxProtocolStatisticSource.Group(SnmpParser.ParsePairs(new StringReader("Udp: InDatagrams OutDatagrams\nUdp: 14 20\n"), "test", ListingDiagnostics.Silent)).Single();
            ProtocolStatistic change = later.WithChangeSince(earlier, 2.0);
            Assert.Equal(14, change.InDatagrams); // typed properties keep the totals
            Assert.Equal(4, change.Delta!["UdpInDatagrams"]);
            Assert.Equal(2.0, change.PerSecond!["UdpInDatagrams"]);
            Assert.Equal(0, change.Delta["UdpOutDatagrams"]);
            Assert.Equal(2.0, change.IntervalSeconds);
        }

        [Fact]
        public void KernelWithoutIpv6OrExtendedCountersReportsTheRest()
        {
            string root = Directory.CreateTempSubdirectory("porttools-proc").FullName;
            try
            {
                Directory.CreateDirectory(Path.Combine(root, "net"));
                File.Copy(Fixtures.Linux("proc-net-snmp.txt"), Path.Combine(root, "net", "snmp"));
                var notes = new List<string>();
                var stats = new LinuxProtocolStatisticSource(new ProcFs(root, "/etc/passwd")).GetStatistics(new ListingDiagnostics(notes.Add, notes.Add));
                Assert.Equal(new[] { "Ip", "Icmp", "Tcp", "Udp", "UdpLite" }, stats.Select(s => s.Protocol.ToString()));
                Assert.DoesNotContain(stats, s => s.AddressFamily == IPVersion.IPv6);
                Assert.Equal(2, notes.Count(n => n.Contains("is missing")));
            }
            finally
            {
                Directory.Delete(root, true);
            }
        }
    }
}
