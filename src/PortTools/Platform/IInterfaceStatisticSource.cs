using System.Collections.Generic;

namespace PortTools
{
    /// <summary>Reads the per-interface traffic counters (netstat -e), one implementation per OS.</summary>
    internal interface IInterfaceStatisticSource
    {
        /// <summary>One reading of every interface's counters.</summary>
        IReadOnlyList<InterfaceStatistic> GetStatistics(ListingDiagnostics diagnostics);
    }
}
