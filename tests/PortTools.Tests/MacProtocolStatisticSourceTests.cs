using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System;
using PortTools.Commands;
using PortTools.Models;
using PortTools.Platform.MacOS;
using PortTools.Platform;
using Xunit;
using B = PortTools.Tests.MacStatisticsBuilder;

namespace PortTools.Tests
{
    /// <summary>The macOS statistics backend over fake sysctls built by <see cref="MacStatisticsBuilder"/>.</summary>
    public class MacProtocolStatisticSourceTests
    {
        private readonly List<string> _read = new List<string>();
        private readonly List<string> _warnings = new List<string>();
        private readonly List<string> _verbose = new List<string>();
        private readonly Dictionary<string, byte[]> _sysctls = new Dictionary<string, byte[]>
        {
            ["net.inet.ip.stats"] = new B(B.Ipstat11215).U32(0, 100).Bytes,
            ["net.inet.icmp.stats"] = new B(B.Icmpstat).Bytes,
            ["net.inet.tcp.stats"] = new B(B.Tcpstat11215).U32(0, 7).Bytes,
            ["net.inet.udp.stats"] = new B(B.Udpstat).U32(36, 9).Bytes,
            ["net.inet6.ip6.stats"] = new B(B.Ip6stat).Bytes,
            ["net.inet6.icmp6.stats"] = new B(B.Icmp6stat).Bytes,
        };
        private uint _uid = 501;

        private IReadOnlyList<ProtocolStatistic> Read()
        {
            var source = new MacProtocolStatisticSource(
                name =>
                {
                    _read.Add(name);
                    if (!_sysctls.TryGetValue(name, out byte[]? bytes)) throw new Win32Exception(2, $"sysctl {name} failed."); // ENOENT
                    var buffer = new byte[bytes.Length + 4096]; // the kernel fills less than it was given
                    Buffer.BlockCopy(bytes, 0, buffer, 0, bytes.Length);
                    return (buffer, bytes.Length);
                },
                () => _uid);
            return source.GetStatistics(new ListingDiagnostics(_verbose.Add, _warnings.Add));
        }

        [Fact]
        public void ReadsTheSixStructsInNetstatOrder()
        {
            IReadOnlyList<ProtocolStatistic> all = Read();
            Assert.Equal(new[] { "net.inet.ip.stats", "net.inet.icmp.stats", "net.inet.tcp.stats", "net.inet.udp.stats", "net.inet6.ip6.stats", "net.inet6.icmp6.stats" }, _read);
            Assert.Equal(new[] { "Ip (IPv4)", "Icmp (IPv4)", "Tcp", "Udp", "Ip (IPv6)", "Icmp (IPv6)" }, all.Select(s => s.ToString()));
            Assert.Equal(100, all[0].InReceives);
            Assert.Equal(7, all[2].ActiveOpens);
            Assert.Equal(9, all[3].OutDatagrams);
            Assert.Empty(_warnings);
            Assert.Empty(_verbose);
        }

        [Fact]
        public void WarnsOnceWhenMacOSHidesTheTcpCountersFromUsers()
        {
            _sysctls["net.inet.tcp.stats"] = new B(B.Tcpstat11215).Bytes; // xnu tcp_getstat's zeroed copy
            IReadOnlyList<ProtocolStatistic> all = Read();
            Assert.Contains("only to root", Assert.Single(_warnings));
            Assert.Equal(0, all.Single(s => s.Protocol == NetworkProtocol.Tcp).ActiveOpens);
        }

        [Fact]
        public void RootSeesZeroTcpCountersWithoutAWarning()
        {
            _sysctls["net.inet.tcp.stats"] = new B(B.Tcpstat11215).Bytes;
            _uid = 0;
            Read();
            Assert.Empty(_warnings);
        }

        [Fact]
        public void AMissingSysctlLeavesItsCountersOut()
        {
            _sysctls.Remove("net.inet6.icmp6.stats");
            IReadOnlyList<ProtocolStatistic> all = Read();
            Assert.Equal(5, all.Count);
            Assert.Contains("net.inet6.icmp6.stats", Assert.Single(_verbose));
        }

        [Fact]
        public void OtherSysctlErrorsAreNotSwallowed()
        {
            var source = new MacProtocolStatisticSource(name => throw new Win32Exception(1, $"sysctl {name} failed."), () => 501); // EPERM
            Assert.Throws<Win32Exception>(() => source.GetStatistics(ListingDiagnostics.Silent));
        }

        [Fact]
        public void AStructOfAnUnknownSizeIsReadByItsKnownPartAndSaidSo()
        {
            _sysctls["net.inet.tcp.stats"] = new B(1000).U32(0, 7).Bytes;
            Assert.Equal(7, Read().Single(s => s.Protocol == NetworkProtocol.Tcp).ActiveOpens);
            Assert.Contains("first 356 bytes", Assert.Single(_verbose));
        }

        [Fact]
        public void ATruncatedStructIsInvalidDataAndTheCmdletsReadError()
        {
            _sysctls["net.inet.udp.stats"] = new byte[40];
            var e = Assert.Throws<System.IO.InvalidDataException>(() => Read());
            Assert.Contains("net.inet.udp.stats returned 40 bytes", e.Message);
            // A backend failure, so the cmdlet ends with its StatisticsReadFailed ReadError rather than an unhandled exception.
            Assert.True(BackendFailure.IsBackendFailure(e));
            Assert.NotNull(BackendFailure.ToErrorRecord(e, GetProtocolStatisticCommand.StatisticsReadFailedErrorId, "The protocol counters"));
        }

        [Fact]
        public void ChangeOverAnInterval()
        {
            IReadOnlyList<ProtocolStatistic> earlier = Read();
            _sysctls["net.inet.tcp.stats"] = new B(B.Tcpstat11215).U32(0, 10).Bytes;
            _sysctls["net.inet.icmp.stats"] = new B(B.Icmpstat).U32(196 + 4 * 8, 6).Bytes; // 6 echo requests arrive
            IReadOnlyList<ProtocolStatistic> later = Read();
            ProtocolStatistic tcp = later[2].WithChangeSince(earlier[2], 2.0);
            Assert.Equal(10, tcp.ActiveOpens);
            Assert.Equal(3, tcp.Delta!["tcps_connattempt"]);
            Assert.Equal(3, tcp.Delta["TcpActiveOpens"]);
            Assert.Equal(1.5, tcp.PerSecond!["TcpActiveOpens"]);
            Assert.Equal(0, tcp.Delta["tcps_accepts"]);
            // A histogram bucket left out while it was 0 changed by its whole value.
            ProtocolStatistic icmp = later[1].WithChangeSince(earlier[1], 2.0);
            Assert.Equal(6, icmp.Delta!["icps_inhist[8]"]);
            Assert.Equal(6, icmp.Delta["IcmpInEchos"]);
            Assert.Equal(3.0, icmp.PerSecond!["IcmpInMsgs"]);
        }
    }
}
