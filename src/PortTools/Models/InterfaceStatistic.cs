using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Net.NetworkInformation;

namespace PortTools.Models
{
    /// <summary>
    /// The traffic counters of one network interface (netstat -e, netstat -i, ip -s link). The netstat -e
    /// counters are typed, 64-bit, and named as Get-NetAdapterStatistics names them; empty where the OS does
    /// not count that (Linux has no sent unicast/non-unicast split). <see cref="Counters"/> keeps every raw counter.
    /// </summary>
    public sealed class InterfaceStatistic
    {
        internal InterfaceStatistic(string name, IDictionary<string, ulong> counters)
        {
            Name = name;
            Counters = new ReadOnlyDictionary<string, ulong>(counters);
        }

        /// <summary>Interface name (eth0, lo).</summary>
        public string Name { get; }

        /// <summary>Interface index; 0 when unknown.</summary>
        public int InterfaceIndex { get; internal init; }

        /// <summary>Operational state (RFC 2863 ifOperStatus).</summary>
        public OperationalStatus State { get; internal init; } = OperationalStatus.Unknown;

        /// <summary>Largest packet the interface sends, in bytes; empty when unknown.</summary>
        public int? Mtu { get; internal init; }

        public ulong? ReceivedBytes { get; internal init; }
        public ulong? ReceivedPackets { get; internal init; }
        public ulong? ReceivedUnicastPackets { get; internal init; }
        public ulong? ReceivedNonUnicastPackets { get; internal init; }
        public ulong? ReceivedDiscardedPackets { get; internal init; }
        public ulong? ReceivedPacketErrors { get; internal init; }

        /// <summary>Packets dropped because no protocol handles them (Linux rx_nohandler).</summary>
        public ulong? ReceivedUnknownProtocols { get; internal init; }

        public ulong? SentBytes { get; internal init; }
        public ulong? SentPackets { get; internal init; }
        public ulong? SentUnicastPackets { get; internal init; }
        public ulong? SentNonUnicastPackets { get; internal init; }
        public ulong? SentDiscardedPackets { get; internal init; }
        public ulong? SentPacketErrors { get; internal init; }

        /// <summary>Every counter the OS exposes for the interface, by raw name.</summary>
        public ReadOnlyDictionary<string, ulong> Counters { get; }

        /// <summary>With -Interval: the seconds between the two readings.</summary>
        public double? IntervalSeconds => _change?.Seconds;

        /// <summary>With -Interval: how much each raw counter changed, signed (see CounterChange): one that restarted falls.</summary>
        public ReadOnlyDictionary<string, long>? Delta => _change?.Delta;

        /// <summary>With -Interval: each change divided by the interval.</summary>
        public ReadOnlyDictionary<string, double>? PerSecond => _change?.PerSecond;

        /// <summary>With -Interval: received bytes per second.</summary>
        public double? ReceivedBytesPerSecond => Rate(ReceivedBytes, _earlier?.ReceivedBytes);

        /// <summary>With -Interval: sent bytes per second.</summary>
        public double? SentBytesPerSecond => Rate(SentBytes, _earlier?.SentBytes);

        /// <summary>With -Interval: received packets per second.</summary>
        public double? ReceivedPacketsPerSecond => Rate(ReceivedPackets, _earlier?.ReceivedPackets);

        /// <summary>With -Interval: sent packets per second.</summary>
        public double? SentPacketsPerSecond => Rate(SentPackets, _earlier?.SentPackets);

        // Set once, on the copy WithChangeSince makes, before anyone sees it.
        private CounterChange? _change;
        private InterfaceStatistic? _earlier;

        // By the rule of Delta: signed, so that a rate and the change of its counter always agree.
        private double? Rate(ulong? now, ulong? before) =>
            _change != null && now is ulong a && before is ulong b ? CounterChange.Difference(a, b) / _change.Seconds : (double?)null;

        /// <summary>
        /// This reading with its change since <paramref name="earlier"/> (the same interface), <paramref name="seconds"/>
        /// before: a new object, by the rule <see cref="CounterChange"/> sets for both statistics.
        /// </summary>
        internal InterfaceStatistic WithChangeSince(InterfaceStatistic? earlier, double seconds)
        {
            var copy = (InterfaceStatistic)MemberwiseClone();
            copy._change = CounterChange.Between(Counters, earlier?.Counters, seconds);
            copy._earlier = earlier;
            return copy;
        }

        public override string ToString() => Name;
    }
}
