using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
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
            if (!System.OperatingSystem.IsLinux()) return;
            Assert.IsType<Platform.Linux.LinuxRouteSource>(Backends.Routes);
            Assert.IsType<Platform.Linux.LinuxProtocolStatisticSource>(Backends.ProtocolStatistics);
            Assert.IsType<Platform.Linux.LinuxInterfaceStatisticSource>(Backends.InterfaceStatistics);
        }
    }
}
