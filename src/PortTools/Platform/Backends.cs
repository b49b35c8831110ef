using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using PortTools.Platform.Linux;

namespace PortTools
{
    /// <summary>
    /// Picks each backend once for the OS the module runs on. The only place that asks which OS this is;
    /// tests may replace a backend.
    /// </summary>
    internal static class Backends
    {
        private static readonly Lazy<IConnectionSource> DefaultConnections = new Lazy<IConnectionSource>(CreateConnections);
        private static IConnectionSource? _connections;

        internal static IConnectionSource Connections
        {
            get => _connections ?? DefaultConnections.Value;
            set => _connections = value;
        }

        private static readonly Lazy<IRouteSource> DefaultRoutes = new Lazy<IRouteSource>(() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                ? new LinuxRouteSource(ProcFs.Default, UseNetlink)
                : new UnsupportedRouteSource());
        private static IRouteSource? _routes;

        internal static IRouteSource Routes
        {
            get => _routes ?? DefaultRoutes.Value;
            set => _routes = value;
        }

        private static readonly Lazy<IProtocolStatisticSource> DefaultProtocolStatistics = new Lazy<IProtocolStatisticSource>(() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                ? new LinuxProtocolStatisticSource(ProcFs.Default)
                : new UnsupportedProtocolStatisticSource());
        private static IProtocolStatisticSource? _protocolStatistics;

        internal static IProtocolStatisticSource ProtocolStatistics
        {
            get => _protocolStatistics ?? DefaultProtocolStatistics.Value;
            set => _protocolStatistics = value;
        }

        private static readonly Lazy<IInterfaceStatisticSource> DefaultInterfaceStatistics = new Lazy<IInterfaceStatisticSource>(() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                ? new LinuxInterfaceStatisticSource(ProcFs.Default)
                : new UnsupportedInterfaceStatisticSource());
        private static IInterfaceStatisticSource? _interfaceStatistics;

        internal static IInterfaceStatisticSource InterfaceStatistics
        {
            get => _interfaceStatistics ?? DefaultInterfaceStatistics.Value;
            set => _interfaceStatistics = value;
        }

        // PORTTOOLS_LINUX_SOURCE=proc: read /proc/net even where netlink works (diagnostics, tests).
        private static bool UseNetlink => Environment.GetEnvironmentVariable("PORTTOOLS_LINUX_SOURCE") != "proc";

        private static IConnectionSource CreateConnections() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                // PORTTOOLS_LINUX_SOURCE=proc reads /proc/net even where netlink works (diagnostics, tests).
                ? new LinuxConnectionSource(ProcFs.Default, Environment.GetEnvironmentVariable("PORTTOOLS_LINUX_SOURCE") != "proc")
                : new UnsupportedConnectionSource();

        internal static string OSName =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "Windows"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "macOS"
            : RuntimeInformation.OSDescription;

        /// <summary>The error for a listing whose backend is not written yet on this OS.</summary>
        internal static PlatformNotSupportedException NotSupported(string listing, string instead) =>
            new PlatformNotSupportedException(
                $"{listing} is not supported on {OSName} yet; PortTools currently reads it on Linux only. Use {instead} there for now.");

        private sealed class UnsupportedRouteSource : IRouteSource
        {
            public IEnumerable<RouteEntry> GetRoutes(RouteQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
                throw NotSupported("Reading the routing table", "'route print' or Get-NetRoute");

            public RouteEntry? FindRoute(System.Net.IPAddress destination, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
                throw NotSupported("Looking up a route", "Find-NetRoute or 'route get'");
        }

        private sealed class UnsupportedProtocolStatisticSource : IProtocolStatisticSource
        {
            public IReadOnlyList<ProtocolStatistic> GetStatistics(ListingDiagnostics diagnostics) =>
                throw NotSupported("Reading the protocol counters", "'netstat -s'");
        }

        private sealed class UnsupportedInterfaceStatisticSource : IInterfaceStatisticSource
        {
            public IReadOnlyList<InterfaceStatistic> GetStatistics(ListingDiagnostics diagnostics) =>
                throw NotSupported("Reading the interface counters", "'netstat -e' or Get-NetAdapterStatistics");
        }

        /// <summary>Stands in for a platform whose backend is not written yet.</summary>
        private sealed class UnsupportedConnectionSource : IConnectionSource
        {
            public IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
                throw new PlatformNotSupportedException(
                    $"Listing connections is not supported on {OSName} yet; PortTools currently reads sockets on Linux only. " +
                    "Use 'netstat -ano' or Get-NetTCPConnection there for now.");
        }
    }
}
