using System.Collections.Generic;
using System.Net;
using System.Threading;
using PortTools.Models;
using PortTools.Query;

namespace PortTools.Platform
{
    /// <summary>Reads the routing tables of this machine, one implementation per OS.</summary>
    internal interface IRouteSource
    {
        /// <summary>Streams the routes that match <paramref name="query"/>.</summary>
        IEnumerable<RouteEntry> GetRoutes(RouteQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation);

        /// <summary>
        /// The route the OS would use for <paramref name="destination"/>: the host route with the next hop,
        /// interface and source address the OS chose, and the table entry behind it in
        /// <see cref="RouteEntry.MatchedRoute"/>. The ScopeId of an IPv6 destination binds the lookup to that
        /// interface. No route is null, or a <see cref="NoRouteException"/> with the OS's reason (unreachable,
        /// blackhole, ...); any other exception means the lookup itself failed.
        /// </summary>
        RouteEntry? FindRoute(IPAddress destination, ListingDiagnostics diagnostics, CancellationToken cancellation);
    }
}
