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
        public int InterfaceIndex { get; internal set; }

        /// <summary>Operational state (RFC 2863 ifOperStatus).</summary>
        public OperationalStatus State { get; internal set; } = OperationalStatus.Unknown;

        /// <summary>Largest packet the interface sends, in bytes; empty when unknown.</summary>
        public int? Mtu { get; internal set; }

        public ulong? ReceivedBytes { get; internal set; }
        public ulong? ReceivedPackets { get; internal set; }
        public ulong? ReceivedUnicastPackets { get; internal set; }
        public ulong? ReceivedNonUnicastPackets { get; internal set; }
        public ulong? ReceivedDiscardedPackets { get; internal set; }
        public ulong? ReceivedPacketErrors { get; internal set; }

        /// <summary>Packets dropped because no protocol handles them (Linux rx_nohandler).</summary>
        public ulong? ReceivedUnknownProtocols { get; internal set; }

        public ulong? SentBytes { get; internal set; }
        public ulong? SentPackets { get; internal set; }
        public ulong? SentUnicastPackets { get; internal set; }
        public ulong? SentNonUnicastPackets { get; internal set; }
        public ulong? SentDiscardedPackets { get; internal set; }
        public ulong? SentPacketErrors { get; internal set; }

        /// <summary>Every counter the OS exposes for the interface, by raw name.</summary>
        public ReadOnlyDictionary<string, ulong> Counters { get; }

        /// <summary>With -Interval: the seconds between the two readings.</summary>
        public double? IntervalSeconds { get; private set; }

        /// <summary>With -Interval: how much each raw counter changed.</summary>
        public ReadOnlyDictionary<string, long>? Delta { get; private set; }

        /// <summary>With -Interval: each change divided by the interval.</summary>
        public ReadOnlyDictionary<string, double>? PerSecond { get; private set; }

        /// <summary>With -Interval: received bytes per second.</summary>
        public double? ReceivedBytesPerSecond => Rate(ReceivedBytes, _earlier?.ReceivedBytes);

        /// <summary>With -Interval: sent bytes per second.</summary>
        public double? SentBytesPerSecond => Rate(SentBytes, _earlier?.SentBytes);

        /// <summary>With -Interval: received packets per second.</summary>
        public double? ReceivedPacketsPerSecond => Rate(ReceivedPackets, _earlier?.ReceivedPackets);

        /// <summary>With -Interval: sent packets per second.</summary>
        public double? SentPacketsPerSecond => Rate(SentPackets, _earlier?.SentPackets);

        private InterfaceStatistic? _earlier;

        // As in Delta: a counter that went backwards (the interface was re-created) counts as no change.
        private double? Rate(ulong? now, ulong? before) =>
            IntervalSeconds is double seconds && now is ulong a && before is ulong b ? (a >= b ? (a - b) / seconds : 0) : (double?)null;

        /// <summary>
        /// This reading with its change since <paramref name="earlier"/>, <paramref name="seconds"/> before: a copy, as
        /// ProtocolStatistic.WithChangeSince makes, so a reading never changes once written. Unlike protocol
        /// counters (where CurrEstab and other gauges may fall), every interface counter only grows: one that is new
        /// or went backwards (the interface was re-created) counts from zero.
        /// </summary>
        internal InterfaceStatistic WithChangeSince(InterfaceStatistic? earlier, double seconds)
        {
            var delta = Counters.ToDictionary(c => c.Key, c =>
                earlier != null && earlier.Counters.TryGetValue(c.Key, out ulong before) && before <= c.Value ? (long)(c.Value - before) : 0);
            var copy = (InterfaceStatistic)MemberwiseClone();
            copy.IntervalSeconds = seconds;
            copy._earlier = earlier;
            copy.Delta = new ReadOnlyDictionary<string, long>(delta);
            copy.PerSecond = new ReadOnlyDictionary<string, double>(delta.ToDictionary(d => d.Key, d => d.Value / seconds));
            return copy;
        }

        public override string ToString() => Name;
    }
}
