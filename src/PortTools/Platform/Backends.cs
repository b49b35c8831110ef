using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using PortTools.Platform.Linux;
using PortTools.Platform.MacOS;
using PortTools.Platform.Windows;

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

        private static readonly Lazy<IEphemeralPortSource> DefaultEphemeralPorts = new Lazy<IEphemeralPortSource>(CreateEphemeralPorts);
        private static IEphemeralPortSource? _ephemeralPorts;

        internal static IEphemeralPortSource EphemeralPorts
        {
            get => _ephemeralPorts ?? DefaultEphemeralPorts.Value;
            set => _ephemeralPorts = value;
        }

        /// <summary>This host's services(5) database, which netstat and getservbyport(3) read.</summary>
        internal static string HostServicesPath =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? Path.Combine(Environment.SystemDirectory, "drivers", "etc", "services")
                : "/etc/services";

        private static IEphemeralPortSource CreateEphemeralPorts() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? new LinuxEphemeralPorts(ProcFs.Default)
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? new MacEphemeralPorts()
            : (IEphemeralPortSource)new WindowsEphemeralPorts();

        private static IConnectionSource CreateConnections() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                // PORTTOOLS_LINUX_SOURCE=proc reads /proc/net even where netlink works (diagnostics, tests).
                ? new LinuxConnectionSource(ProcFs.Default,
                    Environment.GetEnvironmentVariable("PORTTOOLS_LINUX_SOURCE") == "proc" ? null : LinuxConnectionSource.OpenSockDiag)
                : new UnsupportedConnectionSource();

        internal static string OSName =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "Windows"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "macOS"
            : RuntimeInformation.OSDescription;

        /// <summary>Stands in for a platform whose backend is not written yet.</summary>
        internal sealed class UnsupportedConnectionSource : IConnectionSource
        {
            public IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
                throw new PlatformNotSupportedException(
                    $"Listing connections is not supported on {OSName} yet; PortTools currently reads sockets on Linux only. " +
                    "Use 'netstat -ano' or Get-NetTCPConnection there for now.");
        }
    }
}
