using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform.Windows;
using PortTools.Platform;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// The Windows backend over fake IP Helper tables laid out by <see cref="OwnerPidTable"/>: which tables it asks
    /// for, owners (pid 0 is none), names and paths, filters.
    /// </summary>
    public class WindowsConnectionSourceTests
    {
        private const uint AfInet = 2, AfInet6 = 23;
        private const int ListenerClass = 3, AllClass = 5; // TCP_TABLE_OWNER_PID_LISTENER, _ALL

        private readonly List<string> _tablesRead = new List<string>();
        private readonly List<int> _pathsLookedUp = new List<int>();
        private int _processListings;

        private readonly byte[] _tcp4 = OwnerPidTable.Tcp4(
            (2, "0.0.0.0", 80, "0.0.0.0", 0, 100),             // LISTEN, httpd
            (5, "127.0.0.1", 80, "127.0.0.1", 50000, 100),     // ESTABLISHED, httpd
            (5, "127.0.0.1", 50000, "127.0.0.1", 80, 200),     // ESTABLISHED, curl
            (11, "127.0.0.1", 50001, "127.0.0.1", 80, 0),      // TIME_WAIT: pid 0, the System Idle Process
            (2, "0.0.0.0", 445, "0.0.0.0", 0, 4));             // LISTEN, System (no readable path)
        private readonly byte[] _tcp6 = OwnerPidTable.Tcp6(("::1", 0u, 8080, "::", 0u, 0, 2u, 300u)); // LISTEN, pid 300 has exited
        private readonly byte[] _udp4 = OwnerPidTable.Udp4(("0.0.0.0", 53, 100u));
        private readonly byte[] _udp6 = OwnerPidTable.Udp6(("::", 0u, 5353, 0u));

        private List<PortConnection> List(ConnectionQuery query)
        {
            var names = new Dictionary<int, string> { [0] = "Idle", [4] = "System", [100] = "httpd", [200] = "curl" };
            var source = new WindowsConnectionSource(
                (family, tableClass) =>
                {
                    _tablesRead.Add($"tcp{(family == AfInet ? 4 : 6)}/{tableClass}");
                    return family == AfInet ? _tcp4 : family == AfInet6 ? _tcp6 : throw new ArgumentException($"family {family}");
                },
                family =>
                {
                    _tablesRead.Add($"udp{(family == AfInet ? 4 : 6)}");
                    return family == AfInet ? _udp4 : family == AfInet6 ? _udp6 : throw new ArgumentException($"family {family}");
                },
                () =>
                {
                    _processListings++;
                    return names;
                },
                pid =>
                {
                    _pathsLookedUp.Add(pid);
                    return pid == 100 ? @"C:\Apache\bin\httpd.exe" : pid == 200 ? @"C:\Windows\System32\curl.exe" : null;
                });
            return source.GetConnections(query, new ListingDiagnostics(_ => { }, _ => { }), CancellationToken.None).ToList();
        }

        [Fact]
        public void ListsEveryTableWithOwnersNamesAndPaths()
        {
            List<PortConnection> all = List(new ConnectionQuery());
            Assert.Equal(new[] { "tcp4/5", "udp4", "tcp6/5", "udp6" }, _tablesRead);
            Assert.Equal(8, all.Count);
            PortConnection listener = all.First(c => c.LocalPort == 80 && c.State == TcpState.Listen);
            Assert.Equal(100, listener.OwningProcess);
            Assert.Equal("httpd", listener.ProcessName);
            Assert.Equal(@"C:\Apache\bin\httpd.exe", listener.ProcessPath);
            Assert.Equal(new[] { 100 }, listener.Holders.Select(h => h.ProcessId));
            // One process list and one path per pid per listing; never a path for a pid that is not running.
            Assert.Equal(1, _processListings);
            Assert.Equal(new[] { 4, 100, 200 }, _pathsLookedUp.OrderBy(p => p));
            PortConnection system = all.Single(c => c.LocalPort == 445);
            Assert.Equal("System", system.ProcessName);
            Assert.Null(system.ProcessPath); // OpenProcess refused: empty, no error
            PortConnection exited = all.Single(c => c.LocalPort == 8080);
            Assert.Equal(300, exited.OwningProcess);
            Assert.Null(exited.ProcessName);
            Assert.Null(exited.ProcessPath);
        }

        [Fact]
        public void TimeWaitAndOtherPidZeroSocketsHaveNoOwner()
        {
            List<PortConnection> all = List(new ConnectionQuery());
            foreach (PortConnection idle in new[] { all.Single(c => c.State == TcpState.TimeWait), all.Single(c => c.LocalPort == 5353) })
            {
                Assert.Null(idle.OwningProcess);
                Assert.Null(idle.ProcessName);
                Assert.Null(idle.ProcessPath);
                Assert.Empty(idle.Holders);
            }
            Assert.DoesNotContain(0, _pathsLookedUp);
        }

        [Fact]
        public void ListenersOnlyReadTheListenerTableAndNoUdp()
        {
            var query = new ConnectionQuery();
            query.States.Add(TcpState.Listen);
            List<PortConnection> listeners = List(query);
            Assert.Equal(new[] { "tcp4/3", "tcp6/3" }, _tablesRead);
            Assert.All(listeners, c => Assert.Equal(TcpState.Listen, c.State));
            Assert.Equal(3, listeners.Count);
        }

        [Fact]
        public void ListeningTakesUnconnectedUdpToo()
        {
            List<PortConnection> listening = List(new ConnectionQuery { ListeningOnly = true });
            Assert.Equal(new[] { "tcp4/3", "udp4", "tcp6/3", "udp6" }, _tablesRead);
            Assert.Equal(new[] { 53, 80, 445, 5353, 8080 }, listening.Select(c => c.LocalPort).OrderBy(p => p));
        }

        [Fact]
        public void FamilyAndProtocolFiltersSkipTables()
        {
            var query = new ConnectionQuery();
            query.Families.Add(IPVersion.IPv6);
            query.Protocols.Add(TransportProtocol.Udp);
            Assert.Single(List(query));
            Assert.Equal(new[] { "udp6" }, _tablesRead);
        }

        [Fact]
        public void FiltersOnProcessNameAndPid()
        {
            List<PortConnection> httpd = List(new ConnectionQuery { ProcessNameMatches = name => name == "httpd" });
            Assert.Equal(new[] { 53, 80, 80 }, httpd.Select(c => c.LocalPort).OrderBy(p => p));
            // Idle is in the process list, but no socket is its: -ProcessName Idle and -ProcessId 0 find nothing.
            Assert.Empty(List(new ConnectionQuery { ProcessNameMatches = name => name == "Idle" }));
            var byPid = new ConnectionQuery();
            byPid.ProcessIds.Add(0);
            Assert.Empty(List(byPid));
        }

        [Fact]
        public void NoProcessLookupWhenNobodyLooks()
        {
            List<PortConnection> all = List(new ConnectionQuery { ResolveOwners = false });
            Assert.Equal(8, all.Count);
            Assert.Equal(0, _processListings);
            Assert.Empty(_pathsLookedUp);
            Assert.Equal(100, all.First().OwningProcess); // the pid still comes with the socket
            Assert.Null(all.First().ProcessName);
        }
    }
}
