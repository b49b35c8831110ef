using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Net.Sockets;
using System.Net;
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
    /// The Linux backend against the real kernel: sockets opened here on loopback must be listed, with
    /// this process as owner, by netlink and by the /proc fallback alike.
    /// </summary>
    public sealed class LinuxConnectionSourceTests : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly TcpClient _client = new TcpClient(AddressFamily.InterNetwork);
        private readonly TcpClient _accepted;
        private readonly UdpClient _udp6 = new UdpClient(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        private readonly int _port;

        public LinuxConnectionSourceTests()
        {
            _listener.Start();
            _port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _client.Connect(IPAddress.Loopback, _port);
            _accepted = _listener.AcceptTcpClient();
        }

        public void Dispose()
        {
            _accepted.Dispose();
            _client.Dispose();
            _listener.Stop();
            _udp6.Dispose();
        }

        private static List<PortConnection> List(bool netlink, Action<ConnectionQuery> filter)
        {
            var query = new ConnectionQuery();
            filter(query);
            var warnings = new List<string>();
            var source = new LinuxConnectionSource(ProcFs.Default, netlink ? LinuxConnectionSource.OpenSockDiag : null);
            var result = source.GetConnections(query, new ListingDiagnostics(_ => { }, warnings.Add), CancellationToken.None).ToList();
            Assert.Empty(warnings); // root sees every owner
            return result;
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void ListsOwnSocketsWithThisProcessAsOwner(bool netlink)
        {
            int pid = Environment.ProcessId;
            List<PortConnection> sockets = List(netlink, q => q.ProcessIds.Add(pid));
            PortConnection listener = Assert.Single(sockets, c => c.LocalPort == _port && c.State == TcpState.Listen);
            Assert.Equal("127.0.0.1", listener.LocalAddress);
            Assert.Equal(pid, listener.OwningProcess);
            Assert.False(string.IsNullOrEmpty(listener.ProcessName));
            Assert.Single(sockets, c => c.RemotePort == _port && c.State == TcpState.Established);
            Assert.Single(sockets, c => c.LocalPort == _port && c.State == TcpState.Established);
            int udpPort = ((IPEndPoint)_udp6.Client.LocalEndPoint!).Port;
            PortConnection udp = Assert.Single(sockets, c => c.Protocol == TransportProtocol.Udp && c.LocalPort == udpPort);
            Assert.Equal("::1", udp.LocalAddress);
            Assert.Null(udp.State);
            Assert.All(sockets, c => Assert.Equal(pid, c.OwningProcess));
        }

        [Fact]
        public void KernelPortFilterAgreesWithTheInMemoryFilter()
        {
            // Netlink pushes the port filter into the kernel as bytecode; /proc filters in memory.
            Action<ConnectionQuery> filter = q => { q.LocalPorts.Add(_port); q.LocalPorts.Add(1); q.RemotePorts.Add(0); };
            var fromKernel = List(true, filter).Select(c => (c.LocalAddress, c.LocalPort, c.RemotePort, c.State)).ToList();
            var inMemory = List(false, filter).Select(c => (c.LocalAddress, c.LocalPort, c.RemotePort, c.State)).ToList();
            Assert.Equal(inMemory.OrderBy(t => t.ToString()), fromKernel.OrderBy(t => t.ToString()));
            Assert.Contains(("127.0.0.1", _port, 0, (TcpState?)TcpState.Listen), fromKernel);
            Assert.DoesNotContain(fromKernel, c => c.LocalPort != _port && c.LocalPort != 1);
        }

        [Fact]
        public void KernelRemotePortFilterFindsTheClient()
        {
            List<PortConnection> sockets = List(true, q => { q.RemotePorts.Add(_port); q.States.Add(TcpState.Established); });
            PortConnection client = Assert.Single(sockets);
            Assert.Equal(_port, client.RemotePort);
        }

        [Theory]
        [InlineData(TcpState.TimeWait, false)]
        [InlineData(TcpState.Listen, true)]
        public void OwnersAreScannedOnlyOnceSomethingMatched(TcpState state, bool scanned)
        {
            // The owner scan asks the name filter about every process; with nothing matched it never runs.
            bool asked = false;
            var query = new ConnectionQuery { ProcessNameMatches = _ => asked = true };
            query.LocalPorts.Add(_port);
            query.States.Add(state);
            var source = new LinuxConnectionSource(ProcFs.Default, LinuxConnectionSource.OpenSockDiag);
            Assert.Equal(scanned ? 1 : 0, source.GetConnections(query, ListingDiagnostics.Silent, CancellationToken.None).Count());
            Assert.Equal(scanned, asked);
        }

        [Fact]
        public void FallsBackToProcNetWithAVerboseNoteWhenNetlinkIsRefused()
        {
            var notes = new List<string>();
            var source = new LinuxConnectionSource(ProcFs.Default, () => throw new Win32Exception(13)); // EACCES, as under seccomp
            var query = new ConnectionQuery();
            query.LocalPorts.Add(_port);
            List<PortConnection> sockets = source.GetConnections(query, new ListingDiagnostics(notes.Add, _ => { }), CancellationToken.None).ToList();
            Assert.Equal(2, sockets.Count(c => c.LocalPort == _port));
            string note = Assert.Single(notes);
            Assert.Contains("/proc/net", note);
            Assert.Contains("Permission denied", note);
        }

        /// <summary>A real sock_diag socket whose UDP dumps the "kernel" refuses, as one without udp_diag does (ENOENT).</summary>
        private sealed class NoUdpDiag : INetlinkDumper
        {
            private readonly INetlinkDumper _real = LinuxConnectionSource.OpenSockDiag();

            // struct inet_diag_req_v2 follows the 16-byte nlmsghdr: sdiag_family, then sdiag_protocol (linux/inet_diag.h).
            public IEnumerable<NetlinkMessage> Dump(byte[] request, CancellationToken cancellation) =>
                request[17] == InetDiag.IPPROTO_UDP ? throw new Win32Exception(2) : _real.Dump(request, cancellation);

            public void Dispose() => _real.Dispose();
        }

        [Fact]
        public void FallsBackToProcNetForTheRefusedProtocolOnly()
        {
            var notes = new List<string>();
            var query = new ConnectionQuery();
            query.ProcessIds.Add(Environment.ProcessId);
            List<PortConnection> sockets = new LinuxConnectionSource(ProcFs.Default, () => new NoUdpDiag())
                .GetConnections(query, new ListingDiagnostics(notes.Add, _ => { }), CancellationToken.None).ToList();
            // The UDP socket still comes, from /proc/net/udp6, once; TCP still comes from netlink, so no note names it.
            int udpPort = ((IPEndPoint)_udp6.Client.LocalEndPoint!).Port;
            Assert.Single(sockets, c => c.Protocol == TransportProtocol.Udp && c.LocalPort == udpPort);
            Assert.Single(sockets, c => c.LocalPort == _port && c.State == TcpState.Listen);
            Assert.Equal(2, notes.Count); // UDP over IPv4 and over IPv6
            Assert.All(notes, note => Assert.Matches("refused the sock_diag dump of Udp over IPv[46] .*No such file or directory.*/proc/net/udp6?", note));
            Assert.Equal(List(netlink: true, q => q.ProcessIds.Add(Environment.ProcessId)).Select(Key).OrderBy(k => k), sockets.Select(Key).OrderBy(k => k));
        }

        private static string Key(PortConnection c) => $"{c.Protocol} {c.LocalAddress}:{c.LocalPort} {c.RemoteAddress}:{c.RemotePort} {c.State} {c.Inode}";

        [Theory]
        [InlineData("proc", false, false)]
        [InlineData("PROC", false, false)]
        [InlineData(" Proc ", false, false)]
        [InlineData("netlink", true, false)]
        [InlineData("NetLink", true, false)]
        [InlineData("", true, false)]
        [InlineData(null, true, false)]
        [InlineData("procfs", true, true)]
        [InlineData("\u001b[2J", true, true)]
        public void SourceSettingIsNetlinkOrProcInAnyCase(string? value, bool netlink, bool warned)
        {
            // The variable itself is read at each call; Get-PortConnection.Tests changes it within one session.
            var warnings = new List<string>();
            string? setting = value == null ? null : System.Text.RegularExpressions.Regex.Unescape(value);
            Assert.Equal(netlink, LinuxSourceSetting.UseNetlink(setting, new ListingDiagnostics(_ => { }, warnings.Add)));
            Assert.Equal(warned ? 1 : 0, warnings.Count);
            Assert.All(warnings, w => Assert.DoesNotContain('\u001b', w)); // the value is quoted with control characters escaped
        }

        [Fact]
        public void OwnersAreNotScannedWhenNobodyNeedsThem()
        {
            var query = new ConnectionQuery { ResolveOwners = false };
            query.LocalPorts.Add(_port);
            var source = new LinuxConnectionSource(ProcFs.Default, LinuxConnectionSource.OpenSockDiag);
            List<PortConnection> sockets = source.GetConnections(query, ListingDiagnostics.Silent, CancellationToken.None).ToList();
            Assert.Equal(2, sockets.Count);
            Assert.All(sockets, c => Assert.Null(c.OwningProcess)); // a scan would have found this process
            Assert.All(List(true, q => q.LocalPorts.Add(_port)), c => Assert.Equal(Environment.ProcessId, c.OwningProcess));
        }

        [Fact]
        public void AVanishedProcessIsSkippedSilently()
        {
            // A pid with no /proc entry (the process exited between the listing and the scan) has no descriptors.
            var warnings = new List<string>();
            var query = new ConnectionQuery();
            query.ProcessIds.Add(Environment.ProcessId);
            query.ProcessIds.Add(int.MaxValue - 1);
            var source = new LinuxConnectionSource(ProcFs.Default, LinuxConnectionSource.OpenSockDiag);
            List<PortConnection> sockets = source.GetConnections(query, new ListingDiagnostics(_ => { }, warnings.Add), CancellationToken.None).ToList();
            Assert.Contains(sockets, c => c.LocalPort == _port && c.State == TcpState.Listen);
            Assert.All(sockets, c => Assert.Equal(Environment.ProcessId, c.OwningProcess));
            Assert.Empty(warnings);
        }

        [Fact]
        public void ACallerMayStopEarly()
        {
            // Select-Object -First disposes the enumeration while the owner scan may still run.
            var source = new LinuxConnectionSource(ProcFs.Default, LinuxConnectionSource.OpenSockDiag);
            PortConnection first = source.GetConnections(new ConnectionQuery(), ListingDiagnostics.Silent, CancellationToken.None).First();
            Assert.NotNull(first);
            Assert.Single(List(true, q => q.LocalPorts.Add(_port)), c => c.State == TcpState.Listen && c.OwningProcess == Environment.ProcessId);
        }

        [Fact]
        public void CancellationStopsTheListing()
        {
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            var source = new LinuxConnectionSource(ProcFs.Default, LinuxConnectionSource.OpenSockDiag);
            Assert.ThrowsAny<OperationCanceledException>(() =>
                source.GetConnections(new ConnectionQuery(), ListingDiagnostics.Silent, cancelled.Token).ToList());
        }
    }
}
