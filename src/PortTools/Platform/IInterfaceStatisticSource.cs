using System.Collections.Generic;
using PortTools.Models;

namespace PortTools.Platform
{
    /// <summary>Reads the per-interface traffic counters (netstat -e), one implementation per OS.</summary>
    internal interface IInterfaceStatisticSource
    {
        /// <summary>One reading of every interface's counters.</summary>
        IReadOnlyList<InterfaceStatistic> GetStatistics(ListingDiagnostics diagnostics);
    }
}
