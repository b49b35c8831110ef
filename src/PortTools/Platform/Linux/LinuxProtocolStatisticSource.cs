using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Every counter of /proc/net/snmp, /proc/net/netstat and /proc/net/snmp6, grouped by protocol and family,
    /// with the nstat names. A file the kernel lacks (no IPv6, no MPTCP) only leaves its groups out.
    /// </summary>
    internal sealed class LinuxProtocolStatisticSource : IProtocolStatisticSource
    {
        private readonly ProcFs _proc;

        internal LinuxProtocolStatisticSource(ProcFs proc) => _proc = proc;

        public IReadOnlyList<ProtocolStatistic> GetStatistics(ListingDiagnostics diagnostics)
        {
            var counters = new List<(string Group, string Name, long Value)>();
            foreach (string file in new[] { "snmp", "netstat", "snmp6" })
            {
                string path = _proc.NetFile(file);
                using TextReader? text = _proc.OpenText(path);
                if (text == null)
                {
                    diagnostics.Verbose($"{path} is missing; its counters are left out.");
                    continue;
                }
                counters.AddRange(file == "snmp6" ? SnmpParser.ParseSnmp6(text) : SnmpParser.ParsePairs(text));
            }
            return Group(counters);
        }

        /// <summary>Sorts counters into one object per protocol and family. Pure.</summary>
        internal static IReadOnlyList<ProtocolStatistic> Group(IEnumerable<(string Group, string Name, long Value)> counters)
        {
            var groups = new Dictionary<(NetworkProtocol, IPVersion?), Dictionary<string, long>>();
            var order = new List<(NetworkProtocol, IPVersion?)>();
            foreach (var (group, name, value) in counters)
            {
                var key = Classify(group);
                if (!groups.TryGetValue(key, out Dictionary<string, long>? set))
                {
                    groups[key] = set = new Dictionary<string, long>();
                    order.Add(key);
                }
                set[name] = value;
            }
            return order.Select(key => new ProtocolStatistic(key.Item1, key.Item2, groups[key], CommonNames(key.Item1, key.Item2))).ToList();
        }

        private static (NetworkProtocol, IPVersion?) Classify(string group) => group switch
        {
            "Ip" or "IpExt" => (NetworkProtocol.Ip, IPVersion.IPv4),
            "Icmp" or "IcmpMsg" => (NetworkProtocol.Icmp, IPVersion.IPv4),
            // Linux counts TCP and MPTCP for both families together.
            "Tcp" or "TcpExt" => (NetworkProtocol.Tcp, null),
            "MPTcpExt" => (NetworkProtocol.MPTcp, null),
            "Udp" => (NetworkProtocol.Udp, IPVersion.IPv4),
            "UdpLite" => (NetworkProtocol.UdpLite, IPVersion.IPv4),
            "Ip6" => (NetworkProtocol.Ip, IPVersion.IPv6),
            "Icmp6" => (NetworkProtocol.Icmp, IPVersion.IPv6),
            "Udp6" => (NetworkProtocol.Udp, IPVersion.IPv6),
            "UdpLite6" => (NetworkProtocol.UdpLite, IPVersion.IPv6),
            _ => (NetworkProtocol.Other, null),
        };

        // Typed property -> the Linux column (include/uapi/linux/snmp.h names), before the group prefix.
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

        private static IReadOnlyDictionary<string, string> CommonNames(NetworkProtocol protocol, IPVersion? family)
        {
            bool v6 = family == IPVersion.IPv6;
            Dictionary<string, string> With(Dictionary<string, string> columns, string prefix) =>
                columns.ToDictionary(c => c.Key, c => prefix + c.Value);
            switch (protocol)
            {
                case NetworkProtocol.Ip:
                    var ip = With(IpColumns, v6 ? "Ip6" : "Ip");
                    ip["ForwardedDatagrams"] = v6 ? "Ip6OutForwDatagrams" : "IpForwDatagrams";
                    return ip;
                case NetworkProtocol.Icmp:
                    var icmp = With(IcmpColumns, v6 ? "Icmp6" : "Icmp");
                    // ICMPv6 spells the echo replies out (net/ipv6/proc.c, icmp6_list).
                    icmp["InEchoReplies"] = v6 ? "Icmp6InEchoReplies" : "IcmpInEchoReps";
                    icmp["OutEchoReplies"] = v6 ? "Icmp6OutEchoReplies" : "IcmpOutEchoReps";
                    return icmp;
                case NetworkProtocol.Tcp:
                    return With(TcpColumns, "Tcp");
                case NetworkProtocol.Udp:
                    return With(UdpColumns, v6 ? "Udp6" : "Udp");
                case NetworkProtocol.UdpLite:
                    return With(UdpColumns, v6 ? "UdpLite6" : "UdpLite");
                default:
                    return new Dictionary<string, string>();
            }
        }
    }
}
