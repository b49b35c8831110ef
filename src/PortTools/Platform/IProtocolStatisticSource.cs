using System.Collections.Generic;
using PortTools.Models;

namespace PortTools.Platform
{
    /// <summary>Reads the protocol counters of this machine (netstat -s), one implementation per OS.</summary>
    internal interface IProtocolStatisticSource
    {
        /// <summary>One reading of every counter, one object per protocol and family.</summary>
        IReadOnlyList<ProtocolStatistic> GetStatistics(ListingDiagnostics diagnostics);
    }
}
