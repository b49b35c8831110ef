using System.Collections.Generic;
using System.Threading;
using PortTools.Models;
using PortTools.Query;

namespace PortTools.Platform
{
    /// <summary>Lists the TCP and UDP sockets of this machine, one implementation per OS.</summary>
    internal interface IConnectionSource
    {
        /// <summary>
        /// Streams the sockets that match <paramref name="query"/>, owners resolved. Lazy: nothing is read
        /// until enumeration starts, and stopping the enumeration stops the work.
        /// </summary>
        IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation);
    }
}
