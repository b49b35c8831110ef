using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// Get-PortConnection -Detailed on macOS: the <see cref="TcpDetail"/> of one PCB from its xtcpcb_n record (xnu
    /// bsd/netinet/tcp_var.h, copied by in_pcblist.c tcpcb_to_xtcpcb_n) and its two xsockbuf_n. Pure. Offsets, units and
    /// scaling: docs/dev/platform-layouts.md, "pcblist_n".
    /// </summary>
    internal static class MacTcpDetailDecoder
    {
        // xtcpcb_n (pack(4)): t_timer[TCPT_NTIMERS_EXT] @20, in the external order REXMT, PERSIST, KEEP, 2MSL.
        private const int Timers = 20, SndWnd = 96, SndCwnd = 100, SndSsthresh = 104,
            RxtCur = 128, MaxSeg = 132, Srtt = 136, RttVar = 140, RxtShift = 144;

        /// <summary>The xtcpcb_n prefix up to t_rxtshift.</summary>
        internal const int Needed = 148;

        // xsockbuf_n: sb_cc @8, sb_hiwat @12.
        private const int BufferCount = 8, BufferLimit = 12;

        // tcp_var.h: t_srtt holds milliseconds (TCP_RETRANSHZ 1000) << TCP_RTT_SHIFT 5, t_rttvar << TCP_RTTVAR_SHIFT 4.
        private const double SrttScale = 32, RttVarScale = 16;

        // TCP_MAXWIN << TCP_MAX_WINSHIFT: the ssthresh a connection starts with (tcp_subr.c tcp_newtcpcb), i.e. unbounded.
        private const uint UnboundedSsthresh = 65535u << 14;

        private static readonly TcpTimer[] TimerKinds = { TcpTimer.Retransmit, TcpTimer.ZeroWindowProbe, TcpTimer.KeepAlive, TcpTimer.TimeWait };

        /// <summary>
        /// The detail of the xtcpcb_n at <paramref name="tcpcb"/> (<paramref name="length"/> bytes), with the socket
        /// buffers' memory from the xsockbuf_n at <paramref name="receive"/> and <paramref name="send"/>; null offsets
        /// for a PCB without a socket.
        /// </summary>
        /// <exception cref="FormatException">The record is too short, or a time or count is negative.</exception>
        internal static TcpDetail Read(byte[] b, int tcpcb, int length, int? receive, int? send)
        {
            if (length < Needed)
                throw new FormatException($"Truncated xtcpcb_n: xt_len is {length}, but its fields need {Needed} bytes.");
            int NonNegative(int offset, string name)
            {
                int value = ByteReader.Int32LittleEndian(b, tcpcb + offset);
                if (value < 0) throw new FormatException($"xtcpcb_n {name} is {value}, below 0.");
                return value;
            }

            int srtt = NonNegative(Srtt, "t_srtt"), rttvar = NonNegative(RttVar, "t_rttvar");
            int rto = NonNegative(RxtCur, "t_rxtcur"), retries = NonNegative(RxtShift, "t_rxtshift");
            uint mss = ByteReader.UInt32LittleEndian(b, tcpcb + MaxSeg);
            uint cwnd = ByteReader.UInt32LittleEndian(b, tcpcb + SndCwnd);
            uint? ssthresh = ByteReader.UInt32LittleEndian(b, tcpcb + SndSsthresh) is uint s && s < UnboundedSsthresh ? s : (uint?)null;

            // XNU keeps each timer as milliseconds from the socket's last timer pass (tentry.timer_start), 0 when off,
            // and fires the nearest first: that one is shown, its value an upper bound of the time left.
            int timer = -1, left = 0;
            for (int i = 0; i < TimerKinds.Length; i++)
            {
                int value = NonNegative(Timers + 4 * i, "t_timer");
                if (value > 0 && (timer < 0 || value < left)) (timer, left) = (i, value);
            }
            TcpTimer kind = timer < 0 ? TcpTimer.None : TimerKinds[timer];

            uint? Buffer(int? record, int field) => record is int r ? ByteReader.UInt32LittleEndian(b, r + field) : (uint?)null;
            return new TcpDetail
            {
                // 0 before the first RTT sample (TCPTV_SRTTBASE): no estimate yet.
                RttMilliseconds = srtt > 0 ? srtt / SrttScale : (double?)null,
                RttVarianceMilliseconds = srtt > 0 ? rttvar / RttVarScale : (double?)null,
                RetransmitTimeoutMilliseconds = rto > 0 ? rto : (double?)null,
                MaxSegmentSizeBytes = mss > 0 ? mss : (uint?)null,
                CongestionWindowBytes = cwnd,
                CongestionWindowSegments = mss > 0 ? cwnd / mss : (uint?)null,
                SlowStartThresholdBytes = ssthresh,
                SlowStartThresholdSegments = mss > 0 ? ssthresh / mss : null,
                PeerReceiveWindowBytes = ByteReader.UInt32LittleEndian(b, tcpcb + SndWnd),
                Timer = kind,
                TimerRemainingMilliseconds = timer < 0 ? (uint?)null : (uint)left,
                // t_rxtshift counts the backoffs of the retransmit and persist timers (tcp_timer.c).
                TimerRetries = kind == TcpTimer.Retransmit || kind == TcpTimer.ZeroWindowProbe ? retries : (int?)null,
                ReceiveMemoryBytes = Buffer(receive, BufferCount),
                ReceiveBufferBytes = Buffer(receive, BufferLimit),
                SendQueuedBytes = Buffer(send, BufferCount),
                SendBufferBytes = Buffer(send, BufferLimit),
            };
        }
    }
}
