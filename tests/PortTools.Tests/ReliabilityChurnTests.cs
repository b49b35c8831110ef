using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using PortTools.Query;
using Xunit.Abstractions;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>Run alone, after the parallel tests: the churn takes a core, and the rate it reaches is a figure of this test.</summary>
    [CollectionDefinition(nameof(ReliabilityCollection), DisableParallelization = true)]
    public sealed class ReliabilityCollection
    {
    }

    /// <summary>
    /// The Linux backend while loopback TCP connections are opened and closed thousands of times a second: the
    /// kernel's socket tables change under every read, and no listing may fail, lose a socket that stayed open
    /// the whole time, or show one socket twice.
    /// </summary>
    [Collection(nameof(ReliabilityCollection))]
    public sealed class ReliabilityChurnTests
    {
        private const int HeldConnections = 500; // 1,000 sockets that stay open the whole time
        private const int Listings = 200;
        // A floor well below what one thread reaches on loopback (tens of thousands a second on 2 cores), and
        // still enough that every listing overlaps hundreds of sockets being created and destroyed.
        private const double MinimumChurnPerSecond = 1000;
        // Bounds of the load, whatever happens to the listings.
        private const long MaxChurnConnections = 5_000_000;
        private static readonly TimeSpan MaxChurnTime = TimeSpan.FromSeconds(120);

        private readonly ITestOutputHelper _output;

        public ReliabilityChurnTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void ListingsUnderChurnNeitherFailNorLoseNorDoubleASocket(bool netlink)
        {
            if (!OperatingSystem.IsLinux()) return;
            int pid = Environment.ProcessId;
            var source = new LinuxConnectionSource(ProcFs.Default, netlink ? LinuxConnectionSource.OpenSockDiag : null);
            var warnings = new List<string>();
            var diagnostics = new ListingDiagnostics(_ => { }, warnings.Add);
            int lost = 0, unowned = 0, doubled = 0;
            long listed = 0;
            var examples = new List<string>();
            var clock = Stopwatch.StartNew();
            double churnRate;
            long churned;

            using (var held = new HeldLoopbackConnections(HeldConnections))
            {
                HashSet<string> heldKeys = held.Keys.ToHashSet();
                Assert.Equal(2 * HeldConnections, heldKeys.Count);
                using (var churn = new LoopbackChurn(MaxChurnConnections, MaxChurnTime))
                {
                    for (int i = 0; i < Listings; i++)
                    {
                        // Any exception fails the test: a listing under churn must not raise one.
                        List<PortConnection> listing = source.GetConnections(new ConnectionQuery(), diagnostics, CancellationToken.None).ToList();
                        listed += listing.Count;
                        var seen = new Dictionary<(TransportProtocol, string, int, string, int, ulong), PortConnection>();
                        var heldSeen = new HashSet<string>();
                        foreach (PortConnection c in listing)
                        {
                            var identity = (c.Protocol, c.LocalAddress, c.LocalPort, c.RemoteAddress, c.RemotePort, c.Inode);
                            if (seen.TryGetValue(identity, out PortConnection? first))
                            {
                                doubled++;
                                if (examples.Count < 5) examples.Add($"listing {i}: twice, inode {c.Inode}: first as {first}, then as {c}");
                            }
                            else
                            {
                                seen.Add(identity, c);
                            }
                            string key = HeldLoopbackConnections.KeyOf(c);
                            if (c.Protocol != TransportProtocol.Tcp || !heldKeys.Contains(key)) continue;
                            heldSeen.Add(key);
                            if (c.OwningProcess != pid)
                            {
                                unowned++;
                                if (examples.Count < 5) examples.Add($"listing {i}: no owner for {c}");
                            }
                        }
                        foreach (string key in heldKeys.Where(k => !heldSeen.Contains(k)))
                        {
                            lost++;
                            if (examples.Count < 5) examples.Add($"listing {i}: lost {key}");
                        }
                    }
                    churned = churn.Connections;
                    churnRate = churn.Rate;
                }
            }

            _output.WriteLine($"{(netlink ? "netlink" : "/proc/net")}: {Listings} listings in {clock.Elapsed.TotalSeconds:0.0} s, " +
                $"{listed / Listings} sockets each on average, {2 * HeldConnections} held sockets; lost {lost}, without owner {unowned}, " +
                $"doubled {doubled}; churn {churned} connections, {churnRate:0} per second; warnings {warnings.Count}");
            foreach (string example in examples) _output.WriteLine(example);
            Assert.True(churnRate > MinimumChurnPerSecond, $"The churn reached only {churnRate:0} connections per second.");
            Assert.Empty(warnings);
            Assert.Equal(0, lost);
            Assert.Equal(0, unowned);
            // Fails on the /proc/net fallback as of f0a1d2e: rows are de-duplicated by inode only, and a
            // TIME_WAIT row (inode 0) that the kernel's position-based /proc/net/tcp walk repeats under churn is
            // listed twice. Reported; the test stays as it is.
            Assert.Equal(0, doubled);
        }
    }
}
