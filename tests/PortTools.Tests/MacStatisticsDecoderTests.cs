using System.IO;
using System.Linq;
using PortTools.Models;
using PortTools.Platform.MacOS;
using Xunit;
using B = PortTools.Tests.MacStatisticsBuilder;

namespace PortTools.Tests
{
    /// <summary>
    /// The BSD statistics structs on buffers laid out by <see cref="MacStatisticsBuilder"/> at the offsets of
    /// docs/dev/platform-layouts.md (macOS "Statistics"), and the hand-written udpstat golden record.
    /// </summary>
    public class MacStatisticsDecoderTests
    {
        private static ProtocolStatistic Decode(StatStruct stat, B built) => stat.Decode(built.Bytes, built.Bytes.Length);

        [Theory]
        // size, tcps_bg_rcvtotal, tcps_ecn_lost_synack, tcps_mptcp_handover_cell_bytes (u64), tcps_fin_timeout_drops (the last field)
        [InlineData(B.Tcpstat8019, 356, 632, 888, 956)]
        [InlineData(B.Tcpstat8792, 356, 648, 904, 972)]
        [InlineData(B.Tcpstat11215, 368, 660, 920, 988)]
        public void EachTcpstatReleaseIsReadWhole(int size, int bgRcvTotal, int ecnLostSynAck, int handoverCellBytes, int finTimeoutDrops)
        {
            var built = new B(size).U32(bgRcvTotal, 41).U32(ecnLostSynAck, 42).U64(handoverCellBytes, 6_000_000_000).U32(finTimeoutDrops, 43);
            ProtocolStatistic tcp = Decode(MacStatistics.Tcp, built);
            Assert.Equal(41, tcp.Counters["tcps_bg_rcvtotal"]);
            Assert.Equal(42, tcp.Counters["tcps_ecn_lost_synack"]);
            Assert.Equal(6_000_000_000, tcp.Counters["tcps_mptcp_handover_cell_bytes"]);
            Assert.Equal(43, tcp.Counters["tcps_fin_timeout_drops"]);
            Assert.Equal(size, MacStatistics.Tcp.ReadLength(size));
            Assert.Equal(size >= B.Tcpstat8792, tcp.Counters.ContainsKey("tcps_ecn_ace_recv_ce"));
            Assert.Equal(size >= B.Tcpstat11215, tcp.Counters.ContainsKey("tcps_rack_rexmits"));
        }

        [Fact]
        public void RackCountersSitAfterSackSbOverflow()
        {
            ProtocolStatistic tcp = Decode(MacStatistics.Tcp, new B(B.Tcpstat11215).U32(352, 7).U32(364, 8));
            Assert.Equal(7, tcp.Counters["tcps_sack_sboverflow"]);
            Assert.Equal(8, tcp.Counters["tcps_rack_rexmits"]);
        }

        [Fact]
        public void TcpMibCountersAsOnTheOtherSystems()
        {
            var built = new B(B.Tcpstat11215).U32(0, 11).U32(4, 12).U32(12, 13).U32(16, 14) // connattempt, accepts, drops, conndrops
                .U32(60, 1000).U32(72, 30)                                                  // sndtotal, sndrexmitpack
                .U32(100, 2000).U32(112, 1).U32(116, 2).U32(124, 4);                        // rcvtotal, rcvbadsum, rcvbadoff, rcvshort
            ProtocolStatistic tcp = Decode(MacStatistics.Tcp, built);
            Assert.Equal(NetworkProtocol.Tcp, tcp.Protocol);
            Assert.Null(tcp.AddressFamily); // one tcpstat for IPv4 and IPv6
            Assert.Equal(11, tcp.ActiveOpens);
            Assert.Equal(12, tcp.PassiveOpens);
            Assert.Equal(13, tcp.EstablishedResets);
            Assert.Equal(14, tcp.AttemptFails);
            Assert.Equal(970, tcp.OutSegments); // without the retransmitted ones (RFC 4022)
            Assert.Equal(30, tcp.SegmentsRetransmitted);
            Assert.Equal(2000, tcp.InSegments);
            Assert.Equal(7, tcp.InErrors);
            Assert.Null(tcp.CurrentEstablished);
            Assert.Null(tcp.OutResets);
            Assert.Equal(11, tcp.Counters["tcps_connattempt"]);
            Assert.Equal(11, tcp.Counters["TcpActiveOpens"]);
        }

        [Fact]
        public void OutSegmentsWrapsAsAThirtyTwoBitCounter()
        {
            // tcps_sndtotal wrapped past 2^32 while tcps_sndrexmitpack did not.
            ProtocolStatistic tcp = Decode(MacStatistics.Tcp, new B(B.Tcpstat8019).U32(60, 5).U32(72, 10));
            Assert.Equal(4294967291, tcp.OutSegments);
        }

        [Fact]
        public void UnknownTcpstatSizeIsReadUpToItsFirstInsertedField()
        {
            // Not a release's size: fields after tcps_sack_sboverflow moved in past releases, so they are not trusted.
            ProtocolStatistic tcp = Decode(MacStatistics.Tcp, B.Numbered(1000));
            Assert.Equal(89, tcp.Counters["tcps_sack_sboverflow"]); // word 88
            Assert.False(tcp.Counters.ContainsKey("tcps_bg_rcvtotal"));
            Assert.Equal(1, tcp.ActiveOpens);
            Assert.Equal(356, MacStatistics.Tcp.ReadLength(1000));
        }

        [Theory]
        [InlineData("net.inet.tcp.stats", B.Tcpstat8019)]
        [InlineData("net.inet.udp.stats", B.Udpstat)]
        [InlineData("net.inet.ip.stats", B.Ipstat8019)]
        [InlineData("net.inet.icmp.stats", B.Icmpstat)]
        [InlineData("net.inet6.ip6.stats", B.Ip6stat)]
        [InlineData("net.inet6.icmp6.stats", B.Icmp6stat)]
        public void ShorterThanMacOS12IsInvalid(string sysctl, int minimum)
        {
            StatStruct stat = MacStatistics.All.Single(s => s.Sysctl == sysctl);
            Assert.Equal(minimum, stat.MinimumLength);
            var e = Assert.Throws<InvalidDataException>(() => stat.Decode(new byte[minimum], minimum - 1));
            Assert.Contains(sysctl, e.Message);
            Assert.Throws<InvalidDataException>(() => stat.Decode(new byte[0], 0));
            stat.Decode(new byte[minimum], minimum); // the documented minimum itself is accepted
        }

        [Fact]
        public void AppendedFieldsAreReadWhenPresentAndLongerStructsByTheirKnownPart()
        {
            ProtocolStatistic old = Decode(MacStatistics.Ip, B.Numbered(B.Ipstat8019));
            Assert.Equal(46, old.Counters["ips_rcv_if_no_match"]); // offset 180, the last field of xnu-8019
            Assert.False(old.Counters.ContainsKey("ips_src_addr_not_avail"));
            ProtocolStatistic current = Decode(MacStatistics.Ip, B.Numbered(B.Ipstat11215));
            Assert.Equal(49, current.Counters["ips_src_addr_not_avail"]); // offset 192
            ProtocolStatistic newer = Decode(MacStatistics.Ip, B.Numbered(B.Ipstat11215 + 16));
            Assert.Equal(current.Counters, newer.Counters);
            Assert.Equal(B.Ipstat11215, MacStatistics.Ip.ReadLength(B.Ipstat11215 + 16));
            // Between two releases: the fields that fit whole.
            Assert.Equal(47, Decode(MacStatistics.Ip, B.Numbered(190)).Counters["ips_input_ipf_drop"]);
        }

        [Fact]
        public void ZeroCountersStayZeroAndEmptyBucketsAreLeftOut()
        {
            ProtocolStatistic tcp = Decode(MacStatistics.Tcp, new B(B.Tcpstat11215));
            Assert.All(tcp.Counters.Values, v => Assert.Equal(0, v));
            Assert.Equal(0, tcp.InSegments);
            Assert.Equal(0, tcp.OutSegments);
            ProtocolStatistic icmp = Decode(MacStatistics.Icmp, new B(B.Icmpstat));
            Assert.DoesNotContain(icmp.Counters.Keys, k => k.Contains('['));
            Assert.Equal(0, icmp.Counters["icps_error"]);
            Assert.Equal(0, icmp.InMessages);
            Assert.Equal(0, icmp.InEchos);
        }

        [Fact]
        public void IpMibCounters()
        {
            var built = new B(B.Ipstat11215).U32(0, 500)                             // ips_total
                .U32(4, 1).U32(8, 2).U32(12, 4).U32(16, 8).U32(20, 16).U32(84, 32).U32(92, 64) // the header errors
                .U32(24, 9).U32(28, 3).U32(32, 2).U32(68, 4)                          // fragments, fragdropped, fragtimeout, reassembled
                .U32(36, 21).U32(44, 22).U32(52, 23).U32(56, 24).U32(60, 25).U32(64, 26) // forward, cantforward, noproto, delivered, localout, odropped
                .U32(72, 27).U32(76, 28).U32(80, 29).U32(88, 30);                     // fragmented, ofragments, cantfrag, noroute
            ProtocolStatistic ip = Decode(MacStatistics.Ip, built);
            Assert.Equal(IPVersion.IPv4, ip.AddressFamily);
            Assert.Equal(500, ip.InReceives);
            Assert.Equal(127, ip.InHeaderErrors);
            Assert.Equal(9, ip.ReassemblyRequired);
            Assert.Equal(5, ip.ReassemblyFailed);
            Assert.Equal(4, ip.ReassemblyOk);
            Assert.Equal(21, ip.ForwardedDatagrams);
            Assert.Equal(22, ip.InAddressErrors);
            Assert.Equal(23, ip.InUnknownProtocols);
            Assert.Equal(24, ip.InDelivers);
            Assert.Equal(25, ip.OutRequests);
            Assert.Equal(26, ip.OutDiscards);
            Assert.Equal(27, ip.FragmentsOk);
            Assert.Equal(28, ip.FragmentsCreated);
            Assert.Equal(29, ip.FragmentsFailed);
            Assert.Equal(30, ip.OutNoRoutes);
            Assert.Null(ip.InDiscards);
            Assert.Equal(500, ip.Counters["IpInReceives"]);
        }

        [Fact]
        public void Ip6CountersAreSixtyFourBitsWithArrays()
        {
            var built = new B(B.Ip6stat).U64(0, 5_000_000_000)                       // ip6s_total
                .U64(8, 1).U64(16, 2).U64(144, 4).U64(160, 8).U64(2520, 16).U64(2536, 32) // the header errors
                .U64(56, 77)                                                          // ip6s_forward
                .U64(192 + 8 * 6, 900)                                                // ip6s_nxthist[6]: TCP
                .U64(3208 + 8 * 15, 3)                                                // ip6s_sources_rule[15]
                .U64(3584, 99);                                                       // ip6s_rcv_if_no_match, the last field
            ProtocolStatistic ip6 = Decode(MacStatistics.Ip6, built);
            Assert.Equal(IPVersion.IPv6, ip6.AddressFamily);
            Assert.Equal(5_000_000_000, ip6.InReceives);
            Assert.Equal(63, ip6.InHeaderErrors);
            Assert.Equal(77, ip6.ForwardedDatagrams);
            Assert.Equal(77, ip6.Counters["Ip6OutForwDatagrams"]);
            Assert.Equal(900, ip6.Counters["ip6s_nxthist[6]"]);
            Assert.Equal(3, ip6.Counters["ip6s_sources_rule[15]"]);
            Assert.Equal(99, ip6.Counters["ip6s_rcv_if_no_match"]);
            Assert.False(ip6.Counters.ContainsKey("ip6s_nxthist[17]"));
            Assert.Null(ip6.InUnknownProtocols);
        }

        [Fact]
        public void IcmpMessagesAreTheHistogramPlusTheMalformed()
        {
            const int outhist = 12, inhist = 196;
            var built = new B(B.Icmpstat).U32(4, 2).U32(8, 3)                         // icps_oldshort, icps_oldicmp: not sent
                .U32(outhist + 4 * 0, 31).U32(outhist + 4 * 3, 6)                     // out: echo replies, unreachables
                .U32(176, 1).U32(180, 1).U32(184, 1).U32(188, 1)                      // badcode, tooshort, checksum, badlen
                .U32(inhist + 4 * 8, 30).U32(inhist + 4 * 0, 5).U32(inhist + 4 * 3, 2)   // in: echos, echo replies, unreachables
                .U32(inhist + 4 * 40, 1).U32(364, 9);                                 // in: type 40, the last bucket; icps_bmcasttstamp
            ProtocolStatistic icmp = Decode(MacStatistics.Icmp, built);
            Assert.Equal(30, icmp.InEchos);
            Assert.Equal(5, icmp.InEchoReplies);
            Assert.Equal(2, icmp.InDestinationUnreachable);
            Assert.Equal(4, icmp.InErrors);
            Assert.Equal(42, icmp.InMessages);
            Assert.Equal(31, icmp.OutEchoReplies);
            Assert.Equal(6, icmp.OutDestinationUnreachable);
            Assert.Equal(5, icmp.OutErrors);
            Assert.Equal(42, icmp.OutMessages);
            Assert.Equal(30, icmp.Counters["icps_inhist[8]"]);
            Assert.Equal(1, icmp.Counters["icps_inhist[40]"]);
            Assert.Equal(9, icmp.Counters["icps_bmcasttstamp"]);
            Assert.Equal(30, icmp.Counters["IcmpInEchos"]);
            Assert.Equal(5, icmp.Counters["IcmpInEchoReps"]);
        }

        [Fact]
        public void Icmp6UsesTheIcmp6TypesAndFlattensTheErrorHistogram()
        {
            const int outhist = 24, inhist = 2112, outerrhist = 4168;
            var built = new B(B.Icmp6stat).U64(8, 1).U64(16, 2)                      // icp6s_canterror, icp6s_toofreq
                .U64(outhist + 8 * 1, 4).U64(outhist + 8 * 129, 7)                    // out: unreachables, echo replies
                .U64(2072, 1)                                                         // icp6s_badcode
                .U64(inhist + 8 * 128, 8).U64(inhist + 8 * 129, 9).U64(inhist + 8 * 135, 50) // in: echo requests, replies, neighbour solicitations
                .U64(outerrhist + 8 * 4, 12)                                          // icp6s_odst_unreach_noport
                .U64(4336, 13);                                                       // icp6s_badpkttoobig
            ProtocolStatistic icmp6 = Decode(MacStatistics.Icmp6, built);
            Assert.Equal(IPVersion.IPv6, icmp6.AddressFamily);
            Assert.Equal(8, icmp6.InEchos);
            Assert.Equal(9, icmp6.InEchoReplies);
            Assert.Equal(9, icmp6.Counters["Icmp6InEchoReplies"]);
            Assert.Equal(68, icmp6.InMessages);
            Assert.Equal(1, icmp6.InErrors);
            Assert.Equal(4, icmp6.OutDestinationUnreachable);
            Assert.Equal(7, icmp6.OutEchoReplies);
            Assert.Equal(3, icmp6.OutErrors);
            Assert.Equal(14, icmp6.OutMessages);
            Assert.Equal(12, icmp6.Counters["icp6s_odst_unreach_noport"]);
            Assert.Equal(13, icmp6.Counters["icp6s_badpkttoobig"]);
            Assert.Equal(50, icmp6.Counters["icp6s_inhist[135]"]);
        }

        [Fact]
        public void UdpDeliveredIsComputedAsNetstatDoes()
        {
            var built = new B(B.Udpstat).U32(0, 100).U32(4, 1).U32(8, 2).U32(12, 3).U32(16, 4).U32(20, 5).U32(24, 6).U32(36, 50);
            ProtocolStatistic udp = Decode(MacStatistics.Udp, built);
            Assert.Null(udp.AddressFamily); // one udpstat for IPv4 and IPv6
            Assert.Equal(79, udp.InDatagrams);
            Assert.Equal(50, udp.OutDatagrams);
            Assert.Equal(4, udp.NoPorts);
            Assert.Equal(6, udp.InErrors);
            Assert.Equal(6, udp.ReceiveBufferErrors);
            Assert.Null(udp.SendBufferErrors);
        }

        [Fact]
        public void DecodesTheGoldenUdpstat()
        {
            byte[] golden = Fixtures.MacHex("udpstat-golden.hex");
            Assert.Equal(88, golden.Length);
            ProtocolStatistic udp = MacStatistics.Udp.Decode(golden, golden.Length);
            Assert.Equal(22, udp.Counters.Keys.Count(k => k.StartsWith("udp", System.StringComparison.Ordinal)));
            Assert.Equal(123456, udp.Counters["udps_ipackets"]);
            Assert.Equal(3, udp.Counters["udps_hdrops"]);
            Assert.Equal(5, udp.Counters["udps_badsum"]);
            Assert.Equal(7, udp.Counters["udps_badlen"]);
            Assert.Equal(1000, udp.Counters["udps_noport"]);
            Assert.Equal(2000, udp.Counters["udps_noportbcast"]);
            Assert.Equal(11, udp.Counters["udps_fullsock"]);
            Assert.Equal(98765, udp.Counters["udps_opackets"]);
            Assert.Equal(4096, udp.Counters["udps_snd6_swcsum_bytes"]);
            Assert.Equal(120430, udp.InDatagrams);
            Assert.Equal(15, udp.InErrors);
        }
    }
}
