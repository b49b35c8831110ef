using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.NetworkInformation;
using System.Text.Json;
using System;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>/proc/net/dev captured in the test namespace together with `ip -s -s -j link`.</summary>
    public class LinuxInterfaceStatisticTests
    {
        [Fact]
        public void CountersMatchWhatIpSLinkPrinted()
        {
            var parsed = ProcNetDevParser.Parse(Fixtures.LinuxText("proc-net-dev.txt"), "test", ListingDiagnostics.Silent).ToDictionary(p => p.Name, p => p.Counters);
            JsonElement[] links = JsonDocument.Parse(File.ReadAllText(Fixtures.Linux("ip-s-link.json"))).RootElement.EnumerateArray().ToArray();
            Assert.Equal(links.Select(l => l.GetProperty("ifname").GetString()), parsed.Keys);
            foreach (JsonElement link in links)
            {
                Dictionary<string, ulong> ours = parsed[link.GetProperty("ifname").GetString()!];
                JsonElement rx = link.GetProperty("stats64").GetProperty("rx"), tx = link.GetProperty("stats64").GetProperty("tx");
                Assert.Equal(
                    new[] { rx.GetProperty("bytes").GetUInt64(), rx.GetProperty("packets").GetUInt64(), rx.GetProperty("errors").GetUInt64(),
                            rx.GetProperty("dropped").GetUInt64() + rx.GetProperty("missed_errors").GetUInt64(), rx.GetProperty("multicast").GetUInt64(),
                            tx.GetProperty("bytes").GetUInt64(), tx.GetProperty("packets").GetUInt64(), tx.GetProperty("errors").GetUInt64(),
                            tx.GetProperty("dropped").GetUInt64(), tx.GetProperty("collisions").GetUInt64() },
                    new[] { ours["rx_bytes"], ours["rx_packets"], ours["rx_errs"], ours["rx_drop"], ours["rx_multicast"],
                            ours["tx_bytes"], ours["tx_packets"], ours["tx_errs"], ours["tx_drop"], ours["tx_colls"] });
            }
            Assert.Equal(19ul, parsed["pt0"]["rx_packets"]);
            Assert.Equal(2010ul, parsed["pt0"]["tx_bytes"]);
        }

        [Fact]
        public void TypedCountersFollowNetstatE()
        {
            string header = string.Join("\n", File.ReadLines(Fixtures.Linux("proc-net-dev.txt")).Take(2));
            var counters = ProcNetDevParser.Parse(new StringReader(
                header + "\n  eth0:18446744073709551615 10 1 2 0 0 0 3 500 7 4 5 0 0 0 0\n"), "test", ListingDiagnostics.Silent).Single();
            Assert.Equal("eth0", counters.Name); // a counter touching the colon still splits
            InterfaceStatistic s = LinuxInterfaceStatisticSource.Build(counters.Name, counters.Counters);
            Assert.Equal(ulong.MaxValue, s.ReceivedBytes); // 64-bit
            Assert.Equal((10ul, 7ul, 3ul, 2ul, 1ul), (s.ReceivedPackets!.Value, s.ReceivedUnicastPackets!.Value, s.ReceivedNonUnicastPackets!.Value,
                s.ReceivedDiscardedPackets!.Value, s.ReceivedPacketErrors!.Value));
            Assert.Equal((500ul, 7ul, 5ul, 4ul), (s.SentBytes!.Value, s.SentPackets!.Value, s.SentDiscardedPackets!.Value, s.SentPacketErrors!.Value));
            Assert.Null(s.SentUnicastPackets);     // Linux does not split sent packets
            Assert.Null(s.ReceivedUnknownProtocols); // no rx_nohandler given
            Assert.Equal(16, s.Counters.Count);
        }

        [Fact]
        public void ChangeOverAnInterval()
        {
            Dictionary<string, ulong> Counters(ulong rxBytes) => ProcNetDevParser.Columns.ToDictionary(c => c, c => c == "rx_bytes" ? rxBytes : 1ul);
            InterfaceStatistic earlier = LinuxInterfaceStatisticSource.Build("pt0", Counters(1000));
            InterfaceStatistic later = LinuxInterfaceStatisticSource.Build("pt0", Counters(5000)).WithChangeSince(earlier, 2.0);
            Assert.Equal(4000, later.Delta!["rx_bytes"]);
            Assert.Equal(2000.0, later.ReceivedBytesPerSecond);
            Assert.Equal(0.0, later.SentBytesPerSecond);
            Assert.Null(earlier.Delta); // a copy: the earlier reading is as it was
            // An interface that was re-created counts from zero again: the fall shows as it is (CounterChange), and the
            // typed rate agrees with the raw counter's change.
            InterfaceStatistic reset = LinuxInterfaceStatisticSource.Build("pt0", Counters(10)).WithChangeSince(earlier, 2.0);
            Assert.Equal(-990, reset.Delta!["rx_bytes"]);
            Assert.Equal(-495.0, reset.ReceivedBytesPerSecond);
            Assert.Equal(reset.PerSecond!["rx_bytes"], reset.ReceivedBytesPerSecond);
        }

        [Theory]
        [InlineData("up\n", OperationalStatus.Up)]
        [InlineData("down", OperationalStatus.Down)]
        [InlineData("lowerlayerdown", OperationalStatus.LowerLayerDown)]
        [InlineData("unknown", OperationalStatus.Unknown)]
        [InlineData(null, OperationalStatus.Unknown)]
        public void OperState(string? text, OperationalStatus expected) => Assert.Equal(expected, LinuxInterfaceStatisticSource.OperState(text));

        [Fact]
        public void SysfsAttributesComeFromTheInterfaceDirectoryAndMayBeMissing()
        {
            string root = Directory.CreateTempSubdirectory("porttools-proc").FullName;
            try
            {
                Directory.CreateDirectory(Path.Combine(root, "proc", "net"));
                File.Copy(Fixtures.Linux("proc-net-dev.txt"), Path.Combine(root, "proc", "net", "dev"));
                string pt0 = Path.Combine(root, "sys", "pt0");
                Directory.CreateDirectory(Path.Combine(pt0, "statistics"));
                File.WriteAllText(Path.Combine(pt0, "ifindex"), "2\n");
                File.WriteAllText(Path.Combine(pt0, "mtu"), "1500\n");
                File.WriteAllText(Path.Combine(pt0, "operstate"), "up\n");
                File.WriteAllText(Path.Combine(pt0, "statistics", "rx_nohandler"), "3\n");
                var source = new LinuxInterfaceStatisticSource(new ProcFs(Path.Combine(root, "proc"), "/etc/passwd", Path.Combine(root, "sys")));
                var stats = source.GetStatistics(ListingDiagnostics.Silent).ToDictionary(s => s.Name);
                Assert.Equal((2, 1500, OperationalStatus.Up, 3ul), (stats["pt0"].InterfaceIndex, stats["pt0"].Mtu!.Value, stats["pt0"].State, stats["pt0"].ReceivedUnknownProtocols!.Value));
                Assert.Equal((0, (int?)null, OperationalStatus.Unknown, (ulong?)null), (stats["lo"].InterfaceIndex, stats["lo"].Mtu, stats["lo"].State, stats["lo"].ReceivedUnknownProtocols));
                Assert.Equal(19ul, stats["pt0"].ReceivedPackets);

                File.Delete(Path.Combine(root, "proc", "net", "dev"));
                Assert.Throws<FileNotFoundException>(() => source.GetStatistics(ListingDiagnostics.Silent));
            }
            finally
            {
                Directory.Delete(root, true);
            }
        }
    }
}
