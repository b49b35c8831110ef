using System.Collections.Generic;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// Decodes the MIB_*STATS structures of GetIpStatisticsEx, GetIcmpStatisticsEx, GetTcpStatisticsEx(2) and
    /// GetUdpStatisticsEx(2) (ipmib.h, tcpmib.h, udpmib.h; docs/dev/platform-layouts.md, "Statistics") into counters named as
    /// nstat names them (<see cref="CounterNames"/>). Pure: bytes in, statistics out.
    /// </summary>
    internal static class StatisticsDecoder
    {
        internal const int IpStatsLength = 92, IcmpExLength = 2064, TcpStatsLength = 60, TcpStats2Length = 72, UdpStatsLength = 20, UdpStats2Length = 32;

        // MIB_IPSTATS: 23 DWORDs in this order; the MIB names that Linux shares are spelled as Linux spells them.
        private static readonly string[] IpFields =
        {
            "Forwarding", "DefaultTTL", "InReceives", "InHdrErrors", "InAddrErrors", "ForwDatagrams", "InUnknownProtos",
            "InDiscards", "InDelivers", "OutRequests", "RoutingDiscards", "OutDiscards", "OutNoRoutes", "ReasmTimeout",
            "ReasmReqds", "ReasmOKs", "ReasmFails", "FragOKs", "FragFails", "FragCreates", "NumIf", "NumAddr", "NumRoutes",
        };

        // MIB_TCPSTATS: 15 DWORDs. MIB_TCPSTATS2 keeps the first nine, pads to 8, and widens InSegs and OutSegs to 64 bits.
        private static readonly string[] TcpFields =
        {
            "RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets",
            "CurrEstab", "InSegs", "OutSegs", "RetransSegs", "InErrs", "OutRsts", "NumConns",
        };

        internal static ProtocolStatistic Ip(byte[] stats, IPVersion family)
        {
            Require(stats, IpStatsLength, "MIB_IPSTATS");
            var counters = new Dictionary<string, long>();
            string prefix = CounterNames.Prefix(NetworkProtocol.Ip, family);
            for (int i = 0; i < IpFields.Length; i++)
            {
                // IPv6 forwarding is Ip6OutForwDatagrams in nstat's names (net/ipv6/proc.c).
                string name = family == IPVersion.IPv6 && IpFields[i] == "ForwDatagrams" ? "OutForwDatagrams" : IpFields[i];
                counters[prefix + name] = ByteReader.UInt32LittleEndian(stats, 4 * i);
            }
            return Statistic(NetworkProtocol.Ip, family, counters);
        }

        /// <summary>
        /// MIB_ICMP_EX: icmpInStats at 0 and icmpOutStats at 1032, each { dwMsgs, dwErrors, rgdwTypeCount[256] }.
        /// Every type count is kept (InType3 ... as Linux's IcmpMsg), and the ones the MIB names get their names.
        /// </summary>
        internal static ProtocolStatistic Icmp(byte[] stats, IPVersion family)
        {
            Require(stats, IcmpExLength, "MIB_ICMP_EX");
            var counters = new Dictionary<string, long>();
            string prefix = CounterNames.Prefix(NetworkProtocol.Icmp, family);
            bool v6 = family == IPVersion.IPv6;
            // ICMP types: destination unreachable, echo request, echo reply (RFC 792; RFC 4443 for ICMPv6).
            int unreachable = v6 ? 1 : 3, echo = v6 ? 128 : 8, echoReply = v6 ? 129 : 0;
            string replies = v6 ? "EchoReplies" : "EchoReps";
            foreach (var (direction, offset) in new[] { ("In", 0), ("Out", 1032) })
            {
                counters[prefix + direction + "Msgs"] = ByteReader.UInt32LittleEndian(stats, offset);
                counters[prefix + direction + "Errors"] = ByteReader.UInt32LittleEndian(stats, offset + 4);
                long Type(int type) => ByteReader.UInt32LittleEndian(stats, offset + 8 + 4 * type);
                counters[prefix + direction + "DestUnreachs"] = Type(unreachable);
                counters[prefix + direction + "Echos"] = Type(echo);
                counters[prefix + direction + replies] = Type(echoReply);
                for (int type = 0; type < 256; type++)
                {
                    if (Type(type) != 0) counters[prefix + direction + "Type" + type] = Type(type);
                }
            }
            return Statistic(NetworkProtocol.Icmp, family, counters);
        }

        /// <summary>MIB_TCPSTATS2 (72 bytes, Windows 10 1709 and later) or MIB_TCPSTATS (60 bytes).</summary>
        internal static ProtocolStatistic Tcp(byte[] stats, IPVersion family)
        {
            var counters = new Dictionary<string, long>();
            string prefix = CounterNames.Prefix(NetworkProtocol.Tcp, family);
            if (stats.Length == TcpStats2Length)
            {
                for (int i = 0; i < 9; i++) counters[prefix + TcpFields[i]] = Dword(TcpFields[i], stats, 4 * i);
                counters[prefix + "InSegs"] = (long)ByteReader.UInt64LittleEndian(stats, 40);
                counters[prefix + "OutSegs"] = (long)ByteReader.UInt64LittleEndian(stats, 48);
                for (int i = 11; i < TcpFields.Length; i++) counters[prefix + TcpFields[i]] = ByteReader.UInt32LittleEndian(stats, 56 + 4 * (i - 11));
            }
            else
            {
                Require(stats, TcpStatsLength, "MIB_TCPSTATS");
                for (int i = 0; i < TcpFields.Length; i++) counters[prefix + TcpFields[i]] = Dword(TcpFields[i], stats, 4 * i);
            }
            return Statistic(NetworkProtocol.Tcp, family, counters);
        }

        /// <summary>MIB_UDPSTATS2 (32 bytes: 64-bit datagram counts) or MIB_UDPSTATS (20 bytes).</summary>
        internal static ProtocolStatistic Udp(byte[] stats, IPVersion family)
        {
            var counters = new Dictionary<string, long>();
            string prefix = CounterNames.Prefix(NetworkProtocol.Udp, family);
            if (stats.Length == UdpStats2Length)
            {
                counters[prefix + "InDatagrams"] = (long)ByteReader.UInt64LittleEndian(stats, 0);
                counters[prefix + "NoPorts"] = ByteReader.UInt32LittleEndian(stats, 8);
                counters[prefix + "InErrors"] = ByteReader.UInt32LittleEndian(stats, 12);
                counters[prefix + "OutDatagrams"] = (long)ByteReader.UInt64LittleEndian(stats, 16);
                counters[prefix + "NumAddrs"] = ByteReader.UInt32LittleEndian(stats, 24);
            }
            else
            {
                Require(stats, UdpStatsLength, "MIB_UDPSTATS");
                string[] fields = { "InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "NumAddrs" };
                for (int i = 0; i < fields.Length; i++) counters[prefix + fields[i]] = ByteReader.UInt32LittleEndian(stats, 4 * i);
            }
            return Statistic(NetworkProtocol.Udp, family, counters);
        }

        // dwMaxConn is -1 when the limit is dynamic, as Linux's Tcp MaxConn.
        private static long Dword(string field, byte[] stats, int offset) =>
            field == "MaxConn" ? ByteReader.Int32LittleEndian(stats, offset) : ByteReader.UInt32LittleEndian(stats, offset);

        private static void Require(byte[] stats, int length, string structure)
        {
            if (stats.Length != length)
                throw new FormatException($"{structure} is {length} bytes, but {stats.Length} were returned.");
        }

        private static ProtocolStatistic Statistic(NetworkProtocol protocol, IPVersion family, Dictionary<string, long> counters) =>
            new ProtocolStatistic(protocol, family, counters, CounterNames.Common(protocol, family));
    }
}
