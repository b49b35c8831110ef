using System.IO;
using System.Linq;
using System.Net;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>/proc/net tables captured with the sock_diag fixtures (same sockets), and hand-made edge cases.</summary>
    public class ProcNetParserTests
    {
        private static SocketEntry[] Parse(string file, TransportProtocol protocol, IPVersion family) =>
            ProcNetParser.ParseSockets(new StringReader(Fixtures.Text($"linux/{file}")), protocol, family, "test", ListingDiagnostics.Silent).ToArray();

        [Fact]
        public void ParsesCapturedTcp4()
        {
            SocketEntry[] sockets = Parse("proc-net-tcp.txt", TransportProtocol.Tcp, IPVersion.IPv4);
            SocketEntry listener = sockets.Single(s => s.LocalPort == 18080 && s.State == TcpState.Listen);
            Assert.Equal(IPAddress.Loopback, listener.LocalAddress);
            Assert.Equal(IPAddress.Any, listener.RemoteAddress);
            Assert.Equal(26697ul, listener.Inode);
            Assert.Equal(2, sockets.Count(s => s.State == TcpState.Established && (s.LocalPort == 18080 || s.RemotePort == 18080)));
        }

        [Fact]
        public void ProcAndNetlinkAgreeOnTheCapturedSockets()
        {
            byte[] dump = Fixtures.LinuxBytes("sock-diag-tcp6.bin");
            var fromNetlink = NetlinkDecoder.Split(dump, dump.Length)
                .Where(m => m.Type == InetDiag.SOCK_DIAG_BY_FAMILY)
                .Select(m => InetDiag.Decode(m, TransportProtocol.Tcp, new AddressCache()))
                .Select(s => (s.LocalAddress.ToString(), s.LocalPort, s.RemoteAddress.ToString(), s.RemotePort, s.State, s.Inode))
                .OrderBy(t => t.Inode);
            var fromProc = Parse("proc-net-tcp6.txt", TransportProtocol.Tcp, IPVersion.IPv6)
                .Select(s => (s.LocalAddress.ToString(), s.LocalPort, s.RemoteAddress.ToString(), s.RemotePort, s.State, s.Inode))
                .OrderBy(t => t.Inode);
            Assert.Equal(fromNetlink, fromProc);
        }

        [Fact]
        public void ParsesIPv6WordsWithBytesReversedInEachWord()
        {
            Assert.Equal(IPAddress.IPv6Loopback, new IPAddress(ProcNetParser.DecodeAddress("00000000000000000000000001000000", 16)!));
            Assert.Equal("::ffff:127.0.0.1", new IPAddress(ProcNetParser.DecodeAddress("0000000000000000FFFF00000100007F", 16)!).ToString());
            // dotnet/runtime's example: fe80::215:5dff:fe00:402
            Assert.Equal("fe80::215:5dff:fe00:402", new IPAddress(ProcNetParser.DecodeAddress("000080FE00000000FF5D1502020400FE", 16)!).ToString());
        }

        [Fact]
        public void UdpLinesHaveNoStateAndKeepQueues()
        {
            SocketEntry udp = Parse("proc-net-udp.txt", TransportProtocol.Udp, IPVersion.IPv4).Single(s => s.LocalPort == 18083);
            Assert.Null(udp.State);
            Assert.Equal(0u, udp.ReceiveQueue);
            SocketEntry udp6 = Parse("proc-net-udp6.txt", TransportProtocol.Udp, IPVersion.IPv6).Single(s => s.LocalPort == 18084);
            Assert.Equal(IPAddress.IPv6Loopback, udp6.RemoteAddress);
        }

        [Fact]
        public void QueuesAndUidComeFromTheirColumns()
        {
            const string text = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
                "   0: 0100007F:1F90 0200007F:C350 01 0000000A:00000014 00:00000000 00000000  1000        0 4242 1 0 20 4 30 10 -1\n";
            SocketEntry socket = ProcNetParser.ParseSockets(new StringReader(text), TransportProtocol.Tcp, IPVersion.IPv4, "test", ListingDiagnostics.Silent).Single();
            Assert.Equal(8080, socket.LocalPort);
            Assert.Equal("127.0.0.2", socket.RemoteAddress.ToString());
            Assert.Equal(50000, socket.RemotePort);
            Assert.Equal(10u, socket.SendQueue);
            Assert.Equal(20u, socket.ReceiveQueue);
            Assert.Equal(1000u, socket.UserId);
            Assert.Equal(4242ul, socket.Inode);
        }

        [Fact]
        public void AHeaderWithoutRowsIsAnEmptyTable() => Assert.Empty(ProcNetParser.ParseSockets(new StringReader(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"),
            TransportProtocol.Tcp, IPVersion.IPv4, "test", ListingDiagnostics.Silent));
    }
}
