using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform.Windows;
using PortTools.Platform;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>The ROD structures as tcpestats.h declares them: members in order, SIZE_T as wide as a pointer.</summary>
    internal static class EStatsBuilder
    {
        internal static readonly string[] PathMembers =
        {
            "FastRetran", "Timeouts", "SubsequentTimeouts", "CurTimeoutCount", "AbruptTimeouts", "PktsRetrans", "BytesRetrans",
            "DupAcksIn", "SacksRcvd", "SackBlocksRcvd", "CongSignals", "PreCongSumCwnd", "PreCongSumRtt", "PostCongSumRtt",
            "PostCongCountRtt", "EcnSignals", "EceRcvd", "SendStall", "QuenchRcvd", "RetranThresh", "SndDupAckEpisodes",
            "SumBytesReordered", "NonRecovDa", "NonRecovDaEpisodes", "AckAfterFr", "DsackDups", "SampleRtt", "SmoothedRtt",
            "RttVar", "MaxRtt", "MinRtt", "SumRtt", "CountRtt", "CurRto", "MaxRto", "MinRto", "CurMss", "MaxMss", "MinMss",
            "SpuriousRtoDetections",
        }; // every member a ULONG

        internal static byte[] Path(Dictionary<string, ulong> values) => Build(PathMembers.Select(m => (m, 4)), values);

        internal static byte[] Data(Dictionary<string, ulong> values) => Build(new[]
        {
            ("DataBytesOut", 8), ("DataSegsOut", 8), ("DataBytesIn", 8), ("DataSegsIn", 8), ("SegsOut", 8), ("SegsIn", 8),
            ("SoftErrors", 4), ("SoftErrorReason", 4), ("SndUna", 4), ("SndNxt", 4), ("SndMax", 4), ("ThruBytesAcked", 8),
            ("RcvNxt", 4), ("ThruBytesReceived", 8),
        }, values);

        internal static byte[] SndCong(Dictionary<string, ulong> values, int pointerSize) => Build(new[]
        {
            ("SndLimTransRwin", 4), ("SndLimTimeRwin", 4), ("SndLimBytesRwin", pointerSize),
            ("SndLimTransCwnd", 4), ("SndLimTimeCwnd", 4), ("SndLimBytesCwnd", pointerSize),
            ("SndLimTransSnd", 4), ("SndLimTimeSnd", 4), ("SndLimBytesSnd", pointerSize),
            ("SlowStart", 4), ("CongAvoid", 4), ("OtherReductions", 4), ("CurCwnd", 4), ("MaxSsCwnd", 4), ("MaxCaCwnd", 4),
            ("CurSsthresh", 4), ("MaxSsthresh", 4), ("MinSsthresh", 4),
        }, values);

        internal static byte[] ObsRec(Dictionary<string, ulong> values) =>
            Build(new[] { ("CurRwinRcvd", 4), ("MaxRwinRcvd", 4), ("MinRwinRcvd", 4), ("WinScaleRcvd", 4) }, values);

        // Every member not given holds 0x55...: a decoder reading the wrong member reads a value no test expects.
        private static byte[] Build(IEnumerable<(string Name, int Size)> members, Dictionary<string, ulong> values)
        {
            var rod = new CStruct();
            foreach (var (name, size) in members) rod.Member(size, values.TryGetValue(name, out ulong value) ? value : 0x5555555555555555);
            return rod.ToArray();
        }
    }

    /// <summary>
    /// GetPerTcpConnectionEStats's ROD structures, laid out member by member from tcpestats.h (<see cref="EStatsBuilder"/>) for
    /// 64- and 32-bit Windows, a hand-written golden TCP_ESTATS_PATH_ROD_v0, the rows that name a connection, and the
    /// Windows backend reading them with -Detailed.
    /// </summary>
    public class WindowsTcpEStatsDecoderTests
    {
        [Fact]
        public void DecodesTheHandWrittenGoldenPathRod()
        {
            // TCP_ESTATS_PATH_ROD_v0, 40 ULONGs: PktsRetrans 3 (6th), BytesRetrans 4380, SmoothedRtt 48 ms (28th), RttVar 12,
            // MinRtt 20 (31st), CurRto 300 (34th), CurMss 1460 (37th); the rest 0.
            byte[] rod = Convert.FromHexString(string.Concat(
                "00000000 00000000 00000000 00000000 00000000 03000000 1c110000 00000000", // FastRetran .. PktsRetrans, BytesRetrans, DupAcksIn
                "00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000", // SacksRcvd .. EcnSignals
                "00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000", // EceRcvd .. NonRecovDaEpisodes
                "00000000 00000000 00000000 30000000 0c000000 00000000 14000000 00000000", // AckAfterFr, DsackDups, SampleRtt, SmoothedRtt, RttVar, MaxRtt, MinRtt, SumRtt
                "00000000 2c010000 00000000 00000000 b4050000 00000000 00000000 00000000"  // CountRtt, CurRto, MaxRto, MinRto, CurMss, MaxMss, MinMss, SpuriousRtoDetections
            ).Replace(" ", ""));
            TcpEStatsDecoder.PathRod d = TcpEStatsDecoder.ReadPath(rod);
            Assert.Equal((3u, 4380ul), (d.TotalRetransmits, d.BytesRetransmitted));
            Assert.Equal((48.0, 12.0, 20.0, 300.0), (d.RttMilliseconds, d.RttVarianceMilliseconds, d.MinRttMilliseconds!.Value,
                d.RetransmitTimeoutMilliseconds));
            Assert.Equal(1460u, d.MaxSegmentSizeBytes);
        }

        [Fact]
        public void DecodesEveryRodAsTheHeaderLaysItOut()
        {
            byte[] path = EStatsBuilder.Path(new Dictionary<string, ulong>
            {
                ["PktsRetrans"] = 9, ["BytesRetrans"] = 13140, ["SmoothedRtt"] = 35, ["RttVar"] = 7, ["MinRtt"] = 30, ["CurRto"] = 235, ["CurMss"] = 1448,
            });
            Assert.Equal(TcpEStatsDecoder.PathRodLength, path.Length);
            byte[] data = EStatsBuilder.Data(new Dictionary<string, ulong>
            {
                ["DataBytesOut"] = 5_000_000_001, ["ThruBytesAcked"] = 5_000_000_000, ["ThruBytesReceived"] = 7_000_000_002,
            });
            Assert.Equal(TcpEStatsDecoder.DataRodLength, data.Length);
            byte[] window = EStatsBuilder.ObsRec(new Dictionary<string, ulong> { ["CurRwinRcvd"] = 262144 });
            Assert.Equal(TcpEStatsDecoder.ObsRecRodLength, window.Length);
            byte[] congestion = EStatsBuilder.SndCong(new Dictionary<string, ulong> { ["SndLimTimeRwin"] = 1250, ["CurCwnd"] = 14480, ["CurSsthresh"] = 28960 }, 8);
            TcpDetail d = TcpEStatsDecoder.Detail(TcpEStatsDecoder.ReadData(data), TcpEStatsDecoder.ReadSndCong(congestion, 8),
                TcpEStatsDecoder.ReadPath(path), TcpEStatsDecoder.ReadObsRec(window))!;

            Assert.Equal((9u, 13140ul, 35.0, 7.0, 30.0, 235.0, 1448u), (d.TotalRetransmits!.Value, d.BytesRetransmitted!.Value, d.RttMilliseconds!.Value,
                d.RttVarianceMilliseconds!.Value, d.MinRttMilliseconds!.Value, d.RetransmitTimeoutMilliseconds!.Value, d.MaxSegmentSizeBytes!.Value));
            Assert.Equal((5_000_000_001ul, 5_000_000_000ul, 7_000_000_002ul), (d.BytesSent!.Value, d.BytesAcked!.Value, d.BytesReceived!.Value));
            Assert.Equal(262144u, d.PeerReceiveWindowBytes);
            Assert.Equal((14480ul, 28960ul, 1250.0), (d.CongestionWindowBytes!.Value, d.SlowStartThresholdBytes!.Value, d.ReceiveWindowLimitedMilliseconds!.Value));
            // What Windows does not have stays empty: segments, the algorithm, socket memory, timers.
            Assert.Null(d.CongestionWindowSegments);
            Assert.Null(d.CongestionControl);
            Assert.Null(d.SendBufferBytes);
            Assert.Null(d.Timer);
        }

        [Theory]
        [InlineData(8, 88)] // x64, arm64
        [InlineData(4, 72)] // x86
        public void ReadsTheCongestionRodAtEitherPointerSize(int pointerSize, int length)
        {
            byte[] rod = EStatsBuilder.SndCong(new Dictionary<string, ulong> { ["SndLimTimeRwin"] = 1250, ["CurCwnd"] = 14480, ["CurSsthresh"] = 28960 }, pointerSize);
            Assert.Equal(length, rod.Length);
            Assert.Equal(length, TcpEStatsDecoder.SndCongRodLength(pointerSize));
            TcpEStatsDecoder.SndCongRod d = TcpEStatsDecoder.ReadSndCong(rod, pointerSize);
            Assert.Equal((14480ul, 28960ul, 1250.0), (d.CongestionWindowBytes, d.SlowStartThresholdBytes!.Value, d.ReceiveWindowLimitedMilliseconds));
        }

        [Fact]
        public void UnsampledValuesAreEmpty()
        {
            TcpDetail d = TcpEStatsDecoder.Detail(null,
                TcpEStatsDecoder.ReadSndCong(EStatsBuilder.SndCong(new Dictionary<string, ulong> { ["CurSsthresh"] = uint.MaxValue }, 8), 8),
                TcpEStatsDecoder.ReadPath(EStatsBuilder.Path(new Dictionary<string, ulong> { ["MinRtt"] = uint.MaxValue })), null)!;
            Assert.Null(d.MinRttMilliseconds);
            Assert.Null(d.SlowStartThresholdBytes);
        }

        [Fact]
        public void ShortRodsAreFormatErrors()
        {
            Assert.Throws<FormatException>(() => TcpEStatsDecoder.ReadPath(new byte[TcpEStatsDecoder.PathRodLength - 4]));
            Assert.Throws<FormatException>(() => TcpEStatsDecoder.ReadData(new byte[TcpEStatsDecoder.DataRodLength - 8]));
            Assert.Throws<FormatException>(() => TcpEStatsDecoder.ReadSndCong(new byte[72], 8));
            Assert.Throws<FormatException>(() => TcpEStatsDecoder.ReadObsRec(new byte[12]));
        }

        [Fact]
        public void NamesAConnectionWithTheRowsOfTcpmibH()
        {
            // MIB_TCPROW: ESTABLISHED (5), 192.0.2.10:52000 -> 198.51.100.7:443; ports in network order, then 2 spare bytes.
            Assert.Equal("05000000" + "c000020a" + "cb200000" + "c6336407" + "01bb0000", Convert.ToHexString(
                TcpEStatsDecoder.TcpRow(TcpState.Established, IPAddress.Parse("192.0.2.10"), 52000, IPAddress.Parse("198.51.100.7"), 443)).ToLowerInvariant());
            // MIB_TCP6ROW: State, LocalAddr, dwLocalScopeId, dwLocalPort, RemoteAddr, dwRemoteScopeId, dwRemotePort.
            byte[] expected = new CStruct().Member(4, 5).Raw(IPAddress.Parse("fe80::1").GetAddressBytes()).Member(4, 7).Raw(0x1f, 0x90, 0, 0)
                .Raw(IPAddress.Parse("fe80::2").GetAddressBytes()).Member(4, 7).Raw(0xc3, 0x50, 0, 0).ToArray();
            Assert.Equal(expected, TcpEStatsDecoder.Tcp6Row(TcpState.Established, IPAddress.Parse("fe80::1"), 8080, IPAddress.Parse("fe80::2"), 50000, 7));
        }

        private static SocketEntry Connection(IPVersion family, TcpState state) => family == IPVersion.IPv4
            ? new SocketEntry(TransportProtocol.Tcp, family, state, IPAddress.Parse("192.0.2.10"), 52000, IPAddress.Parse("198.51.100.7"), 443)
            : new SocketEntry(TransportProtocol.Tcp, family, state, IPAddress.Parse("2001:db8::10"), 52000, IPAddress.Parse("2001:db8::7"), 443);

        [Theory]
        [InlineData(IPVersion.IPv4)]
        [InlineData(IPVersion.IPv6)]
        public void ReadsTheKindsWindowsCollectsForTheConnection(IPVersion family)
        {
            var asked = new List<(int Type, int Length, bool Ipv6, int RowLength)>();
            TcpDetail? d = WindowsTcpDetails.Read(Connection(family, TcpState.Established), (row, ipv6, type, length) =>
            {
                asked.Add((type, length, ipv6, row.Length));
                // Only the path statistics are collected for this connection.
                return type == TcpEStatsDecoder.TcpConnectionEstatsPath ? EStatsBuilder.Path(new Dictionary<string, ulong> { ["SmoothedRtt"] = 21 }) : null;
            }, pointerSize: 8);
            Assert.Equal(21.0, d!.RttMilliseconds);
            Assert.Null(d.BytesSent);
            bool v6 = family == IPVersion.IPv6;
            Assert.Equal(new[] { (1, 96, v6, v6 ? 52 : 20), (2, 88, v6, v6 ? 52 : 20), (3, 160, v6, v6 ? 52 : 20), (6, 16, v6, v6 ? 52 : 20) }, asked);
            Assert.Null(WindowsTcpDetails.Read(Connection(family, TcpState.Established), (row, ipv6, type, length) => null, 8));
        }

        [Fact]
        public void TheBackendReadsDetailsOfConnectionsOnlyWithDetailedAndWarnsOnceWhenNoneAreCollected()
        {
            byte[] tcp4 = OwnerPidTable.Tcp4(
                (2, "0.0.0.0", 80, "0.0.0.0", 0, 100),          // LISTEN: no statistics
                (5, "127.0.0.1", 80, "127.0.0.1", 50000, 100),  // collected
                (5, "127.0.0.1", 50000, "127.0.0.1", 80, 200),  // not collected
                (11, "127.0.0.1", 50001, "127.0.0.1", 80, 0));  // TIME_WAIT: no statistics
            var read = new List<int>();
            var warnings = new List<string>();
            List<PortConnection> List(bool detailed) => new WindowsConnectionSource(
                    (family, tableClass) => family == 2 ? tcp4 : OwnerPidTable.Tcp6(),
                    family => family == 2 ? OwnerPidTable.Udp4(("0.0.0.0", 53, 100u)) : OwnerPidTable.Udp6(),
                    () => new Dictionary<int, string>(), pid => null,
                    tcpDetail: socket =>
                    {
                        read.Add(socket.LocalPort);
                        return socket.LocalPort == 80 ? new TcpDetail { RttMilliseconds = 1 } : null;
                    })
                .GetConnections(new ConnectionQuery { Detailed = detailed }, new ListingDiagnostics(_ => { }, warnings.Add), CancellationToken.None)
                .ToList();

            Assert.All(List(detailed: false), c => Assert.Null(c.Detail));
            Assert.Empty(read);
            List<PortConnection> all = List(detailed: true);
            Assert.Equal(new[] { 80, 50000 }, read);
            Assert.Equal(1.0, all.Single(c => c.LocalPort == 80 && c.State == TcpState.Established).Detail!.RttMilliseconds);
            Assert.Single(all, c => c.Detail != null);
            Assert.Contains("SetPerTcpConnectionEStats", Assert.Single(warnings));
        }
    }
}
