using System.Collections.Generic;
using System.Linq;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform.Windows;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// The GetExtended{Tcp,Udp}Table decoders on buffers laid out from the documented rows (docs/dev/platform-layouts.md,
    /// "Socket tables") by <see cref="OwnerPidTable"/>, which shares no code with the decoder, and on the document's golden bytes.
    /// </summary>
    public class WindowsTableDecoderTests
    {
        private static readonly AddressCache Addresses = new AddressCache();

        [Fact]
        public void DecodesTheDocumentedGoldenRow()
        {
            // The golden row of platform-layouts.md: 127.0.0.1:8080 LISTEN, pid 1234 (28 bytes).
            byte[] table = Convert.FromHexString("01000000" + "02000000" + "7F000001" + "1F900000" + "00000000" + "00000000" + "D2040000");
            SocketEntry socket = Assert.Single(OwnerPidTableDecoder.Tcp4(table, Addresses));
            Assert.Equal(TransportProtocol.Tcp, socket.Protocol);
            Assert.Equal(IPVersion.IPv4, socket.Family);
            Assert.Equal(TcpState.Listen, socket.State);
            Assert.Equal(IPAddress.Loopback, socket.LocalAddress);
            Assert.Equal(8080, socket.LocalPort);
            Assert.Equal(1234, socket.ProcessId);
        }

        [Fact]
        public void IgnoresGarbageInThePortsHighBytes()
        {
            byte[] table = OwnerPidTable.Tcp4((5, "10.0.0.1", 443, "10.0.0.2", 50000, 42));
            table[4 + 10] = 0xAB; // dwLocalPort bytes 2-3
            table[4 + 11] = 0xCD;
            SocketEntry socket = Assert.Single(OwnerPidTableDecoder.Tcp4(table, Addresses));
            Assert.Equal(443, socket.LocalPort);
            Assert.Equal(50000, socket.RemotePort);
            Assert.Equal(TcpState.Established, socket.State);
        }

        [Fact]
        public void AListenersRemoteFieldsAreIgnored()
        {
            byte[] table = OwnerPidTable.Tcp4((2, "0.0.0.0", 22, "10.9.9.9", 1234, 4));
            SocketEntry socket = Assert.Single(OwnerPidTableDecoder.Tcp4(table, Addresses));
            Assert.Equal(IPAddress.Any, socket.RemoteAddress);
            Assert.Equal(0, socket.RemotePort);
        }

        [Theory]
        [InlineData(1u, TcpState.Closed)]
        [InlineData(5u, TcpState.Established)]
        [InlineData(11u, TcpState.TimeWait)]
        [InlineData(12u, TcpState.DeleteTcb)]
        public void StatesAreMibTcpStates(uint mib, TcpState expected)
        {
            byte[] table = OwnerPidTable.Tcp4((mib, "127.0.0.1", 1, "127.0.0.1", 2, 0));
            Assert.Equal(expected, Assert.Single(OwnerPidTableDecoder.Tcp4(table, Addresses)).State);
        }

        [Fact]
        public void DecodesIPv6RowsWithScopeAndStateAfterTheAddresses()
        {
            byte[] table = OwnerPidTable.Tcp6(
                ("fe80::1", 7u, 8443, "fe80::2", 7u, 51000, 5u, 4242u),
                ("::", 0u, 80, "::", 0u, 0, 2u, 8u));
            List<SocketEntry> sockets = OwnerPidTableDecoder.Tcp6(table, Addresses).ToList();
            Assert.Equal(2, sockets.Count);
            Assert.Equal("fe80::1", sockets[0].LocalAddress.ToString());
            Assert.Equal(7u, sockets[0].ScopeId);
            Assert.Equal(8443, sockets[0].LocalPort);
            Assert.Equal("fe80::2", sockets[0].RemoteAddress.ToString());
            Assert.Equal(51000, sockets[0].RemotePort);
            Assert.Equal(TcpState.Established, sockets[0].State);
            Assert.Equal(4242, sockets[0].ProcessId);
            Assert.Equal(TcpState.Listen, sockets[1].State);
            Assert.Equal(IPVersion.IPv6, sockets[1].Family);
        }

        [Fact]
        public void DecodesUdpRowsWithoutState()
        {
            SocketEntry v4 = Assert.Single(OwnerPidTableDecoder.Udp4(OwnerPidTable.Udp4(("0.0.0.0", 53, 1500u)), Addresses));
            Assert.Equal(TransportProtocol.Udp, v4.Protocol);
            Assert.Null(v4.State);
            Assert.Equal(53, v4.LocalPort);
            Assert.Equal(1500, v4.ProcessId);
            SocketEntry v6 = Assert.Single(OwnerPidTableDecoder.Udp6(OwnerPidTable.Udp6(("::1", 0u, 5353, 77u)), Addresses));
            Assert.Equal(IPAddress.IPv6Loopback, v6.LocalAddress);
            Assert.Equal(IPAddress.IPv6Any, v6.RemoteAddress);
            Assert.Equal(77, v6.ProcessId);
        }

        [Fact]
        public void PidZeroIsNoOwnerAndPidFourIsSystem()
        {
            // Windows lists TIME_WAIT sockets under pid 0, the System Idle Process: nobody holds them.
            byte[] table = OwnerPidTable.Tcp4((11, "127.0.0.1", 80, "127.0.0.1", 50000, 0), (2, "0.0.0.0", 445, "0.0.0.0", 0, 4));
            List<SocketEntry> sockets = OwnerPidTableDecoder.Tcp4(table, Addresses).ToList();
            Assert.Null(sockets[0].ProcessId);
            Assert.Equal(4, sockets[1].ProcessId);
            Assert.Null(Assert.Single(OwnerPidTableDecoder.Udp6(OwnerPidTable.Udp6(("::", 0u, 500, 0u)), Addresses)).ProcessId);
        }

        [Fact]
        public void AnEmptyTableHasNoRows()
        {
            Assert.Empty(OwnerPidTableDecoder.Tcp4(new byte[4], Addresses));
            Assert.Empty(OwnerPidTableDecoder.Udp6(new byte[4], Addresses));
        }

        [Fact]
        public void MoreRowsThanTheBufferHoldsIsAFormatError()
        {
            byte[] table = OwnerPidTable.Tcp4((5, "10.0.0.1", 1, "10.0.0.2", 2, 3));
            table[0] = 2; // dwNumEntries claims a second row that is not there
            FormatException error = Assert.Throws<FormatException>(() => OwnerPidTableDecoder.Tcp4(table, Addresses).ToList());
            Assert.Contains("MIB_TCPTABLE_OWNER_PID", error.Message);
            Assert.Throws<FormatException>(() => OwnerPidTableDecoder.Udp4(new byte[3], Addresses).ToList());
            byte[] huge = new byte[4];
            huge[3] = 0xFF; // 0xFF000000 rows: the row count must not overflow the length check
            Assert.Throws<FormatException>(() => OwnerPidTableDecoder.Tcp6(huge, Addresses).ToList());
        }
    }

    /// <summary>Lays out *_OWNER_PID tables from the documented rows: a DWORD count, then the rows from offset 4.</summary>
    internal static class OwnerPidTable
    {
        internal static byte[] Tcp4(params (uint State, string Local, int LocalPort, string Remote, int RemotePort, uint Pid)[] rows) =>
            Table(24, rows.Select(r => Concat(Dword(r.State), Ip(r.Local), Port(r.LocalPort), Ip(r.Remote), Port(r.RemotePort), Dword(r.Pid))));

        internal static byte[] Tcp6(params (string Local, uint LocalScope, int LocalPort, string Remote, uint RemoteScope, int RemotePort, uint State, uint Pid)[] rows) =>
            Table(56, rows.Select(r => Concat(Ip(r.Local), Dword(r.LocalScope), Port(r.LocalPort), Ip(r.Remote), Dword(r.RemoteScope),
                Port(r.RemotePort), Dword(r.State), Dword(r.Pid))));

        internal static byte[] Udp4(params (string Local, int LocalPort, uint Pid)[] rows) =>
            Table(12, rows.Select(r => Concat(Ip(r.Local), Port(r.LocalPort), Dword(r.Pid))));

        internal static byte[] Udp6(params (string Local, uint LocalScope, int LocalPort, uint Pid)[] rows) =>
            Table(28, rows.Select(r => Concat(Ip(r.Local), Dword(r.LocalScope), Port(r.LocalPort), Dword(r.Pid))));

        private static byte[] Table(int rowSize, IEnumerable<byte[]> rows)
        {
            List<byte[]> all = rows.ToList();
            Assert.All(all, row => Assert.Equal(rowSize, row.Length));
            return WindowsMibTable.Build(4, all);
        }

        private static byte[] Dword(uint value) => BitConverter.GetBytes(value); // little-endian hosts only, as Windows is

        // A port DWORD: network order in the first two bytes, two bytes of padding.
        private static byte[] Port(int port) => new byte[] { (byte)(port >> 8), (byte)port, 0, 0 };

        private static byte[] Ip(string address) => IPAddress.Parse(address).GetAddressBytes();

        private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
    }
}
