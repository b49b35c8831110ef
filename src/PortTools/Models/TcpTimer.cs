namespace PortTools.Models
{
    /// <summary>
    /// The TCP timer that runs on a socket, as ss -o names it (timer:(on|keepalive|timewait|persist|delack,...)).
    /// Linux reports one per socket (idiag_timer in linux/inet_diag.h).
    /// </summary>
    public enum TcpTimer
    {
        /// <summary>No timer runs (ss prints no timer).</summary>
        None = 0,

        /// <summary>Retransmission, loss probe or reordering timeout: data is in flight unacknowledged (ss: on).</summary>
        Retransmit = 1,

        /// <summary>Keepalive, or a listener's SYN-ACK timer (ss: keepalive).</summary>
        KeepAlive = 2,

        /// <summary>The TIME_WAIT period before the socket is freed (ss: timewait).</summary>
        TimeWait = 3,

        /// <summary>Zero-window probe: the peer advertises no room (ss: persist).</summary>
        ZeroWindowProbe = 4,

        /// <summary>Delayed acknowledgement (ss: delack; newer kernels).</summary>
        DelayedAck = 5,

        /// <summary>A timer this module does not know yet (ss: unknown).</summary>
        Unknown = 255,
    }
}
