using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// A connection's TCP details from its extended statistics (GetPerTcpConnectionEStats): the kinds Windows collects for
    /// it, decoded by <see cref="TcpEStatsDecoder"/>. Reads only: turning collection on needs an administrator and changes
    /// the connection, which a listing must not do.
    /// </summary>
    internal static class WindowsTcpDetails
    {
        /// <summary>The details of a connection, or null when Windows collects none of them for it.</summary>
        internal static TcpDetail? Read(SocketEntry socket) => Read(socket, IpHlpApi.TcpEStats, IntPtr.Size);

        /// <param name="socket">The connection.</param>
        /// <param name="estats">GetPerTcp(6)ConnectionEStats: (row, IPv6, type, ROD length) to the ROD, or null.</param>
        /// <param name="pointerSize">The process's pointer size, which sizes TCP_ESTATS_SND_CONG_ROD_v0.</param>
        internal static TcpDetail? Read(SocketEntry socket, Func<byte[], bool, int, int, byte[]?> estats, int pointerSize)
        {
            bool ipv6 = socket.Family == IPVersion.IPv6;
            TcpState state = socket.State ?? TcpState.Established;
            byte[] row = ipv6
                ? TcpEStatsDecoder.Tcp6Row(state, socket.LocalAddress, socket.LocalPort, socket.RemoteAddress, socket.RemotePort, socket.ScopeId)
                : TcpEStatsDecoder.TcpRow(state, socket.LocalAddress, socket.LocalPort, socket.RemoteAddress, socket.RemotePort);
            T? Rod<T>(int type, int length, Func<byte[], T> read) where T : class =>
                estats(row, ipv6, type, length) is byte[] rod ? read(rod) : null;
            return TcpEStatsDecoder.Detail(
                Rod(TcpEStatsDecoder.TcpConnectionEstatsData, TcpEStatsDecoder.DataRodLength, TcpEStatsDecoder.ReadData),
                Rod(TcpEStatsDecoder.TcpConnectionEstatsSndCong, TcpEStatsDecoder.SndCongRodLength(pointerSize), rod => TcpEStatsDecoder.ReadSndCong(rod, pointerSize)),
                Rod(TcpEStatsDecoder.TcpConnectionEstatsPath, TcpEStatsDecoder.PathRodLength, TcpEStatsDecoder.ReadPath),
                Rod(TcpEStatsDecoder.TcpConnectionEstatsObsRec, TcpEStatsDecoder.ObsRecRodLength, TcpEStatsDecoder.ReadObsRec));
        }
    }
}
