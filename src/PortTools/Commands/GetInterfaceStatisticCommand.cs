using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the traffic counters of each network interface (netstat -e, netstat -i, ip -s link); with -Interval, their change and rate.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "InterfaceStatistic")]
    [OutputType(typeof(InterfaceStatistic))]
    public sealed class GetInterfaceStatisticCommand : PortToolsCmdlet
    {
        internal const string InterfaceNotFoundErrorId = "InterfaceNotFound";
        internal const string StatisticsReadFailedErrorId = "StatisticsReadFailed";

        /// <summary>Interface names; wildcards allowed. All interfaces by default.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [Alias("InterfaceAlias")]
        [ArgumentCompleter(typeof(InterfaceNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Seconds between two readings: adds each counter's change (Delta) and rate (PerSecond, *PerSecond).</summary>
        [Parameter]
        [ValidateRange(0.01, 86400.0)]
        public double Interval { get; set; }

        protected override void EndProcessing()
        {
            ListingDiagnostics diagnostics = NewDiagnostics();
            Func<string, bool>? wanted = WildcardMatcher(Name, nameof(Name));
            IReadOnlyList<InterfaceStatistic> Read() =>
                Backends.InterfaceStatistics.GetStatistics(diagnostics).Where(s => wanted == null || wanted(s.Name)).ToList();
            IReadOnlyList<InterfaceStatistic> found = Array.Empty<InterfaceStatistic>();
            bool completed = RunBackend(() =>
                {
                    if (!MyInvocation.BoundParameters.ContainsKey(nameof(Interval)))
                    {
                        found = Read();
                        return;
                    }
                    var (earlier, later, seconds) = CounterSampling.TwoReadings(Read, Interval, StopToken);
                    found = later.Select(now => now.WithChangeSince(earlier.FirstOrDefault(e => e.Name == now.Name), seconds)).ToList();
                },
                StatisticsReadFailedErrorId, "The interface counters");
            if (!completed) return; // Ctrl+C during the interval
            WriteObject(found, enumerateCollection: true);
            ReportUnmatchedNames(Name, found.Select(s => s.Name).ToList(),
                name => $"There is no network interface named {name}. Get-InterfaceStatistic without -Name lists them.", InterfaceNotFoundErrorId);
        }
    }
}
