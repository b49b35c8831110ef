using System.Linq;
using System;
using PortTools.Models;
using PortTools.Platform.Windows;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// The MIB_*STATS decoders on buffers laid out from the field lists of docs/dev/platform-layouts.md, "Statistics": each field
    /// holds a distinct value, so a field read from the wrong offset shows.
    /// </summary>
    public class WindowsStatisticsDecoderTests
    {
        private static byte[] Dwords(params uint[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

        [Fact]
        public void TcpStats2HasSixtyFourBitSegmentsAfterAPad()
        {
            byte[] stats = new byte[72];
            Dwords(4, 200, 120000, uint.MaxValue, 11, 12, 13, 14, 15).CopyTo(stats, 0); // RtoAlgorithm .. CurrEstab, MaxConn = -1
            BitConverter.GetBytes(5_000_000_000ul).CopyTo(stats, 40);                    // dw64InSegs
            BitConverter.GetBytes(6_000_000_000ul).CopyTo(stats, 48);                    // dw64OutSegs
            Dwords(17, 18, 19, 20).CopyTo(stats, 56);                                    // RetransSegs, InErrs, OutRsts, NumConns
            ProtocolStatistic tcp = StatisticsDecoder.Tcp(stats, IPVersion.IPv6);
            Assert.Equal(NetworkProtocol.Tcp, tcp.Protocol);
            Assert.Equal(IPVersion.IPv6, tcp.AddressFamily);
            Assert.Equal(11, tcp.ActiveOpens);
            Assert.Equal(12, tcp.PassiveOpens);
            Assert.Equal(14, tcp.EstablishedResets);
            Assert.Equal(15, tcp.CurrentEstablished);
            Assert.Equal(5_000_000_000, tcp.InSegments);
            Assert.Equal(6_000_000_000, tcp.OutSegments);
            Assert.Equal(17, tcp.SegmentsRetransmitted);
            Assert.Equal(18, tcp.InErrors);
            Assert.Equal(19, tcp.OutResets);
            Assert.Equal(-1, tcp.Counters["TcpMaxConn"]);
            Assert.Equal(20, tcp.Counters["TcpNumConns"]);
        }

        [Fact]
        public void TcpStatsIsFifteenDwords()
        {
            ProtocolStatistic tcp = StatisticsDecoder.Tcp(Dwords(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), IPVersion.IPv4);
            Assert.Equal(5, tcp.ActiveOpens);
            Assert.Equal(10, tcp.InSegments);
            Assert.Equal(12, tcp.SegmentsRetransmitted);
            Assert.Equal(15, tcp.Counters["TcpNumConns"]);
            Assert.Equal(15, tcp.Counters.Count);
        }

        [Fact]
        public void UdpStatsInBothLayouts()
        {
            byte[] stats2 = new byte[32];
            BitConverter.GetBytes(7_000_000_000ul).CopyTo(stats2, 0);
            Dwords(3, 4).CopyTo(stats2, 8);
            BitConverter.GetBytes(8_000_000_000ul).CopyTo(stats2, 16);
            Dwords(9).CopyTo(stats2, 24);
            ProtocolStatistic udp6 = StatisticsDecoder.Udp(stats2, IPVersion.IPv6);
            Assert.Equal(7_000_000_000, udp6.InDatagrams);
            Assert.Equal(3, udp6.NoPorts);
            Assert.Equal(4, udp6.InErrors);
            Assert.Equal(8_000_000_000, udp6.OutDatagrams);
            Assert.Equal(9, udp6.Counters["Udp6NumAddrs"]);

            ProtocolStatistic udp = StatisticsDecoder.Udp(Dwords(1, 2, 3, 4, 5), IPVersion.IPv4);
            Assert.Equal(1, udp.InDatagrams);
            Assert.Equal(4, udp.OutDatagrams);
            Assert.Equal(5, udp.Counters["UdpNumAddrs"]);
        }

        [Fact]
        public void IpStatsAreTwentyThreeDwordsInMibOrder()
        {
            ProtocolStatistic ip = StatisticsDecoder.Ip(Dwords(Enumerable.Range(1, 23).Select(i => (uint)i).ToArray()), IPVersion.IPv4);
            Assert.Equal(3, ip.InReceives);
            Assert.Equal(4, ip.InHeaderErrors);
            Assert.Equal(6, ip.ForwardedDatagrams);
            Assert.Equal(10, ip.OutRequests);
            Assert.Equal(12, ip.OutDiscards);
            Assert.Equal(16, ip.ReassemblyOk);
            Assert.Equal(20, ip.FragmentsCreated);
            Assert.Equal(23, ip.Counters["IpNumRoutes"]);
            ProtocolStatistic ip6 = StatisticsDecoder.Ip(Dwords(Enumerable.Range(1, 23).Select(i => (uint)i).ToArray()), IPVersion.IPv6);
            Assert.Equal(6, ip6.ForwardedDatagrams);
            Assert.Equal(3, ip6.Counters["Ip6InReceives"]);
        }

        [Fact]
        public void IcmpNamesTheTypesTheMibNames()
        {
            byte[] stats = new byte[2064];
            Dwords(100, 1).CopyTo(stats, 0);          // in: dwMsgs, dwErrors
            Dwords(30).CopyTo(stats, 8 + 4 * 8);      // in: echo requests (type 8)
            Dwords(5).CopyTo(stats, 8 + 4 * 3);       // in: destination unreachable (type 3)
            Dwords(200, 2).CopyTo(stats, 1032);       // out
            Dwords(31).CopyTo(stats, 1032 + 8 + 0);   // out: echo replies (type 0)
            ProtocolStatistic icmp = StatisticsDecoder.Icmp(stats, IPVersion.IPv4);
            Assert.Equal(100, icmp.InMessages);
            Assert.Equal(1, icmp.InErrors);
            Assert.Equal(30, icmp.InEchos);
            Assert.Equal(5, icmp.InDestinationUnreachable);
            Assert.Equal(200, icmp.OutMessages);
            Assert.Equal(2, icmp.OutErrors);
            Assert.Equal(31, icmp.OutEchoReplies);
            Assert.Equal(30, icmp.Counters["IcmpInType8"]);
            Assert.False(icmp.Counters.ContainsKey("IcmpInType9"));

            byte[] stats6 = new byte[2064];
            Dwords(7).CopyTo(stats6, 8 + 4 * 128);    // ICMPv6 echo request
            Dwords(2).CopyTo(stats6, 8 + 4 * 1);      // ICMPv6 destination unreachable
            ProtocolStatistic icmp6 = StatisticsDecoder.Icmp(stats6, IPVersion.IPv6);
            Assert.Equal(7, icmp6.InEchos);
            Assert.Equal(2, icmp6.InDestinationUnreachable);
            Assert.Equal(7, icmp6.Counters["Icmp6InType128"]);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(59)]
        [InlineData(64)]
        public void AStructureOfTheWrongSizeIsAFormatError(int length)
        {
            Assert.Throws<FormatException>(() => StatisticsDecoder.Tcp(new byte[length], IPVersion.IPv4));
            Assert.Throws<FormatException>(() => StatisticsDecoder.Ip(new byte[length], IPVersion.IPv4));
        }
    }
}
