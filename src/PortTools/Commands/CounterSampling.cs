using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace PortTools.Commands
{
    /// <summary>Two readings of a set of counters some seconds apart, for -Interval (what nstat and sar report).</summary>
    internal static class CounterSampling
    {
        /// <summary>
        /// Reads, waits <paramref name="seconds"/> (cancellable), reads again; returns both readings and the
        /// seconds that really passed between them.
        /// </summary>
        internal static (IReadOnlyList<T> Earlier, IReadOnlyList<T> Later, double Seconds) TwoReadings<T>(
            Func<IReadOnlyList<T>> read, double seconds, CancellationToken cancellation)
        {
            IReadOnlyList<T> earlier = read();
            var clock = Stopwatch.StartNew();
            if (cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(seconds))) throw new OperationCanceledException(cancellation);
            IReadOnlyList<T> later = read();
            return (earlier, later, clock.Elapsed.TotalSeconds);
        }
    }
}
