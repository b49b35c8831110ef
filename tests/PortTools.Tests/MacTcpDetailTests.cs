using System.Linq;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform.MacOS;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>Get-PortConnection -Detailed on macOS: xtcpcb_n and xsockbuf_n fields into TcpDetail (docs/dev/platform-layouts.md, "pcblist_n").</summary>
    public class MacTcpDetailTests
    {
        private static SocketEntry Decode(byte[] stream, bool detailed = true) =>
            PcbListDecoder.Decode(stream, stream.Length, TransportProtocol.Tcp, new AddressCache(), detailed).Sockets.Single();

        private static TcpDetail Detail(MacPcb pcb) => Decode(new MacPcbListBuilder(tcp: true).Add(pcb).Build()).Detail!;

        private static MacPcb Established() => new MacPcb
        {
            LocalAddress = IPAddress.Parse("192.0.2.10"), LocalPort = 52000,
            RemoteAddress = IPAddress.Parse("198.51.100.7"), RemotePort = 443, TState = 4,
            MaxSeg = 1448, SndCwnd = 14480, Srtt = 400, RttVar = 100, RxtCur = 204,
        };

        [Fact]
        public void DecodesTheGoldenConnectionsDetailFieldByField()
        {
            byte[] stream = Fixtures.MacHex("tcp-detail-golden.hex");
            Assert.Equal(664, stream.Length);
            SocketEntry socket = Decode(stream);
            Assert.Equal(TcpState.Established, socket.State);
            Assert.Equal(443, socket.RemotePort);
            TcpDetail d = socket.Detail!;
            Assert.Equal(12.5, d.RttMilliseconds);
            Assert.Equal(6.25, d.RttVarianceMilliseconds);
            Assert.Equal(204.0, d.RetransmitTimeoutMilliseconds);
            Assert.Equal(1448u, d.MaxSegmentSizeBytes);
            Assert.Equal(14480ul, d.CongestionWindowBytes);
            Assert.Equal(10u, d.CongestionWindowSegments);
            Assert.Equal(28960ul, d.SlowStartThresholdBytes);
            Assert.Equal(20u, d.SlowStartThresholdSegments);
            Assert.Equal(131072u, d.PeerReceiveWindowBytes);
            Assert.Equal(TcpTimer.Retransmit, d.Timer); // 204 ms, nearer than the keepalive's 7200000
            Assert.Equal(204u, d.TimerRemainingMilliseconds);
            Assert.Equal(2, d.TimerRetries);
            Assert.Equal(100u, d.ReceiveMemoryBytes);
            Assert.Equal(262144u, d.ReceiveBufferBytes);
            Assert.Equal(2896u, d.SendQueuedBytes);
            Assert.Equal(131072u, d.SendBufferBytes);
            // What xtcpcb_n does not carry stays empty.
            Assert.Null(d.CongestionControl);
            Assert.Null(d.MinRttMilliseconds);
            Assert.Null(d.BytesSent);
            Assert.Null(d.TotalRetransmits);
            Assert.Null(d.SendMemoryBytes);
            Assert.Equal("rto:204 rtt:12.5/6.25 mss:1448 cwnd:10 ssthresh:20 snd_wnd:131072 timer:(on,204ms,2) skmem:(r100,rb262144,tb131072,w2896)",
                d.ToString());
        }

        [Fact]
        public void BuilderLaysOutTheDetailGoldensSize() =>
            Assert.Equal(Fixtures.MacHex("tcp-detail-golden.hex").Length, new MacPcbListBuilder(tcp: true).Add(Established()).Build().Length);

        [Fact]
        public void ScalesSrttBy32AndRttvarBy16KeepingTheFraction()
        {
            MacPcb pcb = Established();
            pcb.Srtt = 33; // 1.03125 ms
            pcb.RttVar = 9; // 0.5625 ms
            TcpDetail d = Detail(pcb);
            Assert.Equal(1.03125, d.RttMilliseconds);
            Assert.Equal(0.5625, d.RttVarianceMilliseconds);
        }

        [Fact]
        public void NoRttSampleYetIsEmpty()
        {
            MacPcb pcb = Established();
            pcb.Srtt = 0;
            pcb.RttVar = 0;
            pcb.RxtCur = 0;
            TcpDetail d = Detail(pcb);
            Assert.Null(d.RttMilliseconds);
            Assert.Null(d.RttVarianceMilliseconds);
            Assert.Null(d.RetransmitTimeoutMilliseconds);
        }

        [Theory]
        [InlineData(1000u, 25999u, 12000u, 25u, 12u)] // whole segments, as bytes / t_maxseg
        [InlineData(0u, 14480u, 5000u, null, null)]   // no MSS: no segment counts, never 0
        public void CwndAndSsthreshInBytesAndSegments(uint maxSeg, uint cwnd, uint ssthresh, uint? cwndSegments, uint? ssthreshSegments)
        {
            MacPcb pcb = Established();
            pcb.MaxSeg = maxSeg;
            pcb.SndCwnd = cwnd;
            pcb.SndSsthresh = ssthresh;
            TcpDetail d = Detail(pcb);
            Assert.Equal(maxSeg == 0 ? null : maxSeg, d.MaxSegmentSizeBytes);
            Assert.Equal(cwnd, d.CongestionWindowBytes);
            Assert.Equal(cwndSegments, d.CongestionWindowSegments);
            Assert.Equal(ssthresh, d.SlowStartThresholdBytes);
            Assert.Equal(ssthreshSegments, d.SlowStartThresholdSegments);
        }

        [Fact]
        public void UnboundedSsthreshIsEmpty()
        {
            TcpDetail d = Detail(Established()); // the builder's default: TCP_MAXWIN << TCP_MAX_WINSHIFT
            Assert.Null(d.SlowStartThresholdBytes);
            Assert.Null(d.SlowStartThresholdSegments);
        }

        [Theory]
        [InlineData(0, TcpTimer.Retransmit)]
        [InlineData(1, TcpTimer.ZeroWindowProbe)]
        [InlineData(2, TcpTimer.KeepAlive)]
        [InlineData(3, TcpTimer.TimeWait)]
        public void EachTimerSlotIsItsTimer(int slot, TcpTimer expected)
        {
            MacPcb pcb = Established();
            pcb.Timers[slot] = 1500 + slot;
            pcb.RxtShift = 3;
            TcpDetail d = Detail(pcb);
            Assert.Equal(expected, d.Timer);
            Assert.Equal((uint)(1500 + slot), d.TimerRemainingMilliseconds);
            // t_rxtshift is the backoff of the retransmit and persist timers only.
            Assert.Equal(slot <= 1 ? 3 : (int?)null, d.TimerRetries);
        }

        [Fact]
        public void TheNearestOfSeveralTimersIsShown()
        {
            MacPcb pcb = Established();
            pcb.Timers = new[] { 0, 0, 7200000, 30000 };
            TcpDetail d = Detail(pcb);
            Assert.Equal(TcpTimer.TimeWait, d.Timer);
            Assert.Equal(30000u, d.TimerRemainingMilliseconds);
        }

        [Fact]
        public void NoTimerRunning()
        {
            TcpDetail d = Detail(Established());
            Assert.Equal(TcpTimer.None, d.Timer);
            Assert.Null(d.TimerRemainingMilliseconds);
            Assert.Null(d.TimerRetries);
            Assert.DoesNotContain("timer", d.ToString());
        }

        [Fact]
        public void SocketBuffersFillAndLimits()
        {
            MacPcb pcb = Established();
            pcb.ReceiveQueue = 7;
            pcb.ReceiveLimit = 65536;
            pcb.SendQueue = 9;
            pcb.SendLimit = 32768;
            TcpDetail d = Detail(pcb);
            Assert.Equal(7u, d.ReceiveMemoryBytes);
            Assert.Equal(65536u, d.ReceiveBufferBytes);
            Assert.Equal(9u, d.SendQueuedBytes);
            Assert.Equal(32768u, d.SendBufferBytes);
        }

        [Fact]
        public void SocketlessTimeWaitHasTcpFieldsButNoBufferMemory()
        {
            var pcb = new MacPcb { Socketless = true, TState = 10, MaxSeg = 1448, Timers = new[] { 0, 0, 0, 29000 } };
            SocketEntry socket = Decode(new MacPcbListBuilder(tcp: true).Add(pcb).Build());
            Assert.Equal(TcpState.TimeWait, socket.State);
            Assert.Equal(TcpTimer.TimeWait, socket.Detail!.Timer);
            Assert.Equal(29000u, socket.Detail.TimerRemainingMilliseconds);
            Assert.Null(socket.Detail.ReceiveBufferBytes);
            Assert.Null(socket.Detail.SendQueuedBytes);
        }

        [Fact]
        public void DetailedOffLeavesDetailNull()
        {
            Assert.Null(Decode(Fixtures.MacHex("tcp-detail-golden.hex"), detailed: false).Detail);
            Assert.Null(Decode(new MacPcbListBuilder(tcp: true).Add(Established()).Build(), detailed: false).Detail);
        }

        [Fact]
        public void UdpSocketsGetNoDetail()
        {
            byte[] stream = new MacPcbListBuilder(tcp: false).Add(new MacPcb { Protocol = 17, LocalPort = 53 }).Build();
            Assert.Null(PcbListDecoder.Decode(stream, stream.Length, TransportProtocol.Udp, new AddressCache(), detailed: true).Sockets.Single().Detail);
        }

        [Theory]
        [InlineData(136)] // t_srtt
        [InlineData(128)] // t_rxtcur
        [InlineData(144)] // t_rxtshift
        [InlineData(28)]  // t_timer[TCPT_KEEP_EXT]
        public void NegativeTimeOrCountIsAFormatException(int offset)
        {
            byte[] stream = new MacPcbListBuilder(tcp: true).Add(Established()).Build();
            int tcpcb = 24 + 104 + 104 + 32 + 32 + 136;
            MacPcb.PutU32(stream, tcpcb + offset, 0xFFFFFFF0);
            Assert.Throws<FormatException>(() => Decode(stream));
            Assert.Null(Decode(stream, detailed: false).Detail); // the plain listing does not read it
        }

        [Fact]
        public void ARecordTooShortForTheDetailIsAFormatException()
        {
            MacPcb pcb = Established();
            var records = pcb.Records(tcp: true).ToList();
            byte[] shortTcpcb = MacPcb.Record(100, 0x20); // holds t_state, not t_srtt
            MacPcb.PutU32(shortTcpcb, 36, 4);
            records[records.Count - 1] = shortTcpcb;
            byte[] stream = new MacPcbListBuilder(tcp: true).AddRecords(records).Build();
            Assert.Equal(TcpState.Established, Decode(stream, detailed: false).State);
            var e = Assert.Throws<FormatException>(() => Decode(stream));
            Assert.Contains("xtcpcb_n", e.Message);
        }
    }
}
