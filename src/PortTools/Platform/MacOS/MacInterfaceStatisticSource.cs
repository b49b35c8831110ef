using System;
using System.Collections.Generic;
using PortTools.Models;

namespace PortTools.Platform.MacOS
{
    /// <summary>The 64-bit counters of every interface from the NET_RT_IFLIST2 sysctl, as netstat -i reads them, no root needed.</summary>
    internal sealed class MacInterfaceStatisticSource : IInterfaceStatisticSource
    {
        private readonly Func<int[], (byte[] Buffer, int Length)> _readSysctl;

        /// <summary>The source that calls the OS.</summary>
        internal MacInterfaceStatisticSource() : this(Darwin.Sysctl)
        {
        }

        /// <param name="readSysctl">Reads a sysctl by its numbers: buffer and byte count.</param>
        internal MacInterfaceStatisticSource(Func<int[], (byte[] Buffer, int Length)> readSysctl) => _readSysctl = readSysctl;

        public IReadOnlyList<InterfaceStatistic> GetStatistics(ListingDiagnostics diagnostics)
        {
            var (buffer, length) = _readSysctl(RoutingMessages.Mib(RoutingMessages.NET_RT_IFLIST2));
            return InterfaceListDecoder.Decode(buffer, length);
        }
    }
}
