using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using PortTools.Platform;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    // Every test that swaps backends is in this class: xunit runs one class's tests one at a time.
    public class BackendsTests
    {
        [Fact]
        public void NotSupportedSaysWhatAndWhatToUseInstead()
        {
            var e = Backends.NotSupported("Reading the routing table", "'route print' or Get-NetRoute");
            Assert.Equal($"Reading the routing table is not supported on {Backends.OSName} yet. " +
                "Use 'route print' or Get-NetRoute there for now.", e.Message);
        }

        [Fact]
        public void LinuxGetsTheLinuxBackends()
        {
            if (!OperatingSystem.IsLinux()) return;
            Assert.IsType<Platform.Linux.LinuxConnectionSource>(Backends.Connections);
            Assert.IsType<Platform.Linux.LinuxRouteSource>(Backends.Routes);
            Assert.IsType<Platform.Linux.LinuxProtocolStatisticSource>(Backends.ProtocolStatistics);
            Assert.IsType<Platform.Linux.LinuxInterfaceStatisticSource>(Backends.InterfaceStatistics);
            Assert.IsType<Platform.Linux.LinuxEphemeralPorts>(Backends.EphemeralPorts);
        }

        /// <summary>
        /// Every listing of every cmdlet has a backend on each OS the module supports: Get-PortConnection and
        /// Watch-PortConnection (connections), Get-RouteTable, Get-ProtocolStatistic, Get-InterfaceStatistic and
        /// Resolve-WellKnownPort (ephemeral range). No PlatformNotSupported is left on Linux, Windows or macOS.
        /// </summary>
        [Theory]
        [InlineData("Linux", "PortTools.Platform.Linux")]
        [InlineData("Windows", "PortTools.Platform.Windows")]
        [InlineData("MacOS", "PortTools.Platform.MacOS")]
        public void EverySupportedOSHasABackendOfItsOwnForEveryListing(string osName, string ownNamespace)
        {
            var os = Enum.Parse<Backends.HostOS>(osName);
            object[] backends =
            {
                Backends.ConnectionsFor(os), Backends.RoutesFor(os), Backends.ProtocolStatisticsFor(os),
                Backends.InterfaceStatisticsFor(os), Backends.EphemeralPortsFor(os),
            };
            Assert.All(backends, backend => Assert.Equal(ownNamespace, backend.GetType().Namespace));
        }

        [Fact]
        public void AnotherOSGetsStandInsThatSayWhatToUseInstead()
        {
            var connections = Backends.ConnectionsFor(Backends.HostOS.Other);
            var e = Assert.Throws<PlatformNotSupportedException>(() =>
                connections.GetConnections(new ConnectionQuery(), ListingDiagnostics.Silent, CancellationToken.None).ToList());
            Assert.Contains("netstat", e.Message);
            Assert.IsType<Backends.UnsupportedRouteSource>(Backends.RoutesFor(Backends.HostOS.Other));
        }

        [Fact]
        public void OverrideReplacesWhatItIsGivenAndPutsItBackOnDispose()
        {
            var (connections, routes, protocols, interfaces, ports) =
                (Backends.Connections, Backends.Routes, Backends.ProtocolStatistics, Backends.InterfaceStatistics, Backends.EphemeralPorts);
            var standIn = new Backends.UnsupportedRouteSource();
            using (Backends.Override(routes: standIn))
            {
                Assert.Same(standIn, Backends.Routes);
                Assert.Same(connections, Backends.Connections); // null keeps a backend
                Assert.Same(protocols, Backends.ProtocolStatistics);
                Assert.Same(interfaces, Backends.InterfaceStatistics);
                Assert.Same(ports, Backends.EphemeralPorts);
            }
            Assert.Same(routes, Backends.Routes);
        }

        [Fact]
        public void OverridesNestAndEachDisposePutsBackWhatItFound()
        {
            Platform.IRouteSource original = Backends.Routes;
            var outer = new Backends.UnsupportedRouteSource();
            var inner = new FailingSource(new IOException("inner"));
            IDisposable first = Backends.Override(routes: outer);
            IDisposable second = Backends.Override(routes: inner);
            Assert.Same(inner, Backends.Routes);
            second.Dispose();
            Assert.Same(outer, Backends.Routes);
            second.Dispose(); // once only: a second call must not undo the outer override
            Assert.Same(outer, Backends.Routes);
            first.Dispose();
            Assert.Same(original, Backends.Routes);
        }

        [Fact]
        public void AFailingOverrideThrowsItsFailureFromEveryListing()
        {
            var failure = new InvalidDataException("unreadable");
            using (Backends.Override(failure))
            {
                var diagnostics = ListingDiagnostics.Silent;
                Assert.Same(failure, Assert.Throws<InvalidDataException>(() => Backends.Connections.GetConnections(new ConnectionQuery(), diagnostics, CancellationToken.None).ToList()));
                Assert.Same(failure, Assert.Throws<InvalidDataException>(() => Backends.Routes.GetRoutes(new RouteQuery(), diagnostics, CancellationToken.None).ToList()));
                Assert.Same(failure, Assert.Throws<InvalidDataException>(() => Backends.Routes.FindRoute(IPAddress.Loopback, diagnostics, CancellationToken.None)));
                Assert.Same(failure, Assert.Throws<InvalidDataException>(() => Backends.ProtocolStatistics.GetStatistics(diagnostics)));
                Assert.Same(failure, Assert.Throws<InvalidDataException>(() => Backends.InterfaceStatistics.GetStatistics(diagnostics)));
            }
            Assert.IsNotType<FailingSource>(Backends.Routes);
        }

        [Fact]
        public void EachStandInSaysWhatIsNotSupportedAndWhatToUseInstead()
        {
            var diagnostics = ListingDiagnostics.Silent;
            Action[] listings =
            {
                () => new Backends.UnsupportedConnectionSource().GetConnections(new ConnectionQuery(), diagnostics, CancellationToken.None),
                () => new Backends.UnsupportedRouteSource().GetRoutes(new RouteQuery(), diagnostics, CancellationToken.None),
                () => new Backends.UnsupportedRouteSource().FindRoute(IPAddress.Loopback, diagnostics, CancellationToken.None),
                () => new Backends.UnsupportedProtocolStatisticSource().GetStatistics(diagnostics),
                () => new Backends.UnsupportedInterfaceStatisticSource().GetStatistics(diagnostics),
            };
            foreach (Action listing in listings)
                Assert.Matches(@"^\S.* is not supported on .+ yet\. Use .+ there for now\.$", Assert.Throws<PlatformNotSupportedException>(listing).Message);
        }
    }
}
