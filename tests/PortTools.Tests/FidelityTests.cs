using System.Collections.Generic;
using System.Net;
using System.Text;
using PortTools.Formatting;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>The pure pieces behind what admins compare with ss, netstat and Get-Process.</summary>
    public class FidelityTests
    {
        private static byte[] Cmdline(params string[] argv) => Encoding.UTF8.GetBytes(string.Join("\0", argv) + "\0");

        [Theory]
        [InlineData("sshd", "/usr/sbin/sshd\0-D", "sshd")]                                       // short: comm is whole
        [InlineData("systemd-resolve", "/lib/systemd/systemd-resolved", "systemd-resolved")]     // cut at 15 bytes
        [InlineData("averyveryverylo", "other-argv0-name", "averyveryverylo")]                  // argv[0] renamed: comm stays
        [InlineData("exactly15chars_", "./exactly15chars_", "exactly15chars_")]
        [InlineData("gunicorn: maste", "gunicorn: master [app]", "gunicorn: master [app]")]      // no NUL: all of it is argv[0]
        [InlineData("averyveryverylo", "", "averyveryverylo")]                                   // a kernel thread or a zombie
        public void ProcessNameIsWhatGetProcessShows(string comm, string cmdline, string expected)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(cmdline);
            Assert.Equal(expected, ProcessName.Of(comm, bytes, bytes.Length));
        }

        [Fact]
        public void ProcessNameReadsOnlyArgvZero()
        {
            byte[] bytes = Cmdline("/opt/app/averyveryverylongname", "--flag", "x/averyveryverylongname-not-this");
            Assert.Equal("averyveryverylongname", ProcessName.Of("averyveryverylo", bytes, bytes.Length));
            Assert.Equal("averyveryverylo", ProcessName.Of("averyveryverylo", null, 0));
        }

        [Theory]
        [InlineData("127.0.0.1:22", 22, "127.0.0.1:22")]
        [InlineData("255.255.255.255:65535", 22, "255.255.255.255:65535")]
        [InlineData("[2001:db8:85a3::8a2e:370:7334]:443", 22, "[2001:db8…70:7334]:443")]
        [InlineData("[2001:db8:85a3::8a2e:370:7334]:*", 22, "[2001:db8:…370:7334]:*")]
        [InlineData("[fe80::1]:\u001b", 22, "[fe80::1]:\\e")]
        public void EndpointsAreCutInTheAddressNeverThePort(string endpoint, int width, string shown)
        {
            Assert.Equal(shown, DisplayText.Endpoint(endpoint, width));
            Assert.True(shown.Length <= width);
        }

        [Theory]
        [InlineData("fe80::1", 22, "eth0", "[fe80::1]%eth0:22")]
        [InlineData("127.0.0.53", 53, null, "127.0.0.53:53")]
        [InlineData("::", 0, null, "[::]:*")]
        public void EndpointsAreWrittenAsSsWritesThem(string address, int port, string? zone, string expected) =>
            Assert.Equal(expected, Endpoint.Format(address, port, zone));

        [Fact]
        public void ListeningMeansTcpListenersAndUnconnectedUdp()
        {
            var query = new ConnectionQuery { ListeningOnly = true };
            SocketEntry Socket(TransportProtocol protocol, TcpState? state, int remotePort) =>
                new SocketEntry(protocol, IPVersion.IPv4, state, IPAddress.Loopback, 5000, remotePort == 0 ? IPAddress.Any : IPAddress.Loopback, remotePort);
            Assert.True(query.Includes(TransportProtocol.Udp));
            Assert.True(query.MatchesSocket(Socket(TransportProtocol.Tcp, TcpState.Listen, 0)));
            Assert.False(query.MatchesSocket(Socket(TransportProtocol.Tcp, TcpState.Established, 80)));
            Assert.True(query.MatchesSocket(Socket(TransportProtocol.Udp, null, 0)));
            Assert.False(query.MatchesSocket(Socket(TransportProtocol.Udp, null, 53)));
            var plain = new ConnectionQuery();
            plain.States.Add(TcpState.Listen);
            Assert.False(plain.Includes(TransportProtocol.Udp)); // -State alone still means TCP states only
        }

        [Fact]
        public void AnyHolderOfASharedSocketMatchesTheOwnerFilters()
        {
            var holders = new SocketHolderList(new List<SocketHolder> { new SocketHolder(10, "nginx"), new SocketHolder(11, "worker") });
            var byPid = new ConnectionQuery();
            byPid.ProcessIds.Add(11);
            Assert.True(byPid.MatchesOwner(holders));
            Assert.False(byPid.MatchesOwner(SocketHolderList.None));
            var byName = new ConnectionQuery { ProcessNameMatches = name => name == "nginx" };
            Assert.True(byName.MatchesOwner(holders));
            Assert.True(new ConnectionQuery().MatchesOwner(SocketHolderList.None));
            Assert.Equal("nginx(10) worker(11)", holders.ToString()); // what Export-Csv writes
        }

        [Theory]
        [InlineData(IPVersion.IPv4, 24, "10.0.0.1", RouteType.Unicast, "255.255.255.0", "UG")]
        [InlineData(IPVersion.IPv4, 0, "192.0.2.1", RouteType.Unicast, "0.0.0.0", "UG")]
        [InlineData(IPVersion.IPv4, 32, "0.0.0.0", RouteType.Unicast, "255.255.255.255", "UH")]
        [InlineData(IPVersion.IPv4, 25, "0.0.0.0", RouteType.Blackhole, "255.255.255.128", "!")]
        [InlineData(IPVersion.IPv4, 17, "", RouteType.Unreachable, "255.255.128.0", "!")]
        [InlineData(IPVersion.IPv6, 64, "::", RouteType.Unicast, "/64", "U")]
        [InlineData(IPVersion.IPv6, 128, "fe80::1", RouteType.Prohibit, "/128", "!GH")]
        public void RoutesShowNetstatsGenmaskAndFlags(IPVersion family, int prefix, string nextHop, RouteType type, string genmask, string flags)
        {
            var route = new RouteEntry { AddressFamily = family, PrefixLength = prefix, NextHop = nextHop, Type = type };
            Assert.Equal(genmask, route.Genmask);
            Assert.Equal(flags, route.Flags);
        }

        [Fact]
        public void OnlyWindowsStatesNeverExistOnLinux()
        {
            foreach (TcpState state in System.Enum.GetValues(typeof(TcpState)))
                Assert.Equal(state != TcpState.Bound && state != TcpState.DeleteTcb, LinuxTcpStates.Exists(state));
        }
    }
}
