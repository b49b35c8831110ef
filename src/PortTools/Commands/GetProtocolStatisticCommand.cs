using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;

namespace PortTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the IP, ICMP, TCP and UDP counters (netstat -s); with -Interval, their change and rate (nstat).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ProtocolStatistic")]
    [OutputType(typeof(ProtocolStatistic))]
    public sealed class GetProtocolStatisticCommand : PSCmdlet
    {
        internal const string StatisticsReadFailedErrorId = "StatisticsReadFailed";

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>Protocols to report; all by default.</summary>
        [Parameter(Position = 0)]
        public NetworkProtocol[]? Protocol { get; set; }

        /// <summary>IPv4, IPv6, or both (the default). Counters the OS keeps for both families together are always included.</summary>
        [Parameter]
        public IPVersion[]? AddressFamily { get; set; }

        /// <summary>Seconds between two readings: adds each counter's change (Delta) and rate (PerSecond).</summary>
        [Parameter]
        [ValidateRange(0.01, 86400.0)]
        public double Interval { get; set; }

        protected override void EndProcessing()
        {
            var diagnostics = new ListingDiagnostics(WriteVerbose, WriteWarning);
            bool sampled = MyInvocation.BoundParameters.ContainsKey(nameof(Interval));
            try
            {
                IReadOnlyList<ProtocolStatistic> Read() =>
                    Backends.ProtocolStatistics.GetStatistics(diagnostics).Where(Wanted).ToList();
                if (!sampled)
                {
                    WriteObject(Read(), enumerateCollection: true);
                    return;
                }
                var (earlier, later, seconds) = CounterSampling.TwoReadings(Read, Interval, _stop.Token);
                foreach (ProtocolStatistic now in later)
                {
                    ProtocolStatistic? before = earlier.FirstOrDefault(e => e.Protocol == now.Protocol && e.AddressFamily == now.AddressFamily);
                    WriteObject(now.WithChangeSince(before, seconds));
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C during the interval.
            }
            catch (Exception e) when (BackendFailure.ToErrorRecord(e, StatisticsReadFailedErrorId, "The protocol counters") is ErrorRecord error)
            {
                ThrowTerminatingError(error);
            }
        }

        protected override void StopProcessing() => _stop.Cancel();

        private bool Wanted(ProtocolStatistic statistic) =>
            (Protocol == null || Protocol.Contains(statistic.Protocol))
            && (AddressFamily == null || statistic.AddressFamily is not IPVersion family || AddressFamily.Contains(family));
    }
}
