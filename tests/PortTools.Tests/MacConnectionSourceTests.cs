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
                });
            var diagnostics = new ListingDiagnostics(_ => { }, _warnings.Add);
            return source.GetConnections(query, diagnostics, CancellationToken.None).ToList();
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
    }
}
