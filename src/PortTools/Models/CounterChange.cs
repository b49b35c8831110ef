using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace PortTools.Models
{
    /// <summary>
    /// The one rule both statistics (<see cref="ProtocolStatistic"/>, <see cref="InterfaceStatistic"/>) follow for
    /// -Interval: each counter's change is its later value minus its earlier one, signed. Gauges (TcpCurrEstab,
    /// Windows' OutQLen) fall as well as rise, and a counter that went backwards because it restarted (counters
    /// reset, an interface or a namespace re-created) shows that fall as it is rather than a guessed value; a
    /// counter missing from the earlier reading was 0 then (macOS and Windows leave out empty histogram buckets, so a
    /// bucket that appears during the interval shows its whole value). Counters are 64-bit and unsigned, so the difference
    /// is taken modulo 2^64: one that wrapped past 2^64 still shows what it grew.
    /// </summary>
    internal sealed class CounterChange
    {
        private CounterChange(double seconds, Dictionary<string, long> delta)
        {
            Seconds = seconds;
            Delta = new ReadOnlyDictionary<string, long>(delta);
            PerSecond = new ReadOnlyDictionary<string, double>(delta.ToDictionary(d => d.Key, d => d.Value / seconds));
        }

        /// <summary>The seconds between the two readings.</summary>
        internal double Seconds { get; }

        /// <summary>Each counter's change, keyed and ordered as the later reading's counters.</summary>
        internal ReadOnlyDictionary<string, long> Delta { get; }

        /// <summary>Each change divided by <see cref="Seconds"/>.</summary>
        internal ReadOnlyDictionary<string, double> PerSecond { get; }

        internal static CounterChange Between(IReadOnlyDictionary<string, ulong> now, IReadOnlyDictionary<string, ulong>? earlier, double seconds) =>
            new CounterChange(seconds, now.ToDictionary(c => c.Key,
                c => earlier == null ? 0 : Difference(c.Value, earlier.TryGetValue(c.Key, out ulong before) ? before : 0)));

        /// <summary>The same rule for counters kept as signed numbers (the OS's u64 counters, wrapped past 2^63).</summary>
        internal static CounterChange Between(IReadOnlyDictionary<string, long> now, IReadOnlyDictionary<string, long>? earlier, double seconds) =>
            new CounterChange(seconds, now.ToDictionary(c => c.Key,
                c => earlier == null ? 0 : unchecked(c.Value - (earlier.TryGetValue(c.Key, out long before) ? before : 0))));

        /// <summary>The signed change of one counter, modulo 2^64.</summary>
        internal static long Difference(ulong now, ulong before) => unchecked((long)(now - before));
    }
}
