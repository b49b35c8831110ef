using System.Collections.Generic;
using System.IO;
using System.Linq;
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
    /// One parse policy for every /proc text table (Platform/Linux/ProcText.cs), held to each parser alike: an unknown
    /// header throws InvalidDataException, a malformed line is left out and counted in one warning, an empty file is an
    /// empty table. The inputs are the real captures under tests/Fixtures/linux, spoiled line by line.
    /// </summary>
    public class ProcTextPolicyTests
    {
        private static readonly InterfaceNames Names = InterfaceNames.FromMap(new Dictionary<int, string> { [1] = "lo", [2] = "pt0" });

        /// <summary>A parser: its fixture, how many header lines it has, two lines it cannot read, what it makes of a text (rows or counters).</summary>
        public sealed record ParserCase(string Name, string Fixture, int HeaderLines, Func<TextReader, List<string>, int> Parse, string Bad1, string Bad2)
        {
            public override string ToString() => Name;
        }

        public static TheoryData<ParserCase> Parsers() => new TheoryData<ParserCase>
        {
            new ParserCase("tcp", "proc-net-tcp.txt", 1, (t, w) => ProcNetParser.ParseSockets(t, TransportProtocol.Tcp, IPVersion.IPv4, "/proc/net/tcp", Warn(w)).Count(),
                "   9: 0100007F:1F90", "  10: 0100007F:1FFFF 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1"),
            new ParserCase("udp6", "proc-net-udp6.txt", 1, (t, w) => ProcNetParser.ParseSockets(t, TransportProtocol.Udp, IPVersion.IPv6, "/proc/net/udp6", Warn(w)).Count(),
                "   9: nonsense", "  10: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000 x 0 1"),
            new ParserCase("route", "proc-net-route.txt", 1, (t, w) => ProcRouteParser.ParseRoute(t, Names, "/proc/net/route", Warn(w)).Count(),
                "pt0\t0001630A", "pt0\tXY01630A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"),
            new ParserCase("ipv6_route", "proc-net-ipv6_route.txt", 0, (t, w) => ProcRouteParser.ParseIpv6Route(t, Names, "/proc/net/ipv6_route", Warn(w)).Count(),
                "fd00 40", "fd000099000700000000000000000000 99 00000000000000000000000000000000 00 fd000099000100000000000000000003 00000400 00000001 00000000 00000003 pt0"),
            new ParserCase("dev", "proc-net-dev.txt", 2, (t, w) => ProcNetDevParser.Parse(t, "/proc/net/dev", Warn(w)).Count(),
                "  pt9 0 0 0", "  pt9: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x"),
            new ParserCase("snmp", "proc-net-snmp.txt", 0, (t, w) => SnmpParser.ParsePairs(t, "/proc/net/snmp", Warn(w)).Count(),
                "Foo: A B\nFoo: 1", "Bar: C D"),
            new ParserCase("snmp6", "proc-net-snmp6.txt", 0, (t, w) => SnmpParser.ParseSnmp6(t, "/proc/net/snmp6", Warn(w)).Count(),
                "Ip6Bogus x", "lonely"),
        };

        private static ListingDiagnostics Warn(List<string> warnings) => new ListingDiagnostics(_ => { }, warnings.Add);

        private static (int Rows, List<string> Warnings) Parse(Func<TextReader, List<string>, int> parse, string text)
        {
            var warnings = new List<string>();
            int rows = parse(new StringReader(text), warnings);
            return (rows, warnings);
        }

        private static string WithLines(string text, int afterLine, params string[] lines)
        {
            List<string> all = text.Split('\n').ToList();
            all.InsertRange(afterLine, lines);
            return string.Join("\n", all);
        }

        [Theory]
        [MemberData(nameof(Parsers))]
        public void AMalformedLineIsLeftOutCountedAndWarnedOnce(ParserCase parser)
        {
            string text = Fixtures.Text("linux/" + parser.Fixture);
            var (rows, clean) = Parse(parser.Parse, text);
            Assert.True(rows > 0);
            Assert.Empty(clean);
            // One bad line among the first rows, one at the end.
            var (kept, warnings) = Parse(parser.Parse, WithLines(text, parser.HeaderLines, parser.Bad1) + "\n" + parser.Bad2 + "\n");
            Assert.Equal(rows, kept);
            string warning = Assert.Single(warnings);
            Assert.StartsWith("2 lines of /proc/net/", warning);
            Assert.Contains("could not be read and were left out; the rest of the table is listed. The first: '", warning);
        }

        [Theory]
        [MemberData(nameof(Parsers))]
        public void AnEmptyFileIsAnEmptyTable(ParserCase parser)
        {
            var (rows, warnings) = Parse(parser.Parse, "");
            Assert.Equal((0, 0), (rows, warnings.Count));
        }

        [Theory]
        [MemberData(nameof(Parsers))]
        public void AHeaderThisVersionDoesNotReadStopsTheListing(ParserCase parser)
        {
            if (parser.HeaderLines == 0) return; // ipv6_route, snmp and snmp6 have no header: every line is a record
            List<string> lines = Fixtures.Text("linux/" + parser.Fixture).Split('\n').ToList();
            // A column renamed in the line that names them: every row would be misread.
            int header = parser.HeaderLines - 1;
            lines[header] = lines[header].Replace("uid", "gid").Replace("Gateway", "Via").Replace("colls", "collisions");
            var e = Assert.Throws<InvalidDataException>(() => Parse(parser.Parse, string.Join("\n", lines)));
            Assert.Matches(@"^/proc/net/\S+ does not start with the header this version reads \(.+\) but with '.+'\.$", e.Message);
        }

        [Fact]
        public void WhatAWarningQuotesIsEscapedAndCut()
        {
            var warnings = new List<string>();
            string hostile = "\u001b]0;owned\u0007" + new string('x', 500);
            SnmpParser.ParseSnmp6(new StringReader(hostile + "\nIp6InReceives 5\n"), "/proc/net/snmp6", new ListingDiagnostics(_ => { }, warnings.Add)).ToList();
            string warning = Assert.Single(warnings);
            Assert.StartsWith("1 line of /proc/net/snmp6 could not be read and was left out", warning);
            Assert.Contains("'\\e]0;owned\\axxx", warning);
            Assert.DoesNotContain('\u001b', warning);
            Assert.True(warning.Length < 400, warning);
        }

        [Fact]
        public void TruncatedCapturesKeepWhatIsWhole()
        {
            var (routes, routeWarnings) = Parse((t, w) => ProcRouteParser.ParseRoute(t, Names, "/proc/net/route", Warn(w)).Count(), Fixtures.Text("linux/proc-net-route-truncated.txt"));
            Assert.Equal((0, 1), (routes, routeWarnings.Count));
            var (devices, deviceWarnings) = Parse((t, w) => ProcNetDevParser.Parse(t, "/proc/net/dev", Warn(w)).Count(), Fixtures.Text("linux/proc-net-dev-truncated.txt"));
            Assert.Equal((0, 1), (devices, deviceWarnings.Count));
            // Cut in the middle of the Icmp pair: Ip's counters are whole, Icmp's names have no values.
            var (counters, snmpWarnings) = Parse((t, w) => SnmpParser.ParsePairs(t, "/proc/net/snmp", Warn(w)).Count(), Fixtures.Text("linux/proc-net-snmp-truncated.txt"));
            Assert.Equal((20, 1), (counters, snmpWarnings.Count));
        }

        [Fact]
        public void ABackendReadingAnUnknownHeaderThrowsWhatTheCmdletsReportAsAReadError()
        {
            string root = Directory.CreateTempSubdirectory("porttools-proc").FullName;
            try
            {
                Directory.CreateDirectory(Path.Combine(root, "net"));
                File.WriteAllText(Path.Combine(root, "net", "route"), "Iface\tDest\tVia\n");
                File.WriteAllText(Path.Combine(root, "net", "dev"), "Inter-|\n face |bytes|bytes\n");
                File.WriteAllText(Path.Combine(root, "net", "snmp"), "Udp: InDatagrams NoPorts\nUdp: 7 x\nTcp: ActiveOpens\nTcp: 3\n");
                var proc = new ProcFs(root, "/etc/passwd", Path.Combine(root, "sys"));
                var warnings = new List<string>();
                var diagnostics = new ListingDiagnostics(_ => { }, warnings.Add);
                Assert.Throws<InvalidDataException>(() => new LinuxRouteSource(proc, useNetlink: false).GetRoutes(new RouteQuery(), diagnostics, CancellationToken.None).ToList());
                Assert.Throws<InvalidDataException>(() => new LinuxInterfaceStatisticSource(proc).GetStatistics(diagnostics));
                // A malformed pair of /proc/net/snmp: the rest is listed, and the listing says so once.
                warnings.Clear();
                IReadOnlyList<ProtocolStatistic> statistics = new LinuxProtocolStatisticSource(proc).GetStatistics(diagnostics);
                Assert.Equal(3, Assert.Single(statistics).ActiveOpens);
                Assert.StartsWith($"1 line of {Path.Combine(root, "net", "snmp")} could not be read", Assert.Single(warnings));
            }
            finally
            {
                Directory.Delete(root, true);
            }
        }
    }
}
