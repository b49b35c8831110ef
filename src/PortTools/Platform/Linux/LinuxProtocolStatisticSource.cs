using System.Collections.Generic;
using System.IO;
using System.Linq;
using PortTools.Models;
using PortTools.Platform;

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
                counters.AddRange(file == "snmp6" ? SnmpParser.ParseSnmp6(text, path, diagnostics) : SnmpParser.ParsePairs(text, path, diagnostics));
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
            return order.Select(key => new ProtocolStatistic(key.Item1, key.Item2, groups[key], CounterNames.Common(key.Item1, key.Item2))).ToList();
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
    }
}
