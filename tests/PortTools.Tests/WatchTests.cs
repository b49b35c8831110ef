using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>Watch-PortConnection's change tracking, on readings made up here (the real sockets are in the Pester tests).</summary>
    public class ConnectionTrackerTests
    {
        private static PortConnection Tcp(int localPort, int remotePort, TcpState state, ulong inode, int? pid = null)
        {
            var socket = new SocketEntry(TransportProtocol.Tcp, IPVersion.IPv4, state, IPAddress.Loopback, localPort, IPAddress.Loopback, remotePort) { Inode = inode };
            return new PortConnection(socket, pid is int id ? new ProcessOwner(id, "owner", null) : null, null);
        }

        private static string Describe(ConnectionTracker.Change c) =>
            $"{c.Kind} {c.Connection.LocalPort}>{c.Connection.RemotePort} {c.PreviousState}->{c.Connection.State} pid={c.Connection.OwningProcess}";

        [Fact]
        public void ReportsOpenedClosedAndStateChangedOnce()
        {
            var tracker = new ConnectionTracker(new[] { Tcp(80, 0, TcpState.Listen, 1, 7), Tcp(80, 5000, TcpState.Established, 2, 7) });
            List<ConnectionTracker.Change> changes = tracker.Update(new[]
            {
                Tcp(80, 0, TcpState.Listen, 1),              // unchanged: no change
                Tcp(80, 5000, TcpState.CloseWait, 2),        // state changed; the owner is the one known from before
                Tcp(80, 5001, TcpState.Established, 3),      // opened
                Tcp(80, 5001, TcpState.Established, 3),      // listed twice under churn: one change
            });
            Assert.Equal(new[] { "StateChanged 80>5000 Established->CloseWait pid=7", "Opened 80>5001 ->Established pid=" },
                changes.Select(Describe).ToArray());
            Assert.Empty(tracker.Update(new[] { Tcp(80, 0, TcpState.Listen, 1), Tcp(80, 5000, TcpState.CloseWait, 2), Tcp(80, 5001, TcpState.Established, 3) }));
            Assert.Equal(new[] { "Closed 80>5000 ->CloseWait pid=7", "Closed 80>5001 ->Established pid=" },
                tracker.Update(new[] { Tcp(80, 0, TcpState.Listen, 1) }).Select(Describe).OrderBy(d => d).ToArray());
        }

        [Fact]
        public void TimeWaitWithoutInodeIsTheSameConnection()
        {
            var tracker = new ConnectionTracker(new[] { Tcp(5000, 80, TcpState.FinWait2, 9, 7) });
            List<ConnectionTracker.Change> changes = tracker.Update(new[] { Tcp(5000, 80, TcpState.TimeWait, 0) });
            Assert.Equal("StateChanged 5000>80 FinWait2->TimeWait pid=7", Describe(Assert.Single(changes)));
            Assert.Empty(tracker.Update(new[] { Tcp(5000, 80, TcpState.TimeWait, 0) }));
        }

        [Fact]
        public void APortReusedByAnotherSocketIsACloseAndAnOpen()
        {
            var tracker = new ConnectionTracker(new[] { Tcp(5000, 80, TcpState.Established, 9) });
            Assert.Equal(new[] { "Closed 5000>80 ->Established pid=", "Opened 5000>80 ->Established pid=" },
                tracker.Update(new[] { Tcp(5000, 80, TcpState.Established, 10) }).Select(Describe).OrderBy(d => d).ToArray());
        }

        [Fact]
        public void OwnersFromASecondListingGoOnTheOpenedAndAreKept()
        {
            var tracker = new ConnectionTracker(Array.Empty<PortConnection>());
            List<ConnectionTracker.Change> changes = tracker.Update(new[] { Tcp(80, 5001, TcpState.Established, 3) });
            tracker.TakeOwners(changes, new[] { Tcp(80, 5001, TcpState.CloseWait, 3, 42) });
            // The state is the first listing's (what the change saw); the owner is the second's.
            Assert.Equal("Opened 80>5001 ->Established pid=42", Describe(Assert.Single(changes)));
            Assert.Equal("StateChanged 80>5001 Established->CloseWait pid=42",
                Describe(Assert.Single(tracker.Update(new[] { Tcp(80, 5001, TcpState.CloseWait, 3) }))));
        }
    }

    public class ConnectionTrackerAcceptTests
    {
        [Fact]
        public void ASocketAcceptedAfterTheReadingThatSawItOpenHasItsOwnerLookedUp()
        {
            static PortConnection Server(ulong inode, int? pid = null) => new PortConnection(
                new SocketEntry(TransportProtocol.Tcp, IPVersion.IPv4, TcpState.Established, IPAddress.Loopback, 80, IPAddress.Loopback, 5001) { Inode = inode },
                pid is int id ? new ProcessOwner(id, "server", null) : null, null);
            var tracker = new ConnectionTracker(Array.Empty<PortConnection>());
            // Still in the listener's queue: no inode, so no owner can be found for it yet.
            ConnectionTracker.Change opened = Assert.Single(tracker.Update(new[] { Server(0) }));
            tracker.TakeOwners(new List<ConnectionTracker.Change> { opened }, new[] { Server(0) });
            Assert.Null(opened.Connection.OwningProcess);
            // Accepted: the same connection (no change), now with an inode, whose owner the next owner listing finds.
            List<ConnectionTracker.Change> changes = tracker.Update(new[] { Server(12) });
            Assert.Empty(changes);
            Assert.Equal(12UL, Assert.Single(tracker.NeedOwners).Inode);
            tracker.TakeOwners(changes, new[] { Server(12, 42) });
            var closed = Assert.Single(tracker.Update(Array.Empty<PortConnection>()));
            Assert.Equal(ConnectionChangeKind.Closed, closed.Kind);
            Assert.Equal(42, closed.Connection.OwningProcess);
        }
    }

    /// <summary>-ResolveHostName's lookups: parallel, bounded by a timeout, each address once per call.</summary>
    [Collection("HostNameLookup")] // the resolver and timeout are static: these tests must not overlap
    public class HostNameLookupTests : IDisposable
    {
        private readonly IHostNameResolver _saved = HostNameLookup.Resolver;
        private readonly TimeSpan _savedTimeout = HostNameLookup.Timeout;

        public void Dispose()
        {
            HostNameLookup.Resolver = _saved;
            HostNameLookup.Timeout = _savedTimeout;
        }

        private sealed class SlowResolver : IHostNameResolver
        {
            internal readonly ConcurrentDictionary<string, int> Calls = new ConcurrentDictionary<string, int>();
            internal TimeSpan Delay { get; set; }
            internal string? Silent { get; set; }

            public async Task<string?> ResolveAsync(IPAddress address)
            {
                Calls.AddOrUpdate(address.ToString(), 1, (_, n) => n + 1);
                if (address.ToString() == Silent) await Task.Delay(Timeout.Infinite);
                await Task.Delay(Delay);
                return "host-" + address.ToString().Replace('.', '-');
            }
        }

        private static PortConnection To(string remote, int remotePort = 443) =>
            new PortConnection(new SocketEntry(TransportProtocol.Tcp, IPVersion.IPv4, TcpState.Established, IPAddress.Loopback, 40000,
                IPAddress.Parse(remote), remotePort), null, null);

        [Fact]
        public void LooksUpInParallelOncePerAddressAndKeepsTheNumbers()
        {
            var resolver = new SlowResolver { Delay = TimeSpan.FromMilliseconds(300) };
            HostNameLookup.Resolver = resolver;
            List<PortConnection> connections = Enumerable.Range(1, 20).Select(i => To("10.0.0." + i)).Concat(new[] { To("10.0.0.1"), To("0.0.0.0", 0) }).ToList();
            var lookup = new HostNameLookup();
            var progress = new List<(int Done, int Total)>();
            var clock = Stopwatch.StartNew();
            List<PortConnection> named = lookup.Resolve(connections, (done, total) => progress.Add((done, total)), CancellationToken.None);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"20 lookups of 300 ms took {clock.Elapsed}: not in parallel");
            Assert.Equal("host-10-0-0-7", named[6].RemoteHostName);
            Assert.Equal("10.0.0.7", named[6].RemoteAddress);
            Assert.Null(connections[6].RemoteHostName); // a copy is named: the reading itself never changes
            Assert.Null(named[21].RemoteHostName); // not connected: nothing to look up
            Assert.Equal((20, 20), progress.Last());
            Assert.All(resolver.Calls.Values, n => Assert.Equal(1, n));

            // The same call (a watch's next refresh) asks nothing again.
            var again = new List<PortConnection> { To("10.0.0.3") };
            Assert.Equal("host-10-0-0-3", lookup.Resolve(again, (_, _) => { }, CancellationToken.None)[0].RemoteHostName);
            Assert.Equal(1, resolver.Calls["10.0.0.3"]);
        }

        [Fact]
        public void ALookupThatDoesNotAnswerLeavesNoNameAfterTheTimeout()
        {
            HostNameLookup.Resolver = new SlowResolver { Silent = "10.9.9.9" };
            HostNameLookup.Timeout = TimeSpan.FromMilliseconds(500);
            var connections = new List<PortConnection> { To("10.9.9.9"), To("10.0.0.1") };
            var clock = Stopwatch.StartNew();
            List<PortConnection> named = new HostNameLookup().Resolve(connections, (_, _) => { }, CancellationToken.None);
            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(5));
            Assert.Null(named[0].RemoteHostName);
            Assert.Equal("host-10-0-0-1", named[1].RemoteHostName);
        }

        [Fact]
        public void StopsAtOnceWhenCancelled()
        {
            HostNameLookup.Resolver = new SlowResolver { Silent = "10.9.9.9" };
            HostNameLookup.Timeout = TimeSpan.FromMinutes(5);
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => new HostNameLookup().Resolve(new[] { To("10.9.9.9") }, (_, _) => { }, stop.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3));
        }
    }
}
