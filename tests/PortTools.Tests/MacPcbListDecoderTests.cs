using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System;
using PortTools.Models;
using PortTools.Platform.MacOS;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>pcblist_n streams: the hand-written golden fixture and streams laid out by <see cref="MacPcbListBuilder"/> (docs/dev/platform-layouts.md, "pcblist_n" and "Fixtures").</summary>
    public class MacPcbListDecoderTests
    {
        private static PcbList Decode(byte[] stream, TransportProtocol protocol = TransportProtocol.Tcp) =>
            PcbListDecoder.Decode(stream, stream.Length, protocol, new AddressCache());

        private static SocketEntry DecodeOne(MacPcb pcb, bool tcp = true) =>
            Decode(new MacPcbListBuilder(tcp).Add(pcb).Build(), tcp ? TransportProtocol.Tcp : TransportProtocol.Udp).Sockets.Single();

        [Fact]
        public void DecodesTheGoldenListener()
        {
            byte[] stream = Fixtures.MacHex("tcp-listen-golden.hex");
            Assert.Equal(664, stream.Length);
            PcbList table = Decode(stream);
            SocketEntry socket = Assert.Single(table.Sockets);
            Assert.Equal(TransportProtocol.Tcp, socket.Protocol);
            Assert.Equal(IPVersion.IPv4, socket.Family);
            Assert.Equal(IPAddress.Loopback, socket.LocalAddress);
            Assert.Equal(8080, socket.LocalPort);
            Assert.Equal(IPAddress.Any, socket.RemoteAddress);
            Assert.Equal(0, socket.RemotePort);
            Assert.Equal(TcpState.Listen, socket.State);
            Assert.Equal(4242, socket.ProcessId);
            Assert.Equal(501u, socket.UserId);
            // A listener's queues are the accept queue (so_qlen) and the backlog (so_qlimit), as on Linux.
            Assert.Equal(3u, socket.ReceiveQueue);
            Assert.Equal(128u, socket.SendQueue);
            Assert.Equal(7ul, table.Generation);
            Assert.False(table.Changed);
        }

        [Fact]
        public void DecodesTheGoldenIPv6ConnectionAndSocketlessTimeWait()
        {
            byte[] stream = Fixtures.MacHex("tcp-ipv6-timewait-golden.hex");
            Assert.Equal(1280, stream.Length);
            PcbList table = Decode(stream);
            Assert.Equal(2u, table.Count);
            Assert.Equal(2, table.Pcbs);
            Assert.Equal(20ul, table.Generation);
            Assert.False(table.Changed);
            Assert.Equal(2, table.Sockets.Count);

            // Every field the decoder reads, as one line per socket: protocol, family, state, endpoints, scope, pid, uid, queues.
            Assert.Equal("Tcp IPv6 Established [fe80::1]:22 [fe80::abcd]:50001 %4 pid 700 uid 0 q 17/42", Describe(table.Sockets[0]));
            // The TIME_WAIT PCB without a socket: no owner, no queues.
            Assert.Equal("Tcp IPv4 TimeWait 192.0.2.10:52000 198.51.100.7:80 %0 pid - uid - q 0/0", Describe(table.Sockets[1]));
        }

        private static string Describe(SocketEntry s) =>
            $"{s.Protocol} {s.Family} {s.State} {new IPEndPoint(s.LocalAddress, s.LocalPort)} {new IPEndPoint(s.RemoteAddress, s.RemotePort)} " +
            $"%{s.ScopeId} pid {s.ProcessId?.ToString() ?? "-"} uid {s.UserId?.ToString() ?? "-"} q {s.ReceiveQueue}/{s.SendQueue}";

        [Fact]
        public void BuilderLaysOutTheSecondGoldenFixturesSize() =>
            Assert.Equal(1280, new MacPcbListBuilder(tcp: true)
                .Add(new MacPcb { LocalAddress = IPAddress.Parse("fe80:4::1"), RemoteAddress = IPAddress.Parse("fe80:4::abcd"), TState = 4 })
                .Add(new MacPcb { Socketless = true, TState = 10 })
                .Build().Length);

        [Fact]
        public void BuilderLaysOutTheGoldenFixturesSize()
        {
            // 24 + 104+104+32+32+136+208 + 24: if the builder's padding drifts, every builder test is suspect.
            byte[] stream = new MacPcbListBuilder(tcp: true).Add(new MacPcb { LocalAddress = IPAddress.Loopback, LocalPort = 8080 }).Build();
            Assert.Equal(664, stream.Length);
            Assert.Equal(456, new MacPcbListBuilder(tcp: false).Add(new MacPcb { Protocol = 17 }).Build().Length); // no xtcpcb_n
        }

        [Fact]
        public void DecodesIPv4Established()
        {
            SocketEntry socket = DecodeOne(new MacPcb
            {
                LocalAddress = IPAddress.Parse("192.0.2.10"), LocalPort = 52000,
                RemoteAddress = IPAddress.Parse("198.51.100.7"), RemotePort = 443,
                TState = 4, Pid = 777, Uid = 0, ReceiveQueue = 10, SendQueue = 20,
            });
            Assert.Equal(IPVersion.IPv4, socket.Family);
            Assert.Equal("192.0.2.10", socket.LocalAddress.ToString());
            Assert.Equal(52000, socket.LocalPort);
            Assert.Equal("198.51.100.7", socket.RemoteAddress.ToString());
            Assert.Equal(443, socket.RemotePort);
            Assert.Equal(TcpState.Established, socket.State);
            Assert.Equal(777, socket.ProcessId);
            Assert.Equal(0u, socket.UserId);
            Assert.Equal(10u, socket.ReceiveQueue);
            Assert.Equal(20u, socket.SendQueue);
        }

        [Fact]
        public void DecodesIPv6ListenerAndEstablished()
        {
            byte[] stream = new MacPcbListBuilder(tcp: true)
                .Add(new MacPcb { LocalAddress = IPAddress.IPv6Loopback, LocalPort = 8443, RemoteAddress = IPAddress.IPv6Any, TState = 1 })
                .Add(new MacPcb
                {
                    LocalAddress = IPAddress.Parse("2001:db8::1"), LocalPort = 8443,
                    RemoteAddress = IPAddress.Parse("2001:db8::2"), RemotePort = 60001, TState = 4,
                })
                .Build();
            List<SocketEntry> sockets = Decode(stream).Sockets;
            Assert.Equal(2, sockets.Count);
            Assert.All(sockets, s => Assert.Equal(IPVersion.IPv6, s.Family));
            Assert.Equal(IPAddress.IPv6Loopback, sockets[0].LocalAddress);
            Assert.Equal(TcpState.Listen, sockets[0].State);
            Assert.Equal("2001:db8::1", sockets[1].LocalAddress.ToString());
            Assert.Equal("2001:db8::2", sockets[1].RemoteAddress.ToString());
            Assert.Equal(60001, sockets[1].RemotePort);
            Assert.Equal(TcpState.Established, sockets[1].State);
        }

        [Fact]
        public void DualStackSocketIsIPv6()
        {
            // inp_vflag INP_IPV4|INP_IPV6: netstat's "tcp46", an AF_INET6 listener on :: that also takes IPv4.
            SocketEntry socket = DecodeOne(new MacPcb { LocalAddress = IPAddress.IPv6Any, RemoteAddress = IPAddress.IPv6Any, LocalPort = 22, VFlag = 3 });
            Assert.Equal(IPVersion.IPv6, socket.Family);
            Assert.Equal(IPAddress.IPv6Any, socket.LocalAddress);
        }

        [Fact]
        public void DecodesUdpWithoutState()
        {
            byte[] stream = new MacPcbListBuilder(tcp: false)
                .Add(new MacPcb { Protocol = 17, LocalAddress = IPAddress.Any, LocalPort = 5353, Pid = 99, ReceiveQueue = 512 })
                .Add(new MacPcb { Protocol = 17, LocalAddress = IPAddress.IPv6Any, RemoteAddress = IPAddress.IPv6Any, LocalPort = 5353 })
                .Build();
            List<SocketEntry> sockets = Decode(stream, TransportProtocol.Udp).Sockets;
            Assert.Equal(2, sockets.Count);
            Assert.All(sockets, s => Assert.Equal(TransportProtocol.Udp, s.Protocol));
            Assert.All(sockets, s => Assert.Null(s.State));
            Assert.Equal(IPVersion.IPv4, sockets[0].Family);
            Assert.Equal(5353, sockets[0].LocalPort);
            Assert.Equal(99, sockets[0].ProcessId);
            Assert.Equal(512u, sockets[0].ReceiveQueue);
            Assert.Equal(IPVersion.IPv6, sockets[1].Family);
        }

        [Theory]
        [InlineData(0, TcpState.Closed)]
        [InlineData(1, TcpState.Listen)]
        [InlineData(2, TcpState.SynSent)]
        [InlineData(3, TcpState.SynReceived)]
        [InlineData(4, TcpState.Established)]
        [InlineData(5, TcpState.CloseWait)]
        [InlineData(6, TcpState.FinWait1)]
        [InlineData(7, TcpState.Closing)]
        [InlineData(8, TcpState.LastAck)]
        [InlineData(9, TcpState.FinWait2)]
        [InlineData(10, TcpState.TimeWait)]
        public void MapsEveryTcpsState(int tcps, TcpState expected) =>
            Assert.Equal(expected, DecodeOne(new MacPcb { TState = tcps, LocalPort = 1 }).State);

        [Fact]
        public void UnknownTcpsStateIsNull() => Assert.Null(DecodeOne(new MacPcb { TState = 11 }).State);

        [Fact]
        public void PortsAreNetworkOrder()
        {
            // 258 = 01 02 on the wire; a host-order (little-endian) read would give 513.
            SocketEntry socket = DecodeOne(new MacPcb { LocalPort = 258, RemotePort = 0xABCD, RemoteAddress = IPAddress.Loopback, TState = 4 });
            Assert.Equal(258, socket.LocalPort);
            Assert.Equal(0xABCD, socket.RemotePort);
        }

        [Fact]
        public void SkipsUnknownKinds()
        {
            var pcb = new MacPcb { LocalAddress = IPAddress.Loopback, LocalPort = 8080 };
            List<byte[]> records = pcb.Records(tcp: true).ToList();
            records.Insert(2, MacPcb.Record(44, 0x400)); // a kind from a later xnu, 44 bytes (padded to 48)
            byte[] stream = new MacPcbListBuilder(tcp: true)
                .AddRecords(records)
                .AddRecord(MacPcb.Record(40, 0x040))     // XSO_KCREG between PCBs: not ours
                .Add(new MacPcb { LocalAddress = IPAddress.Loopback, LocalPort = 8081 })
                .Build();
            Assert.Equal(new[] { 8080, 8081 }, Decode(stream).Sockets.Select(s => s.LocalPort));
        }

        [Fact]
        public void IncompletePcbDoesNotBorrowTheNextOnesRecords()
        {
            // get_pcblist_n leaves xsb_kind 0 when a PCB has no socket, so that group never completes;
            // the next xinpcb_n must start afresh rather than pair port 1 with the next PCB's buffers.
            List<byte[]> socketless = new MacPcb { LocalPort = 1 }.Records(tcp: true).ToList();
            MacPcb.PutU32(socketless[2], 4, 0);
            MacPcb.PutU32(socketless[3], 4, 0);
            byte[] stream = new MacPcbListBuilder(tcp: true)
                .AddRecords(socketless)
                .Add(new MacPcb { LocalPort = 2, TState = 4, Pid = 22 })
                .Build();
            SocketEntry socket = Decode(stream).Sockets.Single();
            Assert.Equal(2, socket.LocalPort);
            Assert.Equal(22, socket.ProcessId);
        }

        [Fact]
        public void ReadsLongerRecordsByTheirKnownPrefix()
        {
            // Growth 20 is not a multiple of 8, so the padding after each record changes too.
            SocketEntry socket = DecodeOne(new MacPcb
            {
                LocalAddress = IPAddress.Parse("10.1.2.3"), LocalPort = 9000, RemoteAddress = IPAddress.Parse("10.3.2.1"), RemotePort = 9001,
                TState = 4, Pid = 31337, Growth = 20,
            });
            Assert.Equal("10.1.2.3", socket.LocalAddress.ToString());
            Assert.Equal(9001, socket.RemotePort);
            Assert.Equal(TcpState.Established, socket.State);
            Assert.Equal(31337, socket.ProcessId);
        }

        [Fact]
        public void ReadsTheShorterXsocketOfOlderReleases()
        {
            // Before so_gencnt and the flags were appended, xsocket_n ended at so_e_pid (76 bytes).
            List<byte[]> records = new MacPcb { LocalPort = 631, Pid = 55 }.Records(tcp: true).ToList();
            byte[] old = records[1].Take(76).ToArray();
            MacPcb.PutU32(old, 0, 76);
            records[1] = old;
            SocketEntry socket = Decode(new MacPcbListBuilder(tcp: true).AddRecords(records).Build()).Sockets.Single();
            Assert.Equal(631, socket.LocalPort);
            Assert.Equal(55, socket.ProcessId);
        }

        [Fact]
        public void RecordTooShortForItsFieldsIsAFormatError()
        {
            List<byte[]> records = new MacPcb().Records(tcp: true).ToList();
            records[1] = MacPcb.Record(40, 0x1); // an xsocket_n that ends before so_uid
            byte[] stream = new MacPcbListBuilder(tcp: true).AddRecords(records).Build();
            var e = Assert.Throws<FormatException>(() => Decode(stream));
            Assert.Contains("xsocket_n", e.Message);
        }

        [Fact]
        public void EveryTruncationIsAFormatError()
        {
            byte[] stream = Fixtures.MacHex("tcp-listen-golden.hex");
            for (int length = 0; length < stream.Length; length++)
            {
                int cut = length;
                Assert.Throws<FormatException>(() => PcbListDecoder.Decode(stream, cut, TransportProtocol.Tcp, new AddressCache()));
            }
        }

        [Fact]
        public void TruncationNamesTheStructure()
        {
            byte[] stream = Fixtures.MacHex("tcp-listen-golden.hex");
            var e = Assert.Throws<FormatException>(() => PcbListDecoder.Decode(stream, 24 + 104 + 50, TransportProtocol.Tcp, new AddressCache()));
            Assert.Contains("xsocket_n", e.Message);
        }

        [Fact]
        public void EmptyTableHasNoSockets()
        {
            PcbList withTrailer = Decode(new MacPcbListBuilder(tcp: true).Build());
            Assert.Empty(withTrailer.Sockets);
            Assert.False(withTrailer.Changed);
            // get_pcblist_n sends the header alone when xig_count is 0.
            PcbList headerOnly = Decode(MacPcbListBuilder.Xinpgen(0, 3));
            Assert.Empty(headerOnly.Sockets);
            Assert.Null(headerOnly.TrailerGeneration);
        }

        [Fact]
        public void ChangedGenerationIsReported()
        {
            var builder = new MacPcbListBuilder(tcp: true) { Generation = 40, TrailerGeneration = 41 }.Add(new MacPcb { GenCnt = 39 });
            PcbList table = Decode(builder.Build());
            Assert.True(table.Changed);
            Assert.Single(table.Sockets);
        }

        [Fact]
        public void SkipsPcbsNewerThanTheHeaderAndOtherProtocols()
        {
            byte[] stream = new MacPcbListBuilder(tcp: true) { Generation = 40 }
                .Add(new MacPcb { LocalPort = 1, GenCnt = 41 })       // created during the copy-out
                .Add(new MacPcb { LocalPort = 2, Protocol = 17 })     // not TCP
                .Add(new MacPcb { LocalPort = 3, VFlag = 0 })         // neither IPv4 nor IPv6
                .Add(new MacPcb { LocalPort = 4, GenCnt = 40 })
                .Build();
            Assert.Equal(new[] { 4 }, Decode(stream).Sockets.Select(s => s.LocalPort));
        }

        [Fact]
        public void KernelSocketHasNoProcess() => Assert.Null(DecodeOne(new MacPcb { Pid = 0 }).ProcessId);

        [Fact]
        public void EmbeddedLinkLocalScopeBecomesScopeId()
        {
            // KAME-style fe80:4::1: interface index 4 kept in bytes 2-3 of the address.
            SocketEntry socket = DecodeOne(new MacPcb
            {
                LocalAddress = IPAddress.Parse("fe80:4::1"), LocalPort = 5000, RemoteAddress = IPAddress.IPv6Any, TState = 1,
            });
            Assert.Equal("fe80::1", socket.LocalAddress.ToString());
            Assert.Equal(4u, socket.ScopeId);
        }
            [Fact]
        public void ListenerReceiveQueueCountsOnlyConnectionsReadyToAccept()
        {
            // so_qlen 5 holds 2 embryonic connections (so_incqlen): 3 wait for accept(), as Linux's Recv-Q counts them.
            SocketEntry listener = DecodeOne(new MacPcb { TState = 1, LocalPort = 80, QLen = 5, IncQLen = 2, QLimit = 128 });
            Assert.Equal(3u, listener.ReceiveQueue);
            Assert.Equal(128u, listener.SendQueue);
            // Counts read mid-change can disagree; the queue is never negative.
            Assert.Equal(0u, DecodeOne(new MacPcb { TState = 1, QLen = 1, IncQLen = 4 }).ReceiveQueue);
        }

        [Fact]
        public void SkywalkFlowHasNoUserButKeepsItsProcess()
        {
            byte[] stream = new MacPcbListBuilder(tcp: true)
                .Add(new MacPcb { LocalPort = 1, TState = 4, Uid = 0, Pid = 90 })
                .Add(new MacPcb { LocalPort = 2, TState = 4, Skywalk = true, Pid = 91 })
                .Build();
            List<SocketEntry> sockets = Decode(stream).Sockets;
            Assert.Equal(0u, sockets[0].UserId); // root
            Assert.Null(sockets[1].UserId);      // nstat_userland_to_xsocket_n sets no so_uid
            Assert.Equal(91, sockets[1].ProcessId);
        }

        [Theory]
        [InlineData("fe80:4::1", "fe80::1", 4u)]       // IN6_IS_ADDR_LINKLOCAL
        [InlineData("ff02:4::fb", "ff02::fb", 4u)]     // IN6_IS_ADDR_MC_LINKLOCAL: mDNS on en0
        [InlineData("ff12:7::1:3", "ff12::1:3", 7u)]   // link-local scope, transient flag
        [InlineData("ff01:5::1", "ff01::1", 5u)]       // IN6_IS_ADDR_MC_NODELOCAL (interface-local)
        [InlineData("ff32:40:fd00::1", "ff32:40:fd00::1", 0u)] // unicast-prefix-based: bytes 2-3 are its prefix length
        [InlineData("ff05:4::2", "ff05:4::2", 0u)]     // site-local multicast: no embedded scope
        [InlineData("2001:db8:4::1", "2001:db8:4::1", 0u)]
        public void EmbeddedScopeIsTakenFromTheAddressesNetstatTakesItFrom(string kernel, string shown, uint scope)
        {
            byte[] stream = new MacPcbListBuilder(tcp: false)
                .Add(new MacPcb { Protocol = 17, LocalAddress = IPAddress.Parse(kernel), RemoteAddress = IPAddress.IPv6Any, LocalPort = 5353 })
                .Build();
            SocketEntry socket = Decode(stream, TransportProtocol.Udp).Sockets.Single();
            Assert.Equal(shown, socket.LocalAddress.ToString());
            Assert.Equal(scope, socket.ScopeId);
        }

        [Fact]
        public void SocketlessPcbIsListedWithoutOwnerAndTheNextStartsAfresh()
        {
            byte[] stream = new MacPcbListBuilder(tcp: true)
                .Add(new MacPcb { Socketless = true, TState = 10, LocalPort = 52000, RemoteAddress = IPAddress.Loopback, RemotePort = 80 })
                .Add(new MacPcb { LocalPort = 2, TState = 4, Pid = 22, ReceiveQueue = 5 })
                .Build();
            List<SocketEntry> sockets = Decode(stream).Sockets;
            Assert.Equal(2, sockets.Count);
            Assert.Equal(TcpState.TimeWait, sockets[0].State);
            Assert.Equal(52000, sockets[0].LocalPort);
            Assert.Null(sockets[0].ProcessId);
            Assert.Null(sockets[0].UserId);
            Assert.Equal(22, sockets[1].ProcessId);
            Assert.Equal(5u, sockets[1].ReceiveQueue);
        }

        [Fact]
        public void CountsTheHeadersPcbsAndTheRecordsSent()
        {
            // What macOS 27 sends a user (dotnet/runtime#133960): the header's count, but the records of the caller's sockets only.
            byte[] stream = new MacPcbListBuilder(tcp: true) { Count = 40 }.Add(new MacPcb { LocalPort = 1 }).Build();
            PcbList table = Decode(stream);
            Assert.Equal(40u, table.Count);
            Assert.Equal(1, table.Pcbs);
        }
    }
}
