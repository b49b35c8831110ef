using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;

namespace PortTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the traffic counters of each network interface (netstat -e, netstat -i, ip -s link); with -Interval, their change and rate.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "InterfaceStatistic")]
    [OutputType(typeof(InterfaceStatistic))]
    public sealed class GetInterfaceStatisticCommand : PSCmdlet
    {
        internal const string InterfaceNotFoundErrorId = "InterfaceNotFound";
        internal const string StatisticsReadFailedErrorId = "StatisticsReadFailed";

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>Interface names; wildcards allowed. All interfaces by default.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [Alias("InterfaceAlias")]
        public string[]? Name { get; set; }

        /// <summary>Seconds between two readings: adds each counter's change (Delta) and rate (PerSecond, *PerSecond).</summary>
        [Parameter]
        [ValidateRange(0.01, 86400.0)]
        public double Interval { get; set; }

        protected override void EndProcessing()
        {
            var diagnostics = new ListingDiagnostics(WriteVerbose, WriteWarning);
            WildcardPattern[] patterns = (Name ?? Array.Empty<string>())
                .Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
            bool Wanted(InterfaceStatistic s) => patterns.Length == 0 || patterns.Any(p => p.IsMatch(s.Name));
            IReadOnlyList<InterfaceStatistic> Read() => Backends.InterfaceStatistics.GetStatistics(diagnostics).Where(Wanted).ToList();
            IReadOnlyList<InterfaceStatistic> found;
            try
            {
                if (MyInvocation.BoundParameters.ContainsKey(nameof(Interval)))
                {
                    var (earlier, later, seconds) = CounterSampling.TwoReadings(Read, Interval, _stop.Token);
                    found = later.Select(now => now.WithChangeSince(earlier.FirstOrDefault(e => e.Name == now.Name), seconds)).ToList();
                }
                else
                {
                    found = Read();
                }
            }
            catch (OperationCanceledException)
            {
                return; // Ctrl+C during the interval.
            }
            catch (Exception e) when (BackendFailure.ToErrorRecord(e, StatisticsReadFailedErrorId, "The interface counters") is ErrorRecord error)
            {
                ThrowTerminatingError(error);
                return;
            }
            WriteObject(found, enumerateCollection: true);
            foreach (string name in Name ?? Array.Empty<string>())
            {
                if (WildcardPattern.ContainsWildcardCharacters(name) || found.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))) continue;
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"There is no network interface named '{name}'. Get-InterfaceStatistic without -Name lists them."),
                    InterfaceNotFoundErrorId, ErrorCategory.ObjectNotFound, name));
            }
        }

        protected override void StopProcessing() => _stop.Cancel();
    }
}
