using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform.MacOS;
using PortTools.Platform;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>The macOS backend over fake sysctls built by <see cref="MacPcbListBuilder"/>: filters, owners, warnings.</summary>
    public class MacConnectionSourceTests
    {
        private readonly List<string> _sysctlsRead = new List<string>();
        private readonly List<int> _pathsLookedUp = new List<int>();
        private readonly List<string> _warnings = new List<string>();
        private byte[] _tcp = new MacPcbListBuilder(tcp: true)
            .Add(new MacPcb { LocalAddress = IPAddress.Loopback, LocalPort = 8080, TState = 1, Pid = 100 })
            .Add(new MacPcb { LocalAddress = IPAddress.Loopback, LocalPort = 50000, RemoteAddress = IPAddress.Loopback, RemotePort = 8080, TState = 4, Pid = 200 })
            .Add(new MacPcb { LocalAddress = IPAddress.Loopback, LocalPort = 8080, RemoteAddress = IPAddress.Loopback, RemotePort = 50000, TState = 4, Pid = 100 })
            .Build();
        private byte[] _udp = new MacPcbListBuilder(tcp: false)
            .Add(new MacPcb { Protocol = 17, LocalPort = 5353, Pid = 300 })
            .Add(new MacPcb { Protocol = 17, LocalPort = 5354, Pid = 0 })
            .Build();

        private uint _uid = 501;

        private List<PortConnection> List(ConnectionQuery query)
        {
            var source = new MacConnectionSource(
                name =>
                {
                    _sysctlsRead.Add(name);
                    byte[] bytes = name == "net.inet.tcp.pcblist_n" ? _tcp : name == "net.inet.udp.pcblist_n" ? _udp : throw new ArgumentException(name);
                    // The kernel fills less than the buffer it was given.
                    var buffer = new byte[bytes.Length + 64];
                    Buffer.BlockCopy(bytes, 0, buffer, 0, bytes.Length);
                    return (buffer, bytes.Length);
                },
                pid =>
                {
                    _pathsLookedUp.Add(pid);
                    return pid == 100 ? "/usr/sbin/httpd" : pid == 200 ? "/usr/bin/curl" : null;
                },
                () => _uid);
            var diagnostics = new ListingDiagnostics(_ => { }, _warnings.Add);
            return source.GetConnections(query, diagnostics, CancellationToken.None).ToList();
        }

        [Fact]
        public void DetailedFillsTcpDetailWithoutWarning()
        {
            _tcp = new MacPcbListBuilder(tcp: true).Add(new MacPcb { LocalPort = 443, TState = 4, MaxSeg = 1448, Srtt = 64 }).Build();
            List<PortConnection> all = List(new ConnectionQuery { Detailed = true });
            Assert.Equal(2.0, all.Single(c => c.Protocol == TransportProtocol.Tcp).Detail!.RttMilliseconds);
            Assert.All(all.Where(c => c.Protocol == TransportProtocol.Udp), c => Assert.Null(c.Detail));
            Assert.Empty(_warnings);
            Assert.All(List(new ConnectionQuery()), c => Assert.Null(c.Detail));
        }

        [Fact]
        public void ListsTcpAndUdpWithOwners()
        {
            List<PortConnection> all = List(new ConnectionQuery());
            Assert.Equal(new[] { "net.inet.tcp.pcblist_n", "net.inet.udp.pcblist_n" }, _sysctlsRead);
            Assert.Equal(5, all.Count);
            PortConnection listener = all.Single(c => c.State == TcpState.Listen);
            Assert.Equal(100, listener.OwningProcess);
            Assert.Equal("httpd", listener.ProcessName);
            Assert.Equal("/usr/sbin/httpd", listener.ProcessPath);
            Assert.Equal(501u, listener.UserId);
            // proc_pidpath once per pid per listing, and never for the kernel's pid-less socket.
            Assert.Equal(new[] { 100, 200, 300 }, _pathsLookedUp.OrderBy(p => p));
            PortConnection gone = all.Single(c => c.LocalPort == 5353);
            Assert.Equal(300, gone.OwningProcess);
            Assert.Null(gone.ProcessName);
            Assert.Null(all.Single(c => c.LocalPort == 5354).OwningProcess);
            Assert.Empty(_warnings);
        }

        [Fact]
        public void StateFilterSkipsTheUdpSysctl()
        {
            var query = new ConnectionQuery();
            query.States.Add(TcpState.Established);
            List<PortConnection> established = List(query);
            Assert.Equal(new[] { "net.inet.tcp.pcblist_n" }, _sysctlsRead);
            Assert.Equal(2, established.Count);
        }

        [Fact]
        public void FiltersOnPortAndProcessName()
        {
            var query = new ConnectionQuery { ProcessNameMatches = name => name == "httpd" };
            query.LocalPorts.Add(8080);
            List<PortConnection> matches = List(query);
            Assert.Equal(2, matches.Count);
            Assert.All(matches, c => Assert.Equal("httpd", c.ProcessName));
        }

        [Fact]
        public void NoOwnerLookupWhenNobodyLooks()
        {
            List<PortConnection> all = List(new ConnectionQuery { ResolveOwners = false });
            Assert.Equal(5, all.Count);
            Assert.Empty(_pathsLookedUp);
            Assert.Equal(100, all.First().OwningProcess); // the pid still comes with the socket
        }

        [Fact]
        public void WarnsOnceWhenTheTableChangedDuringTheRead()
        {
            _tcp = new MacPcbListBuilder(tcp: true) { Generation = 5, TrailerGeneration = 6 }.Add(new MacPcb { GenCnt = 5 }).Build();
            _udp = new MacPcbListBuilder(tcp: false) { Generation = 8, TrailerGeneration = 9 }.Add(new MacPcb { Protocol = 17, GenCnt = 1 }).Build();
            Assert.Equal(2, List(new ConnectionQuery()).Count);
            Assert.Single(_warnings);
        }

        [Fact]
        public void WarnsOnceWhenMacOSListsOnlyTheCallersOwnSockets()
        {
            // macOS 27 to a user: xig_count still counts every PCB, the records are the caller's own (uid 501) only.
            _tcp = new MacPcbListBuilder(tcp: true) { Count = 57 }.Add(new MacPcb { LocalPort = 8080, TState = 1, Uid = 501 }).Build();
            _udp = new MacPcbListBuilder(tcp: false) { Count = 31 }.Build();
            Assert.Single(List(new ConnectionQuery()));
            Assert.Contains("only your own sockets", Assert.Single(_warnings));
        }

        [Fact]
        public void NoOwnSocketsWarningForRootOrAWholeTable()
        {
            _tcp = new MacPcbListBuilder(tcp: true) { Count = 57 }.Add(new MacPcb { LocalPort = 8080, TState = 1, Uid = 501 }).Build();
            _udp = new MacPcbListBuilder(tcp: false) { Count = 31 }.Build();
            _uid = 0;
            List(new ConnectionQuery());
            Assert.Empty(_warnings);

            // A user before macOS 27: fewer records than counted (a PCB freed meanwhile), but root's sockets are there.
            _uid = 501;
            _tcp = new MacPcbListBuilder(tcp: true) { Count = 3 }
                .Add(new MacPcb { LocalPort = 22, TState = 1, Uid = 0 }).Add(new MacPcb { LocalPort = 8080, TState = 1, Uid = 501 }).Build();
            _udp = new MacPcbListBuilder(tcp: false).Add(new MacPcb { Protocol = 17, LocalPort = 5353, Uid = 65 }).Build();
            List(new ConnectionQuery());
            Assert.Empty(_warnings);
        }

        [Fact]
        public void OwnSocketsSignalNeedsFewerRecordsThanCounted()
        {
            // Every socket the user's and none missing: a whole table that happens to hold only the caller's sockets.
            PcbList whole = PcbListDecoder.Decode(Build(count: null), Build(count: null).Length, TransportProtocol.Tcp, new AddressCache());
            Assert.False(MacConnectionSource.ListsOnlyCallersSockets(whole, 501));
            PcbList cut = PcbListDecoder.Decode(Build(count: 9), Build(count: 9).Length, TransportProtocol.Tcp, new AddressCache());
            Assert.True(MacConnectionSource.ListsOnlyCallersSockets(cut, 501));
            Assert.False(MacConnectionSource.ListsOnlyCallersSockets(cut, 0));
            Assert.False(MacConnectionSource.ListsOnlyCallersSockets(cut, 502));

            static byte[] Build(uint? count) =>
                new MacPcbListBuilder(tcp: true) { Count = count }.Add(new MacPcb { Uid = 501 }).Add(new MacPcb { Skywalk = true }).Build();
        }
    }
}
