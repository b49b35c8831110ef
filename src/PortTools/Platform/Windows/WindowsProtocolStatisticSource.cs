using System.Collections.Generic;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// The IP, ICMP, TCP and UDP counters per family from the IP Helper statistics calls, which need no
    /// elevation (what netstat -s prints on Windows).
    /// </summary>
    internal sealed class WindowsProtocolStatisticSource : IProtocolStatisticSource
    {
        public IReadOnlyList<ProtocolStatistic> GetStatistics(ListingDiagnostics diagnostics)
        {
            var statistics = new List<ProtocolStatistic>();
            foreach (IPVersion family in new[] { IPVersion.IPv4, IPVersion.IPv6 })
            {
                uint af = family == IPVersion.IPv4 ? IpHlpApi.AF_INET : IpHlpApi.AF_INET6;
                statistics.Add(StatisticsDecoder.Ip(IpHlpApi.IpStatistics(af), family));
                statistics.Add(StatisticsDecoder.Icmp(IpHlpApi.IcmpStatistics(af), family));
                statistics.Add(StatisticsDecoder.Tcp(IpHlpApi.TcpStatistics(af), family));
                statistics.Add(StatisticsDecoder.Udp(IpHlpApi.UdpStatistics(af), family));
            }
            return statistics;
        }
    }
}
