using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform.MacOS;
using PortTools.Platform.Windows;
using PortTools.Platform;
using PortTools.Services;

namespace PortTools.Tests
{
    /// <summary>
    /// Every decoder, its seeds and its clean rejection. Seeds are the real captures under tests/Fixtures; where
    /// none can be taken on this machine (Windows, macOS), the builders and golden bytes the decoder tests use.
    /// Each decoder is called as its backend calls it, and every lazy result is enumerated to the end.
    /// </summary>
    internal static class FuzzTargets
    {
        private static readonly Type Format = typeof(FormatException);
        private static readonly Type Header = typeof(InvalidDataException);

        private static readonly Dictionary<int, string> LinuxLinks = File.ReadAllLines(Fixtures.Linux("links.txt"))
            .Select(line => line.Split(' ')).ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture), f => f[1]);

        private static readonly Dictionary<int, string> WindowsAliases = new Dictionary<int, string> { [1] = "Loopback Pseudo-Interface 1", [12] = "Ethernet" };

        internal static readonly IReadOnlyList<IFuzzTarget> All = new[]
        {
            FuzzTarget.Binary("netlink", LinuxBinaries(""), bytes => Every(NetlinkDecoder.Split(bytes, bytes.Length)
                .Select(m => (Action)(() => NetlinkDecoder.ErrorCode(m)))), Format),
            FuzzTarget.Binary("sock_diag", LinuxBinaries("sock-diag-"), bytes =>
            {
                var addresses = new AddressCache();
                Every(NetlinkDecoder.Split(bytes, bytes.Length).Where(m => m.Type == InetDiag.SOCK_DIAG_BY_FAMILY).SelectMany(m => new Action[]
                {
                    () => Possible(InetDiag.Decode(m, TransportProtocol.Tcp, addresses)),
                    () => Possible(InetDiag.Decode(m, TransportProtocol.Udp, addresses)),
                }));
            }, Format),
            // A detailed dump (ss -tinmo): tcp_info, the congestion control name, sk_meminfo and the timer of each TCP socket.
            FuzzTarget.Binary("tcp_info", TcpInfoSeeds(), bytes =>
            {
                var addresses = new AddressCache();
                Every(NetlinkDecoder.Split(bytes, bytes.Length).Where(m => m.Type == InetDiag.SOCK_DIAG_BY_FAMILY)
                    .Select(m => (Action)(() => Possible(InetDiag.Decode(m, TransportProtocol.Tcp, addresses, detailed: true).Detail))));
            }, Format),
            FuzzTarget.Binary("rtnetlink", LinuxBinaries("rtnl-route-"), bytes =>
            {
                InterfaceNames names = LinuxNames();
                // acceptCloned: a lookup's answer is read with it, a dump's without.
                Every(NetlinkDecoder.Split(bytes, bytes.Length).SelectMany(m => new Action[]
                {
                    () => Possible(RtnlRouteDecoder.Decode(m, names)),
                    () => Possible(RtnlRouteDecoder.Decode(m, names, acceptCloned: true)),
                }));
            }, Format),
            // The /proc text tables (Platform/Linux/ProcText.cs): a line that cannot be read is skipped and counted, so
            // the only rejection is a header this version does not read (the files that have one).
            FuzzTarget.Text("proc-net-sockets", LinuxTexts("proc-net-tcp", "proc-net-udp"), text => Every(
                from protocol in new[] { TransportProtocol.Tcp, TransportProtocol.Udp }
                from family in new[] { IPVersion.IPv4, IPVersion.IPv6 }
                select (Action)(() => Possible(ProcNetParser.ParseSockets(new StringReader(text), protocol, family, "test", ListingDiagnostics.Silent).ToArray()))), Header),
            FuzzTarget.Text("proc-net-route", LinuxTexts("proc-net-route"),
                text => Possible(ProcRouteParser.ParseRoute(new StringReader(text), LinuxNames(), "test", ListingDiagnostics.Silent).ToArray()), Header),
            FuzzTarget.Text("proc-net-ipv6_route", LinuxTexts("proc-net-ipv6_route"),
                text => Possible(ProcRouteParser.ParseIpv6Route(new StringReader(text), LinuxNames(), "test", ListingDiagnostics.Silent).ToArray())),
            FuzzTarget.Text("proc-net-dev", LinuxTexts("proc-net-dev"), text => ProcNetDevParser.Parse(new StringReader(text), "test", ListingDiagnostics.Silent).Count(), Header),
            FuzzTarget.Text("proc-net-snmp", LinuxTexts("proc-net-snmp.txt", "proc-net-snmp-", "proc-net-netstat"),
                text => SnmpParser.ParsePairs(new StringReader(text), "test", ListingDiagnostics.Silent).Count()),
            FuzzTarget.Text("proc-net-snmp6", LinuxTexts("proc-net-snmp6"), text => SnmpParser.ParseSnmp6(new StringReader(text), "test", ListingDiagnostics.Silent).Count()),
            // Documented to find no unit in what it cannot read: no rejection at all.
            FuzzTarget.Text("proc-pid-cgroup", LinuxTexts("proc-pid-cgroup-", "proc-1-cgroup-"), text => PossibleUnit(CgroupUnit.Of(text, text))),
            FuzzTarget.Text("passwd", new[] { ("passwd", Fixtures.Text("fuzz/seeds/passwd")) }, text => PasswdFile.Parse(new StringReader(text))),
            FuzzTarget.Binary("windows-owner-pid", OwnerPidSeeds(), bytes =>
            {
                var addresses = new AddressCache();
                Every(new Action[]
                {
                    () => Possible(OwnerPidTableDecoder.Tcp4(bytes, addresses).ToArray()),
                    () => Possible(OwnerPidTableDecoder.Tcp6(bytes, addresses).ToArray()),
                    () => Possible(OwnerPidTableDecoder.Udp4(bytes, addresses).ToArray()),
                    () => Possible(OwnerPidTableDecoder.Udp6(bytes, addresses).ToArray()),
                });
            }, Format),
            // GetBestRoute2 fills one row and a SOCKADDR_INET, read at offset 0.
            FuzzTarget.Binary("windows-forward-table2", ForwardTableSeeds(), bytes => Every(new Action[]
            {
                () => Possible(ForwardTable2Decoder.Decode(bytes, WindowsAliases).ToArray()),
                () => Possible(ForwardTable2Decoder.DecodeRow(bytes, 0, WindowsAliases)),
                () => ForwardTable2Decoder.SockaddrInet(bytes, 0, "BestSourceAddress"),
            }), Format),
            // The input is lpServicesReturned (a DWORD), then the buffer at ServiceStatusBuffer.BaseAddress.
            FuzzTarget.Binary("windows-services", ServiceSeeds(), bytes => Every(
                from pointerSize in new[] { 8, 4 }
                select (Action)(() => PossibleServices(ServiceStatusProcessDecoder.Decode(bytes.Skip(4).ToArray(), Math.Max(0, bytes.Length - 4),
                    ServiceStatusBuffer.BaseAddress, bytes.Length < 4 ? 0 : BitConverter.ToInt32(bytes, 0), pointerSize)))), Format),
            // One GetPerTcpConnectionEStats ROD, read as every kind (the 64- and 32-bit congestion layouts alike).
            FuzzTarget.Binary("windows-tcp-estats", TcpEStatsSeeds(), bytes => Every(new Action[]
            {
                () => TcpEStatsDecoder.ReadPath(bytes),
                () => TcpEStatsDecoder.ReadData(bytes),
                () => TcpEStatsDecoder.ReadSndCong(bytes, 8),
                () => TcpEStatsDecoder.ReadSndCong(bytes, 4),
                () => TcpEStatsDecoder.ReadObsRec(bytes),
            }), Format),
            FuzzTarget.Binary("windows-if-table2", IfTableSeeds(), bytes => IfTable2Decoder.Decode(bytes), Format),
            FuzzTarget.Binary("windows-statistics", StatisticsSeeds(), bytes => Every(
                from family in new[] { IPVersion.IPv4, IPVersion.IPv6 }
                from decode in new Func<byte[], IPVersion, ProtocolStatistic>[] { StatisticsDecoder.Ip, StatisticsDecoder.Icmp, StatisticsDecoder.Tcp, StatisticsDecoder.Udp }
                select (Action)(() => decode(bytes, family))), Format),
            FuzzTarget.Binary("macos-pcblist", PcbListSeeds(), bytes =>
            {
                var addresses = new AddressCache();
                Every(new Action[]
                {
                    () => Possible(PcbListDecoder.Decode(bytes, bytes.Length, TransportProtocol.Tcp, addresses).Sockets.ToArray()),
                    () => Possible(PcbListDecoder.Decode(bytes, bytes.Length, TransportProtocol.Udp, addresses).Sockets.ToArray()),
                    () =>
                    {
                        foreach (SocketEntry s in PcbListDecoder.Decode(bytes, bytes.Length, TransportProtocol.Tcp, addresses, detailed: true).Sockets)
                        {
                            Possible(s);
                            Possible(s.Detail);
                        }
                    },
                });
            }, Format),
            FuzzTarget.Binary("macos-route-dump", RouteDumpSeeds(),
                bytes => Possible(RouteDumpDecoder.Decode(bytes, bytes.Length, MacRouteDecoderTests.Names).Select(r => r.Entry).ToArray()),
                typeof(InvalidDataException)),
            FuzzTarget.Binary("macos-iflist", IfListSeeds(), bytes => InterfaceListDecoder.Decode(bytes, bytes.Length), typeof(InvalidDataException)),
            // One buffer read as each struct, as the backend reads each sysctl.
            FuzzTarget.Binary("macos-statistics", MacStatisticsSeeds(), bytes => Every<InvalidDataException>(
                MacStatistics.All.Select(stat => (Action)(() => stat.Decode(bytes, bytes.Length)))), typeof(InvalidDataException)),
            // Documented to skip the lines it cannot read, as getservent(3) does.
            FuzzTarget.Text("services", new[] { ("services", Fixtures.Text("services/services")) }, text => ServicesFileParser.Parse(new StringReader(text))),
            FuzzTarget.Text("iana-csv", IanaSlices(), text => IanaCsvParser.Parse(text), typeof(InvalidDataException)),
        };

        internal static IFuzzTarget Get(string name) => All.Single(t => t.Name == name);

        /// <summary>
        /// What no input can excuse in a decoded socket: a port outside 16 bits, an address of the other family.
        /// Such a socket would be listed, filtered and named by port as if it were real.
        /// </summary>
        private static void Possible(params SocketEntry[] sockets)
        {
            foreach (SocketEntry s in sockets)
            {
                if (s.LocalPort < 0 || s.LocalPort > 65535 || s.RemotePort < 0 || s.RemotePort > 65535)
                    throw new ImpossibleValueException($"a socket with ports {s.LocalPort} and {s.RemotePort}");
                if (Family(s.LocalAddress) != s.Family || Family(s.RemoteAddress) != s.Family)
                    throw new ImpossibleValueException($"an {s.Family} socket from {s.LocalAddress} to {s.RemoteAddress}");
            }
        }

        /// <summary>A TCP socket's detail has a timer, and a time left only when that timer runs.</summary>
        private static void Possible(TcpDetail? detail)
        {
            if (detail?.Timer == null) throw new ImpossibleValueException("a TCP socket without its timer");
            if ((detail.Timer == TcpTimer.None) != (detail.TimerRemainingMilliseconds == null))
                throw new ImpossibleValueException($"timer {detail.Timer} with {detail.TimerRemainingMilliseconds} ms left");
        }

        /// <summary>A decoded route's prefix length fits its address (the route queries compare and sort by it).</summary>
        private static void Possible(params RouteEntry?[] routes)
        {
            foreach (RouteEntry? r in routes)
            {
                if (r != null && (r.PrefixLength < 0 || r.PrefixLength > (r.AddressFamily == IPVersion.IPv4 ? 32 : 128)))
                    throw new ImpossibleValueException($"an {r.AddressFamily} route {r.DestinationPrefix} with prefix length {r.PrefixLength}");
            }
        }

        /// <summary>A unit is a valid unit name, never a path (OwningService, -ServiceName).</summary>
        private static void PossibleUnit(string? unit)
        {
            if (unit != null && (!CgroupUnit.IsValidName(unit, allowInstance: true) || unit.Contains('/')))
                throw new ImpossibleValueException($"the unit {unit}");
        }

        /// <summary>A service runs in a real process: pid above 0.</summary>
        private static void PossibleServices(List<(string Name, int ProcessId)> services)
        {
            foreach (var (name, pid) in services)
            {
                if (pid <= 0) throw new ImpossibleValueException($"the service {name} in process {pid}");
            }
        }

        private static IPVersion Family(IPAddress address) =>
            address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IPVersion.IPv4 : IPVersion.IPv6;

        /// <summary>
        /// Runs every decoder on the same input, so that one's clean rejection does not hide another's crash: a
        /// crash surfaces at once; a rejection is rethrown (and counted) only when every decoder rejected the input.
        /// </summary>
        private static void Every(IEnumerable<Action> decoders) => Every<FormatException>(decoders);

        private static void Every<TRejection>(IEnumerable<Action> decoders) where TRejection : Exception
        {
            Exception? rejection = null;
            bool accepted = false;
            foreach (Action decode in decoders)
            {
                try
                {
                    decode();
                    accepted = true;
                }
                catch (TRejection e)
                {
                    rejection ??= e;
                }
            }
            if (rejection != null && !accepted) throw rejection;
        }

        private static IEnumerable<(string, byte[])> LinuxBinaries(string prefix) =>
            FixtureFiles("linux", prefix + "*.bin").Select(name => (name, Fixtures.LinuxBytes(name)));

        private static IEnumerable<(string, string)> LinuxTexts(params string[] prefixes) =>
            prefixes.SelectMany(prefix => FixtureFiles("linux", prefix.EndsWith(".txt", StringComparison.Ordinal) ? prefix : prefix + "*.txt"))
                .Select(name => (name, Fixtures.Text("linux/" + name)));

        // Sorted: the seed order is part of what makes a run reproducible.
        private static IEnumerable<string> FixtureFiles(string folder, string pattern) =>
            Directory.GetFiles(Fixtures.PathOf(folder), pattern).Select(path => Path.GetFileName(path)).OrderBy(n => n, StringComparer.Ordinal);

        // The captured dump, and a built reply with every attribute at the newest tcp_info size.
        private static IEnumerable<(string, byte[])> TcpInfoSeeds() => LinuxBinaries("sock-diag-tcp4-info").Append(("built", SockDiagBuilder.Message(1, 1, 2, 400,
            attributes: new[]
            {
                ((ushort)2, SockDiagBuilder.TcpInfo(new Dictionary<string, ulong> { ["tcpi_rtt"] = 1500, ["tcpi_snd_cwnd"] = 10, ["tcpi_bytes_acked"] = 1000 })),
                ((ushort)4, SockDiagBuilder.CString("cubic")),
                ((ushort)7, SockDiagBuilder.MemInfo(0, 131072, 0, 16384, 0, 0, 0, 0, 0)),
            })));

        private static IEnumerable<(string, byte[])> TcpEStatsSeeds()
        {
            var values = new Dictionary<string, ulong> { ["SmoothedRtt"] = 35, ["ThruBytesAcked"] = 1000, ["CurCwnd"] = 14480, ["CurRwinRcvd"] = 65536 };
            yield return ("path", EStatsBuilder.Path(values));
            yield return ("data", EStatsBuilder.Data(values));
            yield return ("snd-cong-64", EStatsBuilder.SndCong(values, 8));
            yield return ("obs-rec", EStatsBuilder.ObsRec(values));
        }

        // A fresh cache per input, as each listing gets one.
        private static InterfaceNames LinuxNames() => InterfaceNames.FromMap(LinuxLinks);

        private static IEnumerable<(string, byte[])> OwnerPidSeeds()
        {
            yield return ("tcp4", OwnerPidTable.Tcp4((2, "0.0.0.0", 445, "0.0.0.0", 0, 4), (5, "192.0.2.10", 52000, "198.51.100.7", 443, 4242),
                (11, "127.0.0.1", 8080, "127.0.0.1", 51000, 0)));
            yield return ("tcp6", OwnerPidTable.Tcp6(("::", 0u, 135, "::", 0u, 0, 2u, 1000u), ("fe80::1", 7u, 8443, "fe80::2", 7u, 51000, 5u, 4242u)));
            yield return ("udp4", OwnerPidTable.Udp4(("0.0.0.0", 53, 1500u), ("192.0.2.10", 5353, 77u)));
            yield return ("udp6", OwnerPidTable.Udp6(("::", 0u, 500, 4u), ("fe80::1", 7u, 546, 1500u)));
        }

        private static IEnumerable<(string, byte[])> ServiceSeeds()
        {
            byte[] x64 = ServiceStatusBuffer.Build(true, ("Dnscache", "DNS Client", 1320), ("LanmanWorkstation", "Workstation", 1320), ("wuauserv", "Windows Update", 0));
            yield return ("x64", BitConverter.GetBytes(3).Concat(x64).ToArray());
            byte[] x86 = ServiceStatusBuffer.Build(false, ("Spooler", "Print Spooler", 2448));
            yield return ("x86", BitConverter.GetBytes(1).Concat(x86).ToArray());
        }

        // MIB_IPFORWARD_ROW2 at the offsets of platform-backends.md §2.4 (the decoder tests' layout).
        private static IEnumerable<(string, byte[])> ForwardTableSeeds()
        {
            static byte[] Row(uint index, string prefix, byte length, string nextHop, uint metric, uint protocol, uint origin)
            {
                var row = new byte[ForwardTable2Decoder.RowSize];
                BitConverter.GetBytes(index).CopyTo(row, 8);
                ForwardTable2Decoder.EncodeSockaddrInet(IPAddress.Parse(prefix)).CopyTo(row, 12);
                row[40] = length;
                ForwardTable2Decoder.EncodeSockaddrInet(IPAddress.Parse(nextHop)).CopyTo(row, 44);
                BitConverter.GetBytes(metric).CopyTo(row, 84);
                BitConverter.GetBytes(protocol).CopyTo(row, 88);
                BitConverter.GetBytes(origin).CopyTo(row, 100);
                return row;
            }
            byte[] defaultRoute = Row(12, "0.0.0.0", 0, "192.0.2.1", 25, 3, 2);
            yield return ("table", WindowsMibTable.Build(ForwardTable2Decoder.RowsOffset, new[]
            {
                defaultRoute, Row(12, "192.0.2.0", 24, "0.0.0.0", 281, 2, 0), Row(1, "::1", 128, "::", 256, 2, 0),
                Row(12, "::", 0, "fe80::1", 256, 4, 3),
            }));
            yield return ("best-route-row", defaultRoute);
        }

        // MIB_IF_ROW2 at the offsets of platform-backends.md §2.5: index 8, alias 28, MTU 1124, flags 1152,
        // oper status 1156, 18 counters from 1208.
        private static IEnumerable<(string, byte[])> IfTableSeeds()
        {
            static byte[] Row(uint index, string alias, uint mtu, byte flags, ulong counters)
            {
                var row = new byte[IfTable2Decoder.RowSize];
                BitConverter.GetBytes(index).CopyTo(row, 8);
                Encoding.Unicode.GetBytes(alias).CopyTo(row, 28);
                BitConverter.GetBytes(mtu).CopyTo(row, 1124);
                row[1152] = flags;
                BitConverter.GetBytes(1u).CopyTo(row, 1156);
                for (int c = 0; c < 18; c++) BitConverter.GetBytes(counters + (ulong)c).CopyTo(row, 1208 + 8 * c);
                return row;
            }
            yield return ("table", WindowsMibTable.Build(IfTable2Decoder.RowsOffset, new[]
            {
                Row(1, "Loopback Pseudo-Interface 1", uint.MaxValue, 0, 0), Row(12, "Ethernet", 1500, 0, 5_000_000_000),
                Row(13, "Ethernet-WFP Native MAC Layer LightWeight Filter-0000", 1500, 0x02, 5_000_000_000),
            }));
        }

        // Each structure at its exact size with a distinct value per DWORD, so a misread field is not always zero.
        private static IEnumerable<(string, byte[])> StatisticsSeeds() =>
            new[]
            {
                ("ipstats", StatisticsDecoder.IpStatsLength), ("icmp-ex", StatisticsDecoder.IcmpExLength), ("tcpstats", StatisticsDecoder.TcpStatsLength),
                ("tcpstats2", StatisticsDecoder.TcpStats2Length), ("udpstats", StatisticsDecoder.UdpStatsLength), ("udpstats2", StatisticsDecoder.UdpStats2Length),
            }.Select(s => (s.Item1, Enumerable.Range(1, s.Item2 / 4).SelectMany(i => BitConverter.GetBytes((uint)i * 7)).ToArray()));

        // Each struct at each release's size with a distinct value per word, and the hand-written udpstat.
        private static IEnumerable<(string, byte[])> MacStatisticsSeeds() =>
            new[]
            {
                ("tcpstat-8019", MacStatisticsBuilder.Tcpstat8019), ("tcpstat-8792", MacStatisticsBuilder.Tcpstat8792),
                ("tcpstat-11215", MacStatisticsBuilder.Tcpstat11215), ("ipstat-8019", MacStatisticsBuilder.Ipstat8019),
                ("ipstat-11215", MacStatisticsBuilder.Ipstat11215), ("icmpstat", MacStatisticsBuilder.Icmpstat),
                ("ip6stat", MacStatisticsBuilder.Ip6stat), ("icmp6stat", MacStatisticsBuilder.Icmp6stat),
            }.Select(s => (s.Item1, MacStatisticsBuilder.Numbered(s.Item2).Bytes))
            .Append(("udpstat-golden", Fixtures.MacHex("udpstat-golden.hex")));

        private static IEnumerable<(string, byte[])> PcbListSeeds()
        {
            yield return ("tcp-listen-golden", Fixtures.MacHex("tcp-listen-golden.hex"));
            yield return ("tcp-detail-golden", Fixtures.MacHex("tcp-detail-golden.hex"));
            yield return ("tcp", new MacPcbListBuilder(tcp: true)
                .Add(new MacPcb { LocalAddress = IPAddress.Loopback, LocalPort = 8080, QLen = 3, QLimit = 128 })
                .Add(new MacPcb { LocalAddress = IPAddress.Parse("fe80::1"), LocalPort = 22, RemoteAddress = IPAddress.Parse("fe80::2"), RemotePort = 50000, TState = 4 })
                .Add(new MacPcb { LocalPort = 443, TState = 4, Growth = 20, GenCnt = 99 })
                .Build());
            yield return ("udp", new MacPcbListBuilder(tcp: false)
                .Add(new MacPcb { LocalPort = 53, Protocol = 17 })
                .Add(new MacPcb { LocalAddress = IPAddress.IPv6Any, LocalPort = 5353, Protocol = 17, VFlag = 3 })
                .Build());
        }

        private static IEnumerable<(string, byte[])> RouteDumpSeeds()
        {
            const int up = 0x1, gateway = 0x2, host = 0x4, isStatic = 0x800, ifScope = 0x1000000;
            yield return ("route-dump-golden", Fixtures.MacHex("route-dump-golden.hex"));
            yield return ("routes", new MacRouteMessageBuilder()
                .Route(4, up | gateway | isStatic, MacRouteMessageBuilder.In4("0.0.0.0"), MacRouteMessageBuilder.In4("192.0.2.1"),
                    MacRouteMessageBuilder.Mask(0, 4), MacRouteMessageBuilder.In4("192.0.2.10"))
                .Route(4, up, MacRouteMessageBuilder.In4("192.0.2.0"), MacRouteMessageBuilder.Link(4), MacRouteMessageBuilder.Mask(25, 4))
                .Address(4, MacRouteMessageBuilder.In4("192.0.2.10"))
                .Route(1, up | host, MacRouteMessageBuilder.In6("::1"), MacRouteMessageBuilder.In6("::1"))
                .Route(5, up | ifScope, MacRouteMessageBuilder.In6("fe80::", embeddedScope: 5), MacRouteMessageBuilder.Link(5),
                    MacRouteMessageBuilder.Mask(64, 8), MacRouteMessageBuilder.In6("fe80::b", scopeId: 5))
                .Build());
        }

        private static IEnumerable<(string, byte[])> IfListSeeds()
        {
            yield return ("iflist-golden", Fixtures.MacHex("iflist-golden.hex"));
            yield return ("interfaces", new MacRouteMessageBuilder()
                .Interface(new MacInterface { Index = 1, Name = "lo0", IPackets = 5, IBytes = 1024 })
                .Address(1, MacRouteMessageBuilder.In6("::1"))
                .Interface(new MacInterface { Index = 4, Name = "en0", IPackets = 9, IMcasts = 2, SendDrops = 1 })
                .Interface(new MacInterface { Index = 23, Name = "utun3" }, MacRouteMessageBuilder.Link(23, "utun3"))
                .Build());
        }

        /// <summary>
        /// The header and runs of whole records from the shipped registry (the 1.1 MB file takes too long per case):
        /// the start, the multi-line notes of www-http, and the end.
        /// </summary>
        private static IEnumerable<(string, string)> IanaSlices()
        {
            string text;
            using (TextReader reader = ServiceRegistry.OpenIanaText()) text = reader.ReadToEnd();
            var lineStarts = new List<int> { 0 };
            for (int i = 0; i < text.Length; i++) if (text[i] == '\n') lineStarts.Add(i + 1);
            lineStarts.Add(text.Length);
            List<int> records = IanaCsvParser.ReadRows(text).Select(row => lineStarts[row.Line - 1]).ToList();
            records.Add(text.Length);
            string header = text.Substring(0, records[1]);
            int wwwHttp = records.FindIndex(start => text.AsSpan(start).StartsWith("www-http,".AsSpan()));
            foreach (int first in new[] { 1, wwwHttp - 10, records.Count - 21 })
            {
                int last = Math.Min(first + 20, records.Count - 1);
                yield return ($"records {first}-{last}", header + text.Substring(records[first], records[last] - records[first]));
            }
        }
    }
}
