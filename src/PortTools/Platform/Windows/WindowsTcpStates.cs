using PortTools.Models;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// MIB_TCP_STATE (tcpmib.h; docs/dev/platform-layouts.md) to <see cref="TcpState"/>. The numbers happen to be
    /// TcpState's own, since TcpState copies Get-NetTCPConnection; they are mapped one by one all the same, so that
    /// the public enum can never change what a Windows row means.
    /// </summary>
    internal static class WindowsTcpStates
    {
        internal static TcpState? ToTcpState(uint state) => state switch
        {
            1 => TcpState.Closed,        // MIB_TCP_STATE_CLOSED
            2 => TcpState.Listen,        // MIB_TCP_STATE_LISTEN
            3 => TcpState.SynSent,       // MIB_TCP_STATE_SYN_SENT
            4 => TcpState.SynReceived,   // MIB_TCP_STATE_SYN_RCVD
            5 => TcpState.Established,   // MIB_TCP_STATE_ESTAB
            6 => TcpState.FinWait1,      // MIB_TCP_STATE_FIN_WAIT1
            7 => TcpState.FinWait2,      // MIB_TCP_STATE_FIN_WAIT2
            8 => TcpState.CloseWait,     // MIB_TCP_STATE_CLOSE_WAIT
            9 => TcpState.Closing,       // MIB_TCP_STATE_CLOSING
            10 => TcpState.LastAck,      // MIB_TCP_STATE_LAST_ACK
            11 => TcpState.TimeWait,     // MIB_TCP_STATE_TIME_WAIT
            12 => TcpState.DeleteTcb,    // MIB_TCP_STATE_DELETE_TCB
            _ => null,
        };
    }
}
