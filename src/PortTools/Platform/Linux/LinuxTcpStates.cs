using System.Collections.Generic;
using PortTools.Models;

namespace PortTools.Platform.Linux
{
    /// <summary>Linux TCP state numbers (include/net/tcp_states.h) to and from <see cref="TcpState"/>.</summary>
    internal static class LinuxTcpStates
    {
        // Index = kernel state; 12 is TCP_NEW_SYN_RECV, a request socket that dumps report as SYN_RECV.
        private static readonly TcpState?[] ByKernelState =
        {
            null,
            TcpState.Established, TcpState.SynSent, TcpState.SynReceived, TcpState.FinWait1, TcpState.FinWait2,
            TcpState.TimeWait, TcpState.Closed, TcpState.CloseWait, TcpState.LastAck, TcpState.Listen,
            TcpState.Closing, TcpState.SynReceived,
        };

        /// <summary>idiag_states with every classic state (bits 1-12); bit 13 (bound-inactive) is left out as ss does.</summary>
        internal const uint AllStates = 0x1FFE;

        /// <summary>
        /// The idiag_states of UDP sockets without a peer: an unconnected UDP socket stays TCP_CLOSE (7), a connected
        /// one is TCP_ESTABLISHED (net/ipv4/datagram.c, __ip4_datagram_connect).
        /// </summary>
        internal const uint UnconnectedUdp = 1u << 7;

        /// <summary>Whether a Linux socket can be in this state: DeleteTcb and Bound are Windows' own.</summary>
        internal static bool Exists(TcpState state) => System.Array.IndexOf(ByKernelState, state) > 0;

        internal static TcpState? ToTcpState(int kernelState) =>
            kernelState >= 0 && kernelState < ByKernelState.Length ? ByKernelState[kernelState] : null;

        /// <summary>The idiag_states bit mask that selects <paramref name="states"/>; all states when empty, 0 when none exists on Linux.</summary>
        internal static uint Mask(ICollection<TcpState> states)
        {
            if (states.Count == 0) return AllStates;
            uint mask = 0;
            for (int kernelState = 1; kernelState < ByKernelState.Length; kernelState++)
                if (ByKernelState[kernelState] is TcpState state && states.Contains(state))
                    mask |= 1u << kernelState;
            return mask;
        }

        /// <summary>Kernel state from the hex text of /proc/net/tcp.</summary>
        internal static TcpState? FromHex(string hex) =>
            int.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out int state) ? ToTcpState(state) : null;
    }
}
