using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using PortTools.Models;

namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// The counters netstat -s prints, from the net.inet.*.stats and net.inet6.*.stats sysctls (no root needed,
    /// except that macOS hides the TCP counters from other users).
    /// </summary>
    internal sealed class MacProtocolStatisticSource : IProtocolStatisticSource
    {
        private const int ENOENT = 2;

        private readonly Func<string, (byte[] Buffer, int Length)> _readSysctl;
        private readonly Func<uint> _effectiveUserId;

        /// <summary>The source that calls the OS.</summary>
        internal MacProtocolStatisticSource() : this(Darwin.SysctlByName, Darwin.EffectiveUserId)
        {
        }

        /// <param name="readSysctl">Reads a sysctl by name: buffer and byte count.</param>
        /// <param name="effectiveUserId">The caller's user id (0: root).</param>
        internal MacProtocolStatisticSource(Func<string, (byte[] Buffer, int Length)> readSysctl, Func<uint> effectiveUserId)
        {
            _readSysctl = readSysctl;
            _effectiveUserId = effectiveUserId;
        }

        public IReadOnlyList<ProtocolStatistic> GetStatistics(ListingDiagnostics diagnostics)
        {
            var statistics = new List<ProtocolStatistic>();
            foreach (StatStruct stat in MacStatistics.All)
            {
                if (Read(stat.Sysctl, diagnostics) is not { } value) continue;
                var (buffer, length) = value;
                ProtocolStatistic statistic = stat.Decode(buffer, length);
                int read = stat.ReadLength(length);
                if (read < length)
                {
                    diagnostics.Verbose($"sysctl {stat.Sysctl} returned {length} bytes, a struct {stat.Name} this version does not know: " +
                        $"the counters in its first {read} bytes are read.");
                }
                if (stat == MacStatistics.Tcp && _effectiveUserId() != 0 && statistic.Counters.Values.All(v => v == 0))
                {
                    // xnu tcp_getstat copies out a zeroed tcpstat to other users while net.inet.tcp.disable_access_to_stats is 1, the default.
                    diagnostics.WarnOnce("TcpCountersHidden",
                        "macOS shows the TCP counters only to root (sysctl net.inet.tcp.disable_access_to_stats is 1), so they all read 0 here. " +
                        "Run PowerShell as root (sudo pwsh) to see them.");
                }
                statistics.Add(statistic);
            }
            return statistics;
        }

        private (byte[] Buffer, int Length)? Read(string sysctl, ListingDiagnostics diagnostics)
        {
            try
            {
                return _readSysctl(sysctl);
            }
            catch (Win32Exception e) when (e.NativeErrorCode == ENOENT)
            {
                diagnostics.Verbose($"sysctl {sysctl} does not exist here; its counters are left out.");
                return null;
            }
        }
    }
}
