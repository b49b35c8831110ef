using System.Collections.Generic;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Windows
{
    /// <summary>The 64-bit counters of every adapter from GetIfTable2 (what netstat -e sums), no elevation needed.</summary>
    internal sealed class WindowsInterfaceStatisticSource : IInterfaceStatisticSource
    {
        public IReadOnlyList<InterfaceStatistic> GetStatistics(ListingDiagnostics diagnostics) =>
            IfTable2Decoder.Decode(IpHlpApi.IfTable2());
    }
}
