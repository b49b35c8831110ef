using System.Collections.Generic;
using System.Net;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Query;

namespace PortTools.Platform
{
    /// <summary>
    /// A backend whose every listing throws one exception: what <see cref="Backends.Override(Exception)"/> puts in,
    /// so that a test sees each cmdlet meet a backend that could not read (ReadError) or does not exist here.
    /// </summary>
    internal sealed class FailingSource : IConnectionSource, IRouteSource, IProtocolStatisticSource, IInterfaceStatisticSource
    {
        private readonly Exception _failure;

        internal FailingSource(Exception failure) => _failure = failure;

        public IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
            throw _failure;

        public IEnumerable<RouteEntry> GetRoutes(RouteQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
            throw _failure;

        public RouteEntry? FindRoute(IPAddress destination, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
            throw _failure;

        IReadOnlyList<ProtocolStatistic> IProtocolStatisticSource.GetStatistics(ListingDiagnostics diagnostics) => throw _failure;

        IReadOnlyList<InterfaceStatistic> IInterfaceStatisticSource.GetStatistics(ListingDiagnostics diagnostics) => throw _failure;
    }
}
