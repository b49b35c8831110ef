using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform.MacOS;
using PortTools.Platform.Windows;
using PortTools.Query;

namespace PortTools.Platform
{
    /// <summary>
    /// Picks each backend once for the OS the module runs on: the only place that asks which OS this is.
    /// Constructors do no I/O, so every backend is made up front; tests replace them through Override.
    /// </summary>
    internal static class Backends
    {
        /// <summary>The operating systems with backends of their own; any other gets the stand-ins below.</summary>
        internal enum HostOS { Linux, Windows, MacOS, Other }

        private static readonly HostOS Current =
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? HostOS.Linux
            : RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? HostOS.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? HostOS.MacOS
            : HostOS.Other;

        private static bool IsLinux => Current == HostOS.Linux;
        private static bool IsMacOS => Current == HostOS.MacOS;
        private static bool IsWindows => Current == HostOS.Windows;

        internal static IConnectionSource Connections { get; private set; } = ConnectionsFor(Current);
        internal static IRouteSource Routes { get; private set; } = RoutesFor(Current);
        internal static IProtocolStatisticSource ProtocolStatistics { get; private set; } = ProtocolStatisticsFor(Current);
        internal static IInterfaceStatisticSource InterfaceStatistics { get; private set; } = InterfaceStatisticsFor(Current);
        internal static IEphemeralPortSource EphemeralPorts { get; private set; } = EphemeralPortsFor(Current);

        // One factory per listing, for any OS (constructors do no I/O): a test checks that none is left without one.

        internal static IConnectionSource ConnectionsFor(HostOS os) => os switch
        {
            HostOS.Linux => new LinuxConnectionSource(ProcFs.Default, LinuxConnectionSource.OpenSockDiag),
            HostOS.Windows => new WindowsConnectionSource(),
            HostOS.MacOS => new MacConnectionSource(),
            _ => new UnsupportedConnectionSource(),
        };

        internal static IRouteSource RoutesFor(HostOS os) => os switch
        {
            HostOS.Linux => new LinuxRouteSource(ProcFs.Default),
            HostOS.Windows => new WindowsRouteSource(),
            HostOS.MacOS => new MacRouteSource(),
            _ => new UnsupportedRouteSource(),
        };

        internal static IProtocolStatisticSource ProtocolStatisticsFor(HostOS os) => os switch
        {
            HostOS.Linux => new LinuxProtocolStatisticSource(ProcFs.Default),
            HostOS.Windows => new WindowsProtocolStatisticSource(),
            HostOS.MacOS => new MacProtocolStatisticSource(),
            _ => new UnsupportedProtocolStatisticSource(),
        };

        internal static IInterfaceStatisticSource InterfaceStatisticsFor(HostOS os) => os switch
        {
            HostOS.Linux => new LinuxInterfaceStatisticSource(ProcFs.Default),
            HostOS.Windows => new WindowsInterfaceStatisticSource(),
            HostOS.MacOS => new MacInterfaceStatisticSource(),
            _ => new UnsupportedInterfaceStatisticSource(),
        };

        // Windows' documented default range stands in on any other OS.
        internal static IEphemeralPortSource EphemeralPortsFor(HostOS os) => os switch
        {
            HostOS.Linux => new LinuxEphemeralPorts(ProcFs.Default),
            HostOS.MacOS => new MacEphemeralPorts(),
            _ => new WindowsEphemeralPorts(),
        };

        /// <summary>
        /// Opens another network namespace for -NetworkNamespace (see <see cref="NetworkNamespaceHandle.Open"/> for
        /// its exceptions); a <see cref="PlatformNotSupportedException"/> where the OS has none.
        /// </summary>
        internal static NetworkNamespaceHandle OpenNetworkNamespace(string nameOrProcessId) => IsLinux
            ? NetworkNamespaceHandle.Open(nameOrProcessId)
            : throw new PlatformNotSupportedException(
                $"-NetworkNamespace reads a Linux network namespace; {OSName} has none. Leave the parameter out to list this computer.");

        /// <summary>The sockets of a namespace from <see cref="OpenNetworkNamespace"/>.</summary>
        internal static IConnectionSource ConnectionsIn(NetworkNamespaceHandle netns) => LinuxConnectionSource.In(netns);

        /// <summary>The routes of a namespace from <see cref="OpenNetworkNamespace"/>.</summary>
        internal static IRouteSource RoutesIn(NetworkNamespaceHandle netns) => LinuxRouteSource.In(netns);

        /// <summary>
        /// The names OwningService can take here, for completing -ServiceName: the systemd units of the running
        /// processes on Linux, the running services on Windows; none on macOS.
        /// </summary>
        internal static Func<IEnumerable<string>> RunningServiceNames { get; set; } =
            IsLinux ? () => SystemdUnits.Running(ProcFs.Default)
            : IsWindows ? () => AdvApi32.RunningServices().Select(s => s.Name)
            : (Func<IEnumerable<string>>)Enumerable.Empty<string>;

        /// <summary>
        /// Replaces the backends given (null keeps one) until the result is disposed, which puts back the ones it
        /// replaced: the one seam tests swap backends through. Dispose in reverse order (using); not for concurrent use.
        /// </summary>
        internal static IDisposable Override(IConnectionSource? connections = null, IRouteSource? routes = null,
            IProtocolStatisticSource? protocolStatistics = null, IInterfaceStatisticSource? interfaceStatistics = null,
            IEphemeralPortSource? ephemeralPorts = null)
        {
            var saved = (Connections, Routes, ProtocolStatistics, InterfaceStatistics, EphemeralPorts);
            Connections = connections ?? Connections;
            Routes = routes ?? Routes;
            ProtocolStatistics = protocolStatistics ?? ProtocolStatistics;
            InterfaceStatistics = interfaceStatistics ?? InterfaceStatistics;
            EphemeralPorts = ephemeralPorts ?? EphemeralPorts;
            return new Restore(() => (Connections, Routes, ProtocolStatistics, InterfaceStatistics, EphemeralPorts) = saved);
        }

        /// <summary>
        /// Every listing backend replaced by one that throws <paramref name="failure"/>: how a cmdlet meets a backend
        /// that fails, for tests that cannot make a source of their own (Pester calls this one through reflection).
        /// </summary>
        internal static IDisposable Override(Exception failure)
        {
            var failing = new FailingSource(failure);
            return Override(failing, failing, failing, failing);
        }

        private sealed class Restore : IDisposable
        {
            private Action? _restore;

            internal Restore(Action restore) => _restore = restore;

            public void Dispose() => Interlocked.Exchange(ref _restore, null)?.Invoke();
        }

        /// <summary>This host's services(5) database, which netstat and getservbyport(3) read.</summary>
        internal static string HostServicesPath =>
            IsWindows ? Path.Combine(Environment.SystemDirectory, "drivers", "etc", "services") : "/etc/services";

        internal static string OSName => IsWindows ? "Windows" : IsMacOS ? "macOS" : RuntimeInformation.OSDescription;

        /// <summary>The error for a listing that has no backend on this OS.</summary>
        internal static PlatformNotSupportedException NotSupported(string listing, string instead) =>
            new PlatformNotSupportedException(
                $"{listing} is not supported on {OSName} yet. Use {instead} there for now.");

        // Stand-ins for an OS with no backend (not Linux, Windows or macOS): a clear error, not a crash.

        internal sealed class UnsupportedConnectionSource : IConnectionSource
        {
            public IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
                throw NotSupported("Listing connections", "'netstat -anv' or 'lsof -i'");
        }

        internal sealed class UnsupportedRouteSource : IRouteSource
        {
            public IEnumerable<RouteEntry> GetRoutes(RouteQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
                throw NotSupported("Reading the routing table", "'route print' or Get-NetRoute");

            public RouteEntry? FindRoute(IPAddress destination, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
                throw NotSupported("Looking up a route", "Find-NetRoute or 'route get'");
        }

        internal sealed class UnsupportedProtocolStatisticSource : IProtocolStatisticSource
        {
            public IReadOnlyList<ProtocolStatistic> GetStatistics(ListingDiagnostics diagnostics) =>
                throw NotSupported("Reading the protocol counters", "'netstat -s'");
        }

        internal sealed class UnsupportedInterfaceStatisticSource : IInterfaceStatisticSource
        {
            public IReadOnlyList<InterfaceStatistic> GetStatistics(ListingDiagnostics diagnostics) =>
                throw NotSupported("Reading the interface counters", "'netstat -e' or Get-NetAdapterStatistics");
        }
    }
}
