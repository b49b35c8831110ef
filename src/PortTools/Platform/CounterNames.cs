using System.Collections.Generic;
using System.Linq;
using PortTools.Models;

namespace PortTools.Platform
{
    /// <summary>
    /// Which raw counter stands behind each typed property of <see cref="ProtocolStatistic"/>. Counters carry
    /// the names nstat prints (the SNMP MIB names of include/uapi/linux/snmp.h, which Windows' MIB_*STATS
    /// fields share), prefixed by their group: IpInReceives, Ip6InReceives, TcpActiveOpens, Udp6NoPorts.
    /// Every backend names its counters so, and the typed properties mean the same on every OS.
    /// </summary>
    internal static class CounterNames
    {
        private static readonly Dictionary<string, string> IpColumns = new Dictionary<string, string>
        {
            ["InReceives"] = "InReceives", ["InHeaderErrors"] = "InHdrErrors", ["InAddressErrors"] = "InAddrErrors",
            ["InUnknownProtocols"] = "InUnknownProtos", ["InDiscards"] = "InDiscards", ["InDelivers"] = "InDelivers",
            ["OutRequests"] = "OutRequests", ["OutDiscards"] = "OutDiscards", ["OutNoRoutes"] = "OutNoRoutes",
            ["ReassemblyRequired"] = "ReasmReqds", ["ReassemblyOk"] = "ReasmOKs", ["ReassemblyFailed"] = "ReasmFails",
            ["FragmentsOk"] = "FragOKs", ["FragmentsFailed"] = "FragFails", ["FragmentsCreated"] = "FragCreates",
        };

        private static readonly Dictionary<string, string> IcmpColumns = new Dictionary<string, string>
        {
            ["InMessages"] = "InMsgs", ["InErrors"] = "InErrors", ["OutMessages"] = "OutMsgs", ["OutErrors"] = "OutErrors",
            ["InDestinationUnreachable"] = "InDestUnreachs", ["OutDestinationUnreachable"] = "OutDestUnreachs",
            ["InEchos"] = "InEchos", ["OutEchos"] = "OutEchos",
        };

        private static readonly Dictionary<string, string> TcpColumns = new Dictionary<string, string>
        {
            ["ActiveOpens"] = "ActiveOpens", ["PassiveOpens"] = "PassiveOpens", ["AttemptFails"] = "AttemptFails",
            ["EstablishedResets"] = "EstabResets", ["CurrentEstablished"] = "CurrEstab", ["InSegments"] = "InSegs",
            ["OutSegments"] = "OutSegs", ["SegmentsRetransmitted"] = "RetransSegs", ["InErrors"] = "InErrs", ["OutResets"] = "OutRsts",
        };

        private static readonly Dictionary<string, string> UdpColumns = new Dictionary<string, string>
        {
            ["InDatagrams"] = "InDatagrams", ["OutDatagrams"] = "OutDatagrams", ["NoPorts"] = "NoPorts", ["InErrors"] = "InErrors",
            ["ReceiveBufferErrors"] = "RcvbufErrors", ["SendBufferErrors"] = "SndbufErrors",
        };

        /// <summary>The group prefix of a protocol's counters: Ip, Ip6, Icmp, Icmp6, Tcp, Udp, Udp6, UdpLite, UdpLite6.</summary>
        internal static string Prefix(NetworkProtocol protocol, IPVersion? family)
        {
            string six = family == IPVersion.IPv6 ? "6" : "";
            return protocol switch
            {
                NetworkProtocol.Ip => "Ip" + six,
                NetworkProtocol.Icmp => "Icmp" + six,
                NetworkProtocol.Tcp => "Tcp", // as nstat: TCP keeps one set of counters for both families
                NetworkProtocol.Udp => "Udp" + six,
                NetworkProtocol.UdpLite => "UdpLite" + six,
                _ => "",
            };
        }

        /// <summary>Typed property name -> raw counter name, for one protocol and family.</summary>
        internal static IReadOnlyDictionary<string, string> Common(NetworkProtocol protocol, IPVersion? family)
        {
            bool v6 = family == IPVersion.IPv6;
            string prefix = Prefix(protocol, family);
            Dictionary<string, string> With(Dictionary<string, string> columns) => columns.ToDictionary(c => c.Key, c => prefix + c.Value);
            switch (protocol)
            {
                case NetworkProtocol.Ip:
                    var ip = With(IpColumns);
                    ip["ForwardedDatagrams"] = v6 ? "Ip6OutForwDatagrams" : "IpForwDatagrams";
                    return ip;
                case NetworkProtocol.Icmp:
                    var icmp = With(IcmpColumns);
                    // ICMPv6 spells the echo replies out (net/ipv6/proc.c, icmp6_list).
                    icmp["InEchoReplies"] = v6 ? "Icmp6InEchoReplies" : "IcmpInEchoReps";
                    icmp["OutEchoReplies"] = v6 ? "Icmp6OutEchoReplies" : "IcmpOutEchoReps";
                    return icmp;
                case NetworkProtocol.Tcp:
                    return With(TcpColumns);
                case NetworkProtocol.Udp:
                case NetworkProtocol.UdpLite:
                    return With(UdpColumns);
                default:
                    return new Dictionary<string, string>();
            }
        }
    }
}
