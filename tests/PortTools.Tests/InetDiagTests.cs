using System.Collections.Generic;
using System.Linq;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>sock_diag replies captured by Fixtures/linux/capture-sockets.py, and the request layout of docs/dev/platform-layouts.md, "Netlink and sock_diag".</summary>
    public class InetDiagTests
    {
        private static List<SocketEntry> DecodeFixture(string name, TransportProtocol protocol)
        {
            byte[] bytes = Fixtures.LinuxBytes($"sock-diag-{name}.bin");
            var addresses = new AddressCache();
            return NetlinkDecoder.Split(bytes, bytes.Length)
                .Where(m => m.Type == InetDiag.SOCK_DIAG_BY_FAMILY)
                .Select(m => InetDiag.Decode(m, protocol, addresses))
                .ToList();
        }

        [Fact]
        public void DumpRequestMatchesTheDocumentedBytes()
        {
            byte[] request = InetDiag.DumpRequest(InetDiag.AF_INET, InetDiag.IPPROTO_TCP, 1u << 10, sequence: 1);
            string expected =
                "48000000140001030100000000000000" + "02060000" + "00040000" + new string('0', 80) + "ffffffffffffffff";
            Assert.Equal(expected, Convert.ToHexString(request).ToLowerInvariant());
        }

        [Fact]
        public void DecodesTheDocumentedListenerReply()
        {
            // docs/dev/platform-layouts.md, "Netlink and sock_diag": the first 88 bytes of a real reply for a listener on
            // 127.0.0.1:8080 (nlmsghdr and inet_diag_msg, its rtattrs left out), with nlmsg_len cut to match.
            byte[] reply = Convert.FromHexString(
                "580000001400020001000000f0540000" + "020a00001f9000007f00000100000000" + new string('0', 32) +
                "00000000000000000000000066 7a0300".Replace(" ", "") + "000000000000000000000000800000 00".Replace(" ", "") +
                "00000000a16b0f00");
            NetlinkMessage message = NetlinkDecoder.Split(reply, reply.Length).Single();
            SocketEntry socket = InetDiag.Decode(message, TransportProtocol.Tcp, new AddressCache());
            Assert.Equal(IPAddress.Loopback, socket.LocalAddress);
            Assert.Equal(8080, socket.LocalPort);
            Assert.Equal(TcpState.Listen, socket.State);
            Assert.Equal(128u, socket.SendQueue);
            Assert.Equal(1010593ul, socket.Inode);
            Assert.Equal(0u, socket.UserId);
        }

        [Fact]
        public void DecodesCapturedTcp4Dump()
        {
            List<SocketEntry> sockets = DecodeFixture("tcp4", TransportProtocol.Tcp);
            SocketEntry listener = sockets.Single(s => s.LocalPort == 18080 && s.State == TcpState.Listen);
            Assert.Equal("127.0.0.1", listener.LocalAddress.ToString());
            Assert.Equal(IPVersion.IPv4, listener.Family);
            Assert.NotEqual(0ul, listener.Inode);
            // Both ends of the connection: client -> 18080 and the accepted server side.
            Assert.Single(sockets, s => s.RemotePort == 18080 && s.State == TcpState.Established);
            SocketEntry accepted = sockets.Single(s => s.LocalPort == 18080 && s.State == TcpState.Established);
            Assert.Equal("127.0.0.1", accepted.RemoteAddress.ToString());
        }

        [Fact]
        public void DecodesIPv4MappedPeersInTheTcp6Dump()
        {
            List<SocketEntry> sockets = DecodeFixture("tcp6", TransportProtocol.Tcp);
            Assert.Single(sockets, s => s.LocalPort == 18081 && s.LocalAddress.Equals(IPAddress.IPv6Loopback) && s.State == TcpState.Listen);
            Assert.Single(sockets, s => s.LocalPort == 18082 && s.LocalAddress.Equals(IPAddress.IPv6Any) && s.State == TcpState.Listen);
            SocketEntry accepted = sockets.Single(s => s.LocalPort == 18082 && s.State == TcpState.Established);
            Assert.True(accepted.RemoteAddress.IsIPv4MappedToIPv6);
            Assert.Equal("::ffff:127.0.0.1", accepted.RemoteAddress.ToString());
            Assert.Equal(IPVersion.IPv6, accepted.Family);
        }

        [Fact]
        public void UdpSocketsHaveNoState()
        {
            SocketEntry udp4 = DecodeFixture("udp4", TransportProtocol.Udp).Single(s => s.LocalPort == 18083);
            Assert.Null(udp4.State);
            Assert.Equal(TransportProtocol.Udp, udp4.Protocol);
            SocketEntry udp6 = DecodeFixture("udp6", TransportProtocol.Udp).Single(s => s.LocalPort == 18084);
            Assert.Equal(18084, udp6.RemotePort); // connect()ed UDP socket
        }

        [Fact]
        public void LinkLocalSocketsCarryTheirScope()
        {
            byte[] bytes = Fixtures.LinuxBytes("sock-diag-tcp6.bin");
            NetlinkMessage message = NetlinkDecoder.Split(bytes, bytes.Length).First(m => m.Type == InetDiag.SOCK_DIAG_BY_FAMILY);
            // Rewrite the source to fe80::1 and idiag_if to 7, as the kernel reports a link-local socket.
            byte[] patched = (byte[])bytes.Clone();
            int id = message.PayloadOffset + 4;
            IPAddress.Parse("fe80::1").GetAddressBytes().CopyTo(patched, id + 4);
            patched[id + 36] = 7;
            SocketEntry socket = InetDiag.Decode(NetlinkDecoder.Split(patched, patched.Length).First(), TransportProtocol.Tcp, new AddressCache());
            Assert.Equal("fe80::1", socket.LocalAddress.ToString());
            Assert.Equal(7u, socket.ScopeId);
        }

        [Fact]
        public void ATruncatedMessageIsAFormatErrorNotAnOverread()
        {
            byte[] bytes = Fixtures.LinuxBytes("sock-diag-tcp4.bin");
            int firstLength = BitConverter.ToInt32(bytes, 0);
            byte[] cut = bytes.Take(firstLength - 10).ToArray();
            Assert.Throws<FormatException>(() => NetlinkDecoder.Split(cut, cut.Length).ToList());
        }

        [Fact]
        public void AMessageTooShortForInetDiagMsgIsAFormatError()
        {
            // A well-formed nlmsghdr whose payload is only 20 bytes.
            byte[] shortMessage = new byte[36];
            shortMessage[0] = 36;
            shortMessage[4] = 20;
            NetlinkMessage message = NetlinkDecoder.Split(shortMessage, shortMessage.Length).Single();
            FormatException error = Assert.Throws<FormatException>(() => InetDiag.Decode(message, TransportProtocol.Tcp, new AddressCache()));
            Assert.Contains("inet_diag_msg", error.Message);
        }

        [Fact]
        public void SocketsShareOneAddressObjectPerAddress()
        {
            List<SocketEntry> sockets = DecodeFixture("tcp4", TransportProtocol.Tcp);
            var loopbacks = sockets.Select(s => s.LocalAddress).Where(a => a.Equals(IPAddress.Loopback)).ToList();
            Assert.True(loopbacks.Count > 1);
            Assert.All(loopbacks, a => Assert.Same(loopbacks[0], a));
        }

        [Fact]
        public void EmptyInputHasNoMessages() => Assert.Empty(NetlinkDecoder.Split(Array.Empty<byte>(), 0));

        [Fact]
        public void DumpsEndWithDone()
        {
            byte[] bytes = Fixtures.LinuxBytes("sock-diag-udp4.bin");
            NetlinkMessage last = NetlinkDecoder.Split(bytes, bytes.Length).Last();
            Assert.Equal(NetlinkDecoder.NLMSG_DONE, last.Type);
            Assert.Equal(0, NetlinkDecoder.ErrorCode(last));
        }

        [Fact]
        public void ANoPortFilterMeansNoProgram() => Assert.Null(InetDiag.PortFilter(new int[0], new int[0]));

        [Fact]
        public void PortFilterIsAnOrChainPerDirection()
        {
            byte[] program = InetDiag.PortFilter(new[] { 80, 443 }, new[] { 5000 })!;
            // S_COND 80, JMP, S_COND 443, then D_COND 5000: 12 + 4 + 12 + 12 bytes.
            Assert.Equal(40, program.Length);
            Assert.Equal(7, program[0]);
            Assert.Equal(80, BitConverter.ToInt32(program, 8));
            Assert.Equal(1, program[12]);
            Assert.Equal(7, program[16]);
            Assert.Equal(443, BitConverter.ToInt32(program, 24));
            Assert.Equal(8, program[28]);
            // The last condition rejects by jumping past the end (remaining length + 4).
            Assert.Equal(12 + 4, BitConverter.ToUInt16(program, 30));
        }

        [Theory]
        [InlineData(1, TcpState.Established)]
        [InlineData(10, TcpState.Listen)]
        [InlineData(6, TcpState.TimeWait)]
        [InlineData(12, TcpState.SynReceived)]
        [InlineData(7, TcpState.Closed)]
        public void KernelStatesMapToGetNetTcpConnectionStates(int kernel, TcpState expected) =>
            Assert.Equal(expected, LinuxTcpStates.ToTcpState(kernel));

        [Fact]
        public void StateMaskSelectsEveryKernelStateOfAState()
        {
            Assert.Equal(1u << 10, LinuxTcpStates.Mask(new[] { TcpState.Listen }));
            Assert.Equal((1u << 3) | (1u << 12), LinuxTcpStates.Mask(new[] { TcpState.SynReceived }));
            Assert.Equal(0u, LinuxTcpStates.Mask(new[] { TcpState.Bound }));
            Assert.Equal(LinuxTcpStates.AllStates, LinuxTcpStates.Mask(new TcpState[0]));
        }
    }
}
