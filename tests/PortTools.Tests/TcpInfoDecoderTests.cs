using System.Collections.Generic;
using System.Linq;
using System;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// The ss -tinmo details of sock_diag replies: a hand-written golden record, replies laid out by <see cref="SockDiagBuilder"/>
    /// for each size of struct tcp_info the kernel has sent, and a real dump (Fixtures/linux/capture-tcp-info.py).
    /// </summary>
    public class TcpInfoDecoderTests
    {
        private const ushort Info = 2, Cong = 4, SkMemInfo = 7; // INET_DIAG_* in linux/inet_diag.h

        private static NetlinkMessage Single(byte[] bytes) => NetlinkDecoder.Split(bytes, bytes.Length).Single();

        private static TcpDetail Decode(byte[] bytes) =>
            InetDiag.Decode(Single(bytes), TransportProtocol.Tcp, new AddressCache(), detailed: true).Detail!;

        private static byte[] WithInfo(byte[] info) => SockDiagBuilder.Message(1, 0, 0, 0, attributes: (Info, info));

        [Fact]
        public void DecodesTheHandWrittenGoldenRecord()
        {
            // A connection 127.0.0.1:8080 -> :50000 on a kernel with the oldest tcp_info (104 bytes: no byte counters),
            // cubic, its retransmit timer due in 400 ms after 2 retries, and an 8-entry sk_meminfo (no drop counter).
            byte[] reply = Convert.FromHexString(string.Concat(
                "f4000000 1400 0200 01000000 00000000",                         // nlmsghdr: len 244, SOCK_DIAG_BY_FAMILY, MULTI, seq 1
                "02 01 01 02",                                                  // AF_INET, ESTABLISHED, timer 1 (on), retrans 2
                "1f90 c350 7f000001 000000000000000000000000",                 // sport 8080, dport 50000, src 127.0.0.1
                "7f000001 000000000000000000000000 00000000 0000000000000000", // dst 127.0.0.1, if, cookie
                "90010000 00000000 00000000 e8030000 34120000",                 // expires 400, rqueue, wqueue, uid 1000, inode
                "6c00 0200",                                                    // rtattr: 108 bytes, INET_DIAG_INFO
                "01 00 00 00 00 07 aa 00",                                      // state, ca_state, retransmits, probes, backoff, options, wscale, flags
                "e01c0300 409c0000 a8050000 18020000",                          // rto 204000 us, ato 40000, snd_mss 1448, rcv_mss 536
                "03000000 00000000 01000000 02000000 00000000",                 // unacked 3, sacked, lost 1, retrans 2, fackets
                "00000000 00000000 00000000 00000000",                          // last_data_sent, last_ack_sent, last_data_recv, last_ack_recv
                "dc050000 f0fa0000 39300000 a6020000",                          // pmtu 1500, rcv_ssthresh, rtt 12345 us, rttvar 678 us
                "07000000 0a000000 b4050000 03000000",                          // snd_ssthresh 7, snd_cwnd 10, advmss, reordering 3
                "00000000 00000000 2a000000",                                   // rcv_rtt, rcv_space, total_retrans 42
                "0a00 0400 6375626963 00 0000",                                 // rtattr: 10 bytes, INET_DIAG_CONG "cubic\0", padding
                "2400 0700",                                                    // rtattr: 36 bytes, INET_DIAG_SKMEMINFO
                "00000000 00000200 00010000 00400000 00100000 00020000 00000000 00000000" // r 0, rb 131072, t 256, tb 16384, f 4096, w 512, o 0, bl 0
            ).Replace(" ", ""));
            TcpDetail d = Decode(reply);
            Assert.Equal("cubic", d.CongestionControl);
            Assert.Equal(12.345, d.RttMilliseconds);
            Assert.Equal(0.678, d.RttVarianceMilliseconds);
            Assert.Equal(204.0, d.RetransmitTimeoutMilliseconds);
            Assert.Equal(1448u, d.MaxSegmentSizeBytes);
            Assert.Equal(10u, d.CongestionWindowSegments);
            Assert.Equal(14480ul, d.CongestionWindowBytes);
            Assert.Equal(7u, d.SlowStartThresholdSegments);
            Assert.Equal(10136ul, d.SlowStartThresholdBytes);
            Assert.Equal(3u, d.UnackedSegments);
            Assert.Equal(1u, d.LostSegments);
            Assert.Equal(2u, d.RetransmittingSegments);
            Assert.Equal(42u, d.TotalRetransmits);
            Assert.Equal(TcpTimer.Retransmit, d.Timer);
            Assert.Equal(400u, d.TimerRemainingMilliseconds);
            Assert.Equal(2, d.TimerRetries);
            Assert.Equal(new uint?[] { 0, 131072, 256, 16384, 4096, 512, 0, 0, null }, new[]
            {
                d.ReceiveMemoryBytes, d.ReceiveBufferBytes, d.SendMemoryBytes, d.SendBufferBytes, d.ForwardAllocBytes,
                d.SendQueuedBytes, d.OptionMemoryBytes, d.BacklogBytes, d.Drops,
            });
            // Fields a 104-byte tcp_info does not reach are unknown, not 0.
            Assert.Null(d.BytesAcked);
            Assert.Null(d.PacingRateBytesPerSecond);
            Assert.Null(d.MinRttMilliseconds);
            Assert.Null(d.PeerReceiveWindowBytes);
            Assert.Equal("cubic rto:204 rtt:12.345/0.678 mss:1448 cwnd:10 ssthresh:7 unacked:3 retrans:2/42 lost:1 timer:(on,400ms,2) " +
                "skmem:(r0,rb131072,t256,tb16384,f4096,w512,o0,bl0)", d.ToString());
        }

        private static readonly Dictionary<string, ulong> Values = new Dictionary<string, ulong>
        {
            ["tcpi_rto"] = 201000, ["tcpi_snd_mss"] = 1000, ["tcpi_unacked"] = 5, ["tcpi_lost"] = 6, ["tcpi_retrans"] = 7,
            ["tcpi_rtt"] = 1500, ["tcpi_rttvar"] = 250, ["tcpi_snd_ssthresh"] = 20, ["tcpi_snd_cwnd"] = 30, ["tcpi_total_retrans"] = 8,
            ["tcpi_pacing_rate"] = 1_000_000, ["tcpi_max_pacing_rate"] = 9, ["tcpi_bytes_acked"] = 5_000_000_001, ["tcpi_bytes_received"] = 6_000_000_002,
            ["tcpi_segs_out"] = 9, ["tcpi_min_rtt"] = 900, ["tcpi_delivery_rate"] = 125_000_000,
            ["tcpi_busy_time"] = 3_000_000, ["tcpi_rwnd_limited"] = 1_500_000, ["tcpi_sndbuf_limited"] = 250_000,
            ["tcpi_delivered"] = 9, ["tcpi_bytes_sent"] = 7_000_000_003, ["tcpi_bytes_retrans"] = 4096, ["tcpi_dsack_dups"] = 9,
            ["tcpi_rcv_ooopack"] = 9, ["tcpi_snd_wnd"] = 65536, ["tcpi_rcv_wnd"] = 9, ["tcpi_total_rto"] = 9, ["tcpi_ecn_mode:2, ..."] = 9,
        };

        [Fact]
        public void DecodesEveryFieldOfTheNewestLayoutAndSkipsWhatItDoesNotKnow()
        {
            byte[] info = SockDiagBuilder.TcpInfo(Values);
            Assert.Equal(280, info.Length); // sizeof(struct tcp_info) on 6.18, as observed in the captured dump
            TcpDetail d = Decode(WithInfo(info));
            Assert.Equal(201.0, d.RetransmitTimeoutMilliseconds);
            Assert.Equal(1.5, d.RttMilliseconds);
            Assert.Equal(0.25, d.RttVarianceMilliseconds);
            Assert.Equal(0.9, d.MinRttMilliseconds);
            Assert.Equal(30u, d.CongestionWindowSegments);
            Assert.Equal(30_000ul, d.CongestionWindowBytes);
            Assert.Equal(20u, d.SlowStartThresholdSegments);
            Assert.Equal((5u, 6u, 7u, 8u), (d.UnackedSegments, d.LostSegments, d.RetransmittingSegments, d.TotalRetransmits));
            Assert.Equal(1_000_000ul, d.PacingRateBytesPerSecond);
            Assert.Equal(5_000_000_001ul, d.BytesAcked);
            Assert.Equal(6_000_000_002ul, d.BytesReceived);
            Assert.Equal(7_000_000_003ul, d.BytesSent);
            Assert.Equal(4096ul, d.BytesRetransmitted);
            Assert.Equal(125_000_000ul, d.DeliveryRateBytesPerSecond);
            Assert.Equal(3000.0, d.BusyMilliseconds);
            Assert.Equal(1500.0, d.ReceiveWindowLimitedMilliseconds);
            Assert.Equal(250.0, d.SendBufferLimitedMilliseconds);
            Assert.Equal(65536u, d.PeerReceiveWindowBytes);
            Assert.Equal(TcpTimer.None, d.Timer);
            Assert.Null(d.TimerRemainingMilliseconds);
            Assert.Null(d.CongestionControl); // no INET_DIAG_CONG attribute
            Assert.Null(d.ReceiveBufferBytes); // no INET_DIAG_SKMEMINFO attribute
        }

        /// <summary>The last member of struct tcp_info in each kernel that grew it, and the fields that size brings.</summary>
        public static TheoryData<string, int, string[]> KernelLayouts => new TheoryData<string, int, string[]>
        {
            { "tcpi_total_retrans", 104, new string[0] },                                                   // before 3.15
            { "tcpi_max_pacing_rate", 120, new[] { "Pacing" } },                                             // 3.15
            { "tcpi_bytes_received", 136, new[] { "Pacing", "Acked" } },                                     // 4.1
            { "tcpi_data_segs_out", 160, new[] { "Pacing", "Acked", "MinRtt" } },                            // 4.6
            { "tcpi_delivery_rate", 168, new[] { "Pacing", "Acked", "MinRtt", "Delivery" } },                // 4.9
            { "tcpi_sndbuf_limited", 192, new[] { "Pacing", "Acked", "MinRtt", "Delivery", "Busy" } },       // 4.10
            { "tcpi_reord_seen", 224, new[] { "Pacing", "Acked", "MinRtt", "Delivery", "Busy", "Sent" } },   // 4.19
            { "tcpi_snd_wnd", 232, new[] { "Pacing", "Acked", "MinRtt", "Delivery", "Busy", "Sent", "Window" } }, // 5.4
        };

        [Theory]
        [MemberData(nameof(KernelLayouts))]
        public void ReadsOnlyTheFieldsAnOlderKernelSends(string lastMember, int size, string[] present)
        {
            byte[] info = SockDiagBuilder.TcpInfo(Values, lastMember);
            Assert.Equal(size, info.Length);
            TcpDetail d = Decode(WithInfo(info));
            Assert.Equal(30u, d.CongestionWindowSegments);
            Assert.Equal(1.5, d.RttMilliseconds);
            var read = new Dictionary<string, bool>
            {
                ["Pacing"] = d.PacingRateBytesPerSecond != null,
                ["Acked"] = d.BytesAcked != null && d.BytesReceived != null,
                ["MinRtt"] = d.MinRttMilliseconds != null,
                ["Delivery"] = d.DeliveryRateBytesPerSecond != null,
                ["Busy"] = d.BusyMilliseconds != null && d.ReceiveWindowLimitedMilliseconds != null && d.SendBufferLimitedMilliseconds != null,
                ["Sent"] = d.BytesSent != null && d.BytesRetransmitted != null,
                ["Window"] = d.PeerReceiveWindowBytes != null,
            };
            Assert.Equal(present.OrderBy(p => p), read.Where(r => r.Value).Select(r => r.Key).OrderBy(p => p));
        }

        [Fact]
        public void SentinelsMeanNoValue()
        {
            var values = new Dictionary<string, ulong>(Values)
            {
                ["tcpi_snd_ssthresh"] = 0x7FFFFFFF,     // TCP_INFINITE_SSTHRESH: still in slow start
                ["tcpi_min_rtt"] = uint.MaxValue,       // no sample yet
                ["tcpi_pacing_rate"] = ulong.MaxValue,  // no pacing limit
            };
            TcpDetail d = Decode(WithInfo(SockDiagBuilder.TcpInfo(values)));
            Assert.Null(d.SlowStartThresholdSegments);
            Assert.Null(d.SlowStartThresholdBytes);
            Assert.Null(d.MinRttMilliseconds);
            Assert.Null(d.PacingRateBytesPerSecond);
        }

        [Theory]
        [InlineData(0, TcpTimer.None)]
        [InlineData(1, TcpTimer.Retransmit)]
        [InlineData(2, TcpTimer.KeepAlive)]
        [InlineData(3, TcpTimer.TimeWait)]
        [InlineData(4, TcpTimer.ZeroWindowProbe)]
        [InlineData(5, TcpTimer.DelayedAck)]
        [InlineData(6, TcpTimer.Unknown)]
        [InlineData(255, TcpTimer.Unknown)]
        public void TimersAreIdiagTimerValues(byte timer, TcpTimer expected)
        {
            TcpDetail d = Decode(SockDiagBuilder.Message(1, timer, 3, 7_200_000));
            Assert.Equal(expected, d.Timer);
            Assert.Equal(timer == 0 ? null : 7_200_000u, d.TimerRemainingMilliseconds);
            Assert.Equal(timer == 0 ? null : 3, d.TimerRetries);
        }

        [Fact]
        public void ATimeWaitSocketHasItsTimerOnly()
        {
            // The kernel sends no attributes for TIME_WAIT and SYN_RECV sockets (inet_twsk_diag_fill).
            TcpDetail d = Decode(SockDiagBuilder.Message(6, 3, 0, 59_000));
            Assert.Equal(TcpTimer.TimeWait, d.Timer);
            Assert.Equal(59_000u, d.TimerRemainingMilliseconds);
            Assert.Null(d.RttMilliseconds);
            Assert.Null(d.CongestionWindowSegments);
            Assert.Equal("timer:(timewait,59s,0)", d.ToString());
        }

        [Fact]
        public void ATcpInfoShorterThanTheOldestLayoutIsAFormatError()
        {
            byte[] info = SockDiagBuilder.TcpInfo(Values, "tcpi_rcv_space");
            Assert.Equal(100, info.Length);
            Assert.Throws<FormatException>(() => Decode(WithInfo(info)));
        }

        [Fact]
        public void ACongestionNameWithoutItsNulEndsWithTheAttribute()
        {
            byte[] name = SockDiagBuilder.CString("bbr").Take(3).ToArray();
            Assert.Equal("bbr", Decode(SockDiagBuilder.Message(1, 0, 0, 0, attributes: (Cong, name))).CongestionControl);
        }

        [Fact]
        public void AShortMemInfoLeavesTheMissingCountersEmpty()
        {
            TcpDetail d = Decode(SockDiagBuilder.Message(1, 0, 0, 0, attributes: (SkMemInfo, SockDiagBuilder.MemInfo(1, 2, 3, 4, 5, 6, 7))));
            Assert.Equal(7u, d.OptionMemoryBytes);
            Assert.Null(d.BacklogBytes);
            Assert.Null(d.Drops);
        }

        [Fact]
        public void OnlyTcpSocketsAskedForDetailCarryOne()
        {
            byte[] reply = WithInfo(SockDiagBuilder.TcpInfo(Values));
            Assert.Null(InetDiag.Decode(Single(reply), TransportProtocol.Tcp, new AddressCache()).Detail);
            Assert.Null(InetDiag.Decode(Single(reply), TransportProtocol.Udp, new AddressCache(), detailed: true).Detail);
        }

        [Fact]
        public void ADetailedDumpRequestAsksForInfoCongAndMemInfo()
        {
            byte[] request = InetDiag.DumpRequest(InetDiag.AF_INET, InetDiag.IPPROTO_TCP, 0xFFF, sequence: 1, extensions: TcpInfoDecoder.Extensions);
            // idiag_ext: bits INET_DIAG_INFO - 1, INET_DIAG_CONG - 1, INET_DIAG_SKMEMINFO - 1 = 0x02 | 0x08 | 0x40.
            Assert.Equal("02064a00", Convert.ToHexString(request, 16, 4).ToLowerInvariant());
        }

        [Fact]
        public void DecodesTheCapturedDumpAsSsShowedIt()
        {
            // Fixtures/linux/ss-tinmo-tcp4-info.txt is ss -tinmoa over the same sockets, a moment later.
            byte[] bytes = Fixtures.LinuxBytes("sock-diag-tcp4-info.bin");
            var addresses = new AddressCache();
            List<SocketEntry> sockets = NetlinkDecoder.Split(bytes, bytes.Length)
                .Where(m => m.Type == InetDiag.SOCK_DIAG_BY_FAMILY)
                .Select(m => InetDiag.Decode(m, TransportProtocol.Tcp, addresses, detailed: true))
                .ToList();
            Assert.Equal(5, sockets.Count);

            TcpDetail client = sockets.Single(s => s.RemotePort == 18090).Detail!;
            Assert.Equal("reno", client.CongestionControl);
            Assert.Equal((1000ul, 1001ul, 500ul), (client.BytesSent!.Value, client.BytesAcked!.Value, client.BytesReceived!.Value));
            Assert.Equal((10u, 35328u, 204.0), (client.CongestionWindowSegments!.Value, client.MaxSegmentSizeBytes!.Value, client.RetransmitTimeoutMilliseconds!.Value));
            Assert.Null(client.SlowStartThresholdSegments); // ss prints no ssthresh: never left slow start
            Assert.Equal(70656u, client.PeerReceiveWindowBytes);
            Assert.Equal(TcpTimer.KeepAlive, client.Timer);
            Assert.InRange(client.TimerRemainingMilliseconds!.Value, 590_000u, 600_000u); // TCP_KEEPIDLE 600 s; ss: 9min59sec
            Assert.Equal((0u, 131072u, 0u, 2626560u, 0u, 0u, 0u, 0u, 0u), (client.ReceiveMemoryBytes!.Value, client.ReceiveBufferBytes!.Value,
                client.SendMemoryBytes!.Value, client.SendBufferBytes!.Value, client.ForwardAllocBytes!.Value, client.SendQueuedBytes!.Value,
                client.OptionMemoryBytes!.Value, client.BacklogBytes!.Value, client.Drops!.Value));

            TcpDetail server = sockets.Single(s => s.LocalPort == 18090 && s.State == TcpState.Established).Detail!;
            Assert.Equal((500ul, 500ul, 1000ul), (server.BytesSent!.Value, server.BytesAcked!.Value, server.BytesReceived!.Value));
            Assert.Equal(TcpTimer.None, server.Timer);

            Assert.Equal("bbr", sockets.Single(s => s.LocalPort == 18091 && s.State == TcpState.Listen).Detail!.CongestionControl);
            TcpDetail timeWait = sockets.Single(s => s.State == TcpState.TimeWait).Detail!;
            Assert.Equal(TcpTimer.TimeWait, timeWait.Timer);
            Assert.InRange(timeWait.TimerRemainingMilliseconds!.Value, 55_000u, 60_000u);
            Assert.Null(timeWait.CongestionControl);
        }

        [Theory]
        [InlineData(0u, "0ms")]
        [InlineData(204u, "204ms")]
        [InlineData(7_250u, "7.2s")]
        [InlineData(59_999u, "59s")]
        [InlineData(125_000u, "2m05s")]
        [InlineData(7_199_000u, "119m")]
        public void DurationsAreShortLikeSs(uint milliseconds, string expected) => Assert.Equal(expected, TcpDetail.Duration(milliseconds));
    }
}
