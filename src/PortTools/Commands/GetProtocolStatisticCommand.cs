using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the IP, ICMP, TCP and UDP counters (netstat -s); with -Interval, their change and rate (nstat).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ProtocolStatistic")]
    [OutputType(typeof(ProtocolStatistic))]
    public sealed class GetProtocolStatisticCommand : PortToolsCmdlet
    {
        internal const string StatisticsReadFailedErrorId = "StatisticsReadFailed";

        /// <summary>Protocols to report; all by default.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public NetworkProtocol[]? Protocol { get; set; }

        /// <summary>IPv4, IPv6, or both (the default). Counters the OS keeps for both families together are always included.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public IPVersion[]? AddressFamily { get; set; }

        /// <summary>Seconds between two readings: adds each counter's change (Delta) and rate (PerSecond).</summary>
        [Parameter]
        [ValidateRange(0.01, 86400.0)]
        public double Interval { get; set; }

        protected override void EndProcessing()
        {
            ListingDiagnostics diagnostics = NewDiagnostics();
            IReadOnlyList<ProtocolStatistic> Read() => Backends.ProtocolStatistics.GetStatistics(diagnostics).Where(Wanted).ToList();
            RunBackend(() =>
                {
                    if (!MyInvocation.BoundParameters.ContainsKey(nameof(Interval)))
                    {
                        WriteObject(Read(), enumerateCollection: true);
                        return;
                    }
                    var (earlier, later, seconds) = CounterSampling.TwoReadings(Read, Interval, StopToken);
                    foreach (ProtocolStatistic now in later)
                    {
                        ProtocolStatistic? before = earlier.FirstOrDefault(e => e.Protocol == now.Protocol && e.AddressFamily == now.AddressFamily);
                        WriteObject(now.WithChangeSince(before, seconds));
                    }
                },
                StatisticsReadFailedErrorId, "The protocol counters");
        }

        private bool Wanted(ProtocolStatistic statistic) =>
            (Protocol == null || Protocol.Contains(statistic.Protocol))
            && (AddressFamily == null || statistic.AddressFamily is not IPVersion family || AddressFamily.Contains(family));
    }
}
