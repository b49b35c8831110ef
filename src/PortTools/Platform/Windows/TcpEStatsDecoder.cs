using System.Net;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// The read-only dynamic (ROD) structures of GetPerTcpConnectionEStats (tcpestats.h), combined into a <see cref="TcpDetail"/>,
    /// and the MIB_TCPROW / MIB_TCP6ROW that names a connection to it. Pure. Layouts: docs/dev/platform-layouts.md,
    /// "Extended TCP statistics".
    /// </summary>
    internal static class TcpEStatsDecoder
    {
        // TCP_ESTATS_TYPE.
        internal const int TcpConnectionEstatsData = 1, TcpConnectionEstatsSndCong = 2, TcpConnectionEstatsPath = 3, TcpConnectionEstatsObsRec = 6;

        internal const int DataRodLength = 96;    // ULONG64 x6, ULONG x5, ULONG64, ULONG, ULONG64 (8-aligned)
        internal const int PathRodLength = 160;   // ULONG x40
        internal const int ObsRecRodLength = 16;  // ULONG x4
        internal const int TcpRowLength = 20, Tcp6RowLength = 52;

        private const uint NotSampled = uint.MaxValue; // MinRtt before a sample, CurSsthresh before a loss (RFC 4898)

        /// <summary>
        /// TCP_ESTATS_SND_CONG_ROD_v0 holds three SIZE_T members: (ULONG, ULONG, SIZE_T) three times, then ULONGs, so
        /// its size follows the pointer size (88 bytes on 64-bit Windows, 72 on 32-bit).
        /// </summary>
        internal static int SndCongRodLength(int pointerSize) => Align(3 * SndLimGroup(pointerSize) + 9 * 4, pointerSize);

        private static int SndLimGroup(int pointerSize) => Align(8, pointerSize) + pointerSize;

        private static int Align(int value, int to) => (value + to - 1) / to * to;

        /// <summary>What TCP_ESTATS_DATA_ROD_v0 tells.</summary>
        internal sealed record DataRod(ulong BytesSent, ulong BytesAcked, ulong BytesReceived);

        /// <summary>What TCP_ESTATS_SND_CONG_ROD_v0 tells.</summary>
        internal sealed record SndCongRod(double ReceiveWindowLimitedMilliseconds, ulong CongestionWindowBytes, ulong? SlowStartThresholdBytes);

        /// <summary>What TCP_ESTATS_PATH_ROD_v0 tells.</summary>
        internal sealed record PathRod(uint TotalRetransmits, ulong BytesRetransmitted, double RttMilliseconds, double RttVarianceMilliseconds,
            double? MinRttMilliseconds, double RetransmitTimeoutMilliseconds, uint MaxSegmentSizeBytes);

        /// <summary>What TCP_ESTATS_OBS_REC_ROD_v0 tells.</summary>
        internal sealed record ObsRecRod(uint PeerReceiveWindowBytes);

        /// <summary>TCP_ESTATS_DATA_ROD_v0: DataBytesOut 0, ThruBytesAcked 72, ThruBytesReceived 88 (ULONG64).</summary>
        internal static DataRod ReadData(byte[] rod)
        {
            ByteReader.Require(rod.Length, 0, DataRodLength, "TCP_ESTATS_DATA_ROD_v0");
            return new DataRod(ByteReader.UInt64LittleEndian(rod, 0), ByteReader.UInt64LittleEndian(rod, 72), ByteReader.UInt64LittleEndian(rod, 88));
        }

        /// <summary>
        /// TCP_ESTATS_SND_CONG_ROD_v0: SndLimTimeRwin (ms) at 4; after the three SndLim groups, CurCwnd at +12 and
        /// CurSsthresh at +24 (bytes).
        /// </summary>
        internal static SndCongRod ReadSndCong(byte[] rod, int pointerSize)
        {
            ByteReader.Require(rod.Length, 0, SndCongRodLength(pointerSize), "TCP_ESTATS_SND_CONG_ROD_v0");
            int counters = 3 * SndLimGroup(pointerSize);
            uint ssthresh = ByteReader.UInt32LittleEndian(rod, counters + 24);
            return new SndCongRod(ByteReader.UInt32LittleEndian(rod, 4), ByteReader.UInt32LittleEndian(rod, counters + 12),
                ssthresh == NotSampled ? (ulong?)null : ssthresh);
        }

        /// <summary>
        /// TCP_ESTATS_PATH_ROD_v0, ULONGs: PktsRetrans 20, BytesRetrans 24, SmoothedRtt 108, RttVar 112, MinRtt 120,
        /// CurRto 132 (milliseconds), CurMss 144.
        /// </summary>
        internal static PathRod ReadPath(byte[] rod)
        {
            ByteReader.Require(rod.Length, 0, PathRodLength, "TCP_ESTATS_PATH_ROD_v0");
            uint At(int offset) => ByteReader.UInt32LittleEndian(rod, offset);
            return new PathRod(At(20), At(24), At(108), At(112), At(120) is uint minRtt && minRtt != NotSampled ? minRtt : (double?)null, At(132), At(144));
        }

        /// <summary>TCP_ESTATS_OBS_REC_ROD_v0: CurRwinRcvd at 0, the window the peer advertises (bytes).</summary>
        internal static ObsRecRod ReadObsRec(byte[] rod)
        {
            ByteReader.Require(rod.Length, 0, ObsRecRodLength, "TCP_ESTATS_OBS_REC_ROD_v0");
            return new ObsRecRod(ByteReader.UInt32LittleEndian(rod, 0));
        }

        /// <summary>
        /// The detail told by the RODs Windows collects for a connection (each null when not collected), or null when it
        /// collects none.
        /// </summary>
        internal static TcpDetail? Detail(DataRod? data, SndCongRod? sndCong, PathRod? path, ObsRecRod? obsRec) =>
            data == null && sndCong == null && path == null && obsRec == null ? null : new TcpDetail
            {
                BytesSent = data?.BytesSent,
                BytesAcked = data?.BytesAcked,
                BytesReceived = data?.BytesReceived,
                ReceiveWindowLimitedMilliseconds = sndCong?.ReceiveWindowLimitedMilliseconds,
                CongestionWindowBytes = sndCong?.CongestionWindowBytes,
                SlowStartThresholdBytes = sndCong?.SlowStartThresholdBytes,
                TotalRetransmits = path?.TotalRetransmits,
                BytesRetransmitted = path?.BytesRetransmitted,
                RttMilliseconds = path?.RttMilliseconds,
                RttVarianceMilliseconds = path?.RttVarianceMilliseconds,
                MinRttMilliseconds = path?.MinRttMilliseconds,
                RetransmitTimeoutMilliseconds = path?.RetransmitTimeoutMilliseconds,
                MaxSegmentSizeBytes = path?.MaxSegmentSizeBytes,
                PeerReceiveWindowBytes = obsRec?.PeerReceiveWindowBytes,
            };

        /// <summary>
        /// MIB_TCPROW for an IPv4 connection: dwState 0, dwLocalAddr 4, dwLocalPort 8, dwRemoteAddr 12, dwRemotePort 16;
        /// addresses in network order, ports in network order in the low two bytes.
        /// </summary>
        internal static byte[] TcpRow(TcpState state, IPAddress local, int localPort, IPAddress remote, int remotePort)
        {
            var row = new byte[TcpRowLength];
            ByteReader.WriteUInt32LittleEndian(row, 0, (uint)state); // MIB_TCP_STATE: TcpState shares its numbers
            local.GetAddressBytes().CopyTo(row, 4);
            WritePort(row, 8, localPort);
            remote.GetAddressBytes().CopyTo(row, 12);
            WritePort(row, 16, remotePort);
            return row;
        }

        /// <summary>
        /// MIB_TCP6ROW: State 0, LocalAddr 4, dwLocalScopeId 20, dwLocalPort 24, RemoteAddr 28, dwRemoteScopeId 44,
        /// dwRemotePort 48.
        /// </summary>
        internal static byte[] Tcp6Row(TcpState state, IPAddress local, int localPort, IPAddress remote, int remotePort, uint scopeId)
        {
            var row = new byte[Tcp6RowLength];
            ByteReader.WriteUInt32LittleEndian(row, 0, (uint)state);
            local.GetAddressBytes().CopyTo(row, 4);
            ByteReader.WriteUInt32LittleEndian(row, 20, scopeId);
            WritePort(row, 24, localPort);
            remote.GetAddressBytes().CopyTo(row, 28);
            ByteReader.WriteUInt32LittleEndian(row, 44, scopeId);
            WritePort(row, 48, remotePort);
            return row;
        }

        private static void WritePort(byte[] row, int offset, int port)
        {
            row[offset] = (byte)(port >> 8);
            row[offset + 1] = (byte)port;
        }
    }
}
