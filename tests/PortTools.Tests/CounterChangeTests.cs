using System.Collections.Generic;
using System.IO;
using System.Linq;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>The one rule for -Interval (Models/CounterChange.cs), and both statistics following it alike.</summary>
    public class CounterChangeTests
    {
        [Fact]
        public void AChangeIsTheSignedDifferenceAndAMissingEarlierCounterWasZero()
        {
            var earlier = new Dictionary<string, ulong> { ["grew"] = 10, ["fell"] = 500, ["gone"] = 1 };
            var now = new Dictionary<string, ulong> { ["grew"] = 30, ["fell"] = 20, ["new"] = 7 };
            CounterChange change = CounterChange.Between(now, earlier, 4.0);
            Assert.Equal(new[] { "grew", "fell", "new" }, change.Delta.Keys); // the later reading's counters, in its order
            Assert.Equal(new long[] { 20, -480, 7 }, change.Delta.Values); // "new" appeared: a histogram bucket left out while 0
            Assert.Equal(new[] { 5.0, -120.0, 1.75 }, change.PerSecond.Values);
            Assert.Equal(4.0, change.Seconds);
            Assert.All(CounterChange.Between(now, null, 1.0).Delta.Values, d => Assert.Equal(0, d));
        }

        [Fact]
        public void ACounterThatWrappedPast2To64ShowsWhatItGrew()
        {
            Assert.Equal(16, CounterChange.Difference(5, ulong.MaxValue - 10));
            // Kept as a signed number (SnmpParser wraps values above 2^63): the same answer.
            var earlier = new Dictionary<string, long> { ["c"] = unchecked((long)(ulong.MaxValue - 10)) };
            Assert.Equal(16, CounterChange.Between(new Dictionary<string, long> { ["c"] = 5 }, earlier, 1.0).Delta["c"]);
        }

        [Fact]
        public void ProtocolAndInterfaceStatisticsTreatAFallAlike()
        {
            ProtocolStatistic Tcp(long established, long opens) => LinuxProtocolStatisticSource.Group(SnmpParser.ParsePairs(
                new StringReader($"Tcp: CurrEstab ActiveOpens\nTcp: {established} {opens}\n"), "test", ListingDiagnostics.Silent)).Single();
            ProtocolStatistic earlierTcp = Tcp(9, 100);
            ProtocolStatistic tcp = Tcp(4, 40).WithChangeSince(earlierTcp, 2.0); // a gauge fell; a counter was reset
            Assert.Equal(-5, tcp.Delta!["TcpCurrEstab"]);
            Assert.Equal(-60, tcp.Delta["TcpActiveOpens"]);
            Assert.Null(earlierTcp.Delta);
            Assert.Equal(4, tcp.CurrentEstablished); // the typed properties keep the readings

            Dictionary<string, ulong> Counters(ulong packets) => ProcNetDevParser.Columns.ToDictionary(c => c, c => c == "tx_packets" ? packets : 0ul);
            InterfaceStatistic earlierLink = LinuxInterfaceStatisticSource.Build("pt0", Counters(100));
            InterfaceStatistic link = LinuxInterfaceStatisticSource.Build("pt0", Counters(40)).WithChangeSince(earlierLink, 2.0);
            Assert.Equal(-60, link.Delta!["tx_packets"]);
            Assert.Equal(-30.0, link.SentPacketsPerSecond);
            Assert.Equal(tcp.PerSecond!["TcpActiveOpens"], link.PerSecond!["tx_packets"]);
        }
    }
}
