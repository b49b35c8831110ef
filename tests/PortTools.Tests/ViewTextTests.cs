using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using OperationalStatus = System.Net.NetworkInformation.OperationalStatus;
using System.Reflection;
using PortTools.Formatting;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Platform.Linux;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// What the views show, from the PortTools.Formatting methods the format file calls (it holds no logic of its own),
    /// on live objects; Pester renders the deserialized ones. And the models those read: built whole, never patched.
    /// </summary>
    public class ViewTextTests
    {
        private static PortConnection Socket(TransportProtocol protocol, string local, int localPort, string remote, int remotePort,
            TcpState? state = null, params (int Pid, string Name)[] holders)
        {
            var entry = new SocketEntry(protocol, local.Contains(':') ? IPVersion.IPv6 : IPVersion.IPv4, state,
                IPAddress.Parse(local), localPort, IPAddress.Parse(remote), remotePort);
            var list = new SocketHolderList(holders.Select(h => new SocketHolder(h.Pid, h.Name)).ToList());
            ProcessOwner? owner = holders.Length == 0 ? null : new ProcessOwner(holders[0].Pid, holders[0].Name, null);
            return new PortConnection(entry, owner, list, null);
        }

        [Fact]
        public void StateIsTheTcpStateOrWhetherUdpIsConnected()
        {
            Assert.Equal("Listen", ConnectionRow.State(Socket(TransportProtocol.Tcp, "127.0.0.1", 22, "0.0.0.0", 0, TcpState.Listen)));
            Assert.Equal("Unconnected", ConnectionRow.State(Socket(TransportProtocol.Udp, "127.0.0.1", 53, "0.0.0.0", 0)));
            Assert.Equal("Connected", ConnectionRow.State(Socket(TransportProtocol.Udp, "127.0.0.1", 40000, "127.0.0.53", 53)));
        }

        [Fact]
        public void ProcessHoldersAndOwnerNameEveryHolderEscaped()
        {
            PortConnection shared = Socket(TransportProtocol.Tcp, "0.0.0.0", 80, "0.0.0.0", 0, TcpState.Listen, (10, "nginx\u001b[2J"), (11, "worker"), (12, "worker"));
            Assert.Equal("nginx\\e[2J +2", ConnectionRow.Process(shared));
            Assert.Equal("nginx\\e[2J(10) worker(11) worker(12)", ConnectionRow.Holders(shared));
            Assert.Equal("nginx\\e[2J (10)", ConnectionRow.Owner(shared));
            PortConnection orphan = Socket(TransportProtocol.Tcp, "127.0.0.1", 40000, "127.0.0.1", 80, TcpState.TimeWait);
            Assert.Equal("", ConnectionRow.Process(orphan));
            Assert.Equal("", ConnectionRow.Holders(orphan));
            Assert.Equal("(unknown)", ConnectionRow.Owner(orphan));
        }

        [Fact]
        public void ServiceEndpointsNameThePortAndCutTheAddressNeverThePort()
        {
            Assert.Equal("127.0.0.1:ssh", ConnectionRow.ServiceEndpoint(Socket(TransportProtocol.Tcp, "127.0.0.1", 22, "0.0.0.0", 0), remote: false));
            Assert.Equal("0.0.0.0:*", ConnectionRow.ServiceEndpoint(Socket(TransportProtocol.Tcp, "127.0.0.1", 22, "0.0.0.0", 0), remote: true));
            PortConnection client = Socket(TransportProtocol.Tcp, "2001:db8:85a3::8a2e:370:7334", 50000, "::1", 443, TcpState.Established);
            Assert.Equal("[::1]:https", ConnectionRow.ServiceEndpoint(client, remote: true));
            string local = ConnectionRow.ServiceEndpoint(client, remote: false);
            Assert.Equal(22, local.Length);
            Assert.StartsWith("[2001:db\u2026", local);
            Assert.EndsWith("]:" + (client.LocalService ?? "50000"), local);
        }

        [Fact]
        public void RoutesShowNetstatsDestinationGatewayAndIface()
        {
            var multipath = new RouteEntry
            {
                DestinationPrefix = "10.99.6.0/24", PrefixLength = 24, NextHop = "10.99.1.2", InterfaceAlias = "pt0",
                NextHops = new[] { new RouteNextHop("10.99.1.2", 2, "pt0", 1), new RouteNextHop("10.99.1.3", 2, "pt0", 3) },
            };
            Assert.Equal("10.99.6.0", RouteText.Destination(multipath));
            Assert.Equal("10.99.1.2", RouteText.Gateway(multipath));
            Assert.Equal("pt0", RouteText.Interface(multipath));
            Assert.Equal("10.99.1.2, 10.99.1.3", RouteText.NextHops(multipath));
            Assert.Equal("via 10.99.1.2 dev pt0 weight 1; via 10.99.1.3 dev pt0 weight 3", RouteText.Paths(multipath));

            var blackhole = new RouteEntry { DestinationPrefix = "::/0", NextHop = "::", Type = RouteType.Blackhole };
            Assert.Equal("::", RouteText.Destination(blackhole));
            Assert.Equal("*", RouteText.Gateway(blackhole));
            Assert.Equal("*", RouteText.Interface(blackhole));
            Assert.Equal("::", RouteText.NextHops(blackhole));
            Assert.Equal("", RouteText.Paths(blackhole));
            Assert.Equal("\\e]0;t", RouteText.Interface(new RouteEntry { InterfaceAlias = "\u001b]0;t" }));
        }

        [Fact]
        public void WellKnownPortsShowTheRangeTheNameAndTheEphemeralMark()
        {
            var x11 = new WellKnownPort(6000, "6000-6063", RegistryProtocol.Tcp, "x11", null, null, null, null, "X Window System", PortCategory.Registered, null, false);
            var local = new WellKnownPort(8123, null, RegistryProtocol.Tcp, null, null, null, null, "my\u202Eapp", "Unassigned", PortCategory.Registered, null, true);
            Assert.Equal("6000-6063", PortText.Port(x11));
            Assert.Equal("8123", PortText.Port(local));
            Assert.Equal("x11", PortText.Service(x11));
            Assert.Equal("my\\u202Eapp", PortText.Service(local));
            Assert.Equal("", PortText.Ephemeral(x11));
            Assert.Equal("yes", PortText.Ephemeral(local));
        }

        private static ProtocolStatistic Udp(long inDatagrams, long outDatagrams) => LinuxProtocolStatisticSource.Group(SnmpParser.ParsePairs(
            new StringReader($"Udp: InDatagrams NoPorts InErrors OutDatagrams\nUdp: {inDatagrams} 3 0 {outDatagrams}\n"), "test", ListingDiagnostics.Silent)).Single();

        [Fact]
        public void TheNetstatSBlockListsEveryCounterAndUnderIntervalOnlyTheChangedOnes()
        {
            ProtocolStatistic earlier = Udp(10, 20);
            string[] lines = StatisticText.ProtocolBlock(earlier).TrimEnd().Split(System.Environment.NewLine);
            Assert.Equal("Udp (IPv4):", lines[0]);
            Assert.Equal(new[] { "UdpInDatagrams 10", "UdpNoPorts 3", "UdpInErrors 0", "UdpOutDatagrams 20" },
                lines.Skip(1).Select(l => string.Join(" ", l.Split(' ', System.StringSplitOptions.RemoveEmptyEntries))));

            string[] changed = StatisticText.ProtocolBlock(Udp(14, 20).WithChangeSince(earlier, 2.0)).TrimEnd().Split(System.Environment.NewLine);
            Assert.Equal(3, changed.Length);
            Assert.Matches(@"^\s+Counter\s+Total\s+Delta\s+Per second$", changed[1]);
            Assert.Matches(@"^\s+UdpInDatagrams\s+14\s+4\s+2[.,]0$", changed[2]);
            Assert.EndsWith("(no counter changed)", StatisticText.ProtocolBlock(earlier.WithChangeSince(earlier, 1.0)).TrimEnd());
        }

        [Fact]
        public void TheSummaryTakesEachProtocolsMainCounters()
        {
            ProtocolStatistic udp = Udp(14, 20);
            Assert.Equal(("IPv4", "14", "20", "0", "4"), (StatisticText.Family(udp), StatisticText.In(udp), StatisticText.Out(udp),
                StatisticText.InErrors(udp), StatisticText.CounterCount(udp)));
            Assert.Equal("", StatisticText.Changed(udp));
            Assert.Equal("1", StatisticText.Changed(udp.WithChangeSince(Udp(10, 20), 1.0)));
            ProtocolStatistic tcp = LinuxProtocolStatisticSource.Group(SnmpParser.ParsePairs(
                new StringReader("Tcp: InSegs OutSegs InErrs\nTcp: 5 6 7\n"), "test", ListingDiagnostics.Silent)).Single();
            Assert.Equal(("both", "5", "6", "7"), (StatisticText.Family(tcp), StatisticText.In(tcp), StatisticText.Out(tcp), StatisticText.InErrors(tcp)));
        }

        [Fact]
        public void TheNetstatEBlockPutsReceivedBesideSent()
        {
            Dictionary<string, ulong> counters = ProcNetDevParser.Columns.ToDictionary(c => c, c => c == "rx_bytes" ? 1500ul : c == "tx_bytes" ? 900ul : 1ul);
            string[] lines = StatisticText.InterfaceBlock(LinuxInterfaceStatisticSource.Build("pt\u001b0", counters, 2, 1500, OperationalStatus.Up))
                .TrimEnd().Split(System.Environment.NewLine);
            Assert.Equal("pt\\e0 (Up, MTU 1500)", lines[0]);
            Assert.Matches(@"^\s+Received\s+Sent$", lines[1]);
            Assert.Matches(@"^Bytes\s+1500\s+900$", lines[2]);
            Assert.Matches(@"^Unicast packets\s+0\s*$", lines[3]); // Linux counts no sent unicast packets
            Assert.Matches(@"^Unknown protocols\s*$", lines[7]);
        }

        [Fact]
        public void ModelsAreBuiltWholeAndNeverChangedAfter()
        {
            // A public model property has no setter, or an init-only one (used in an object initializer only).
            var models = typeof(PortConnection).Assembly.GetExportedTypes().Where(t => t.Namespace == "PortTools.Models" && t.IsClass).ToList();
            Assert.Contains(typeof(RouteEntry), models);
            foreach (PropertyInfo property in models.SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public)))
            {
                MethodInfo? setter = property.GetSetMethod(nonPublic: true);
                bool initOnly = setter != null && setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit");
                Assert.True(setter == null || initOnly, $"{property.DeclaringType!.Name}.{property.Name} can be set after it is built");
            }
        }
    }
}
