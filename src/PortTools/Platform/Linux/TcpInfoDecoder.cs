using System.Text;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// The TCP details of one sock_diag reply (ss -tinmo): the timer fields of inet_diag_msg and the INET_DIAG_INFO
    /// (struct tcp_info), INET_DIAG_CONG and INET_DIAG_SKMEMINFO attributes a dump asked for with
    /// <see cref="Extensions"/>. Pure. Layouts and the kernel that added each field: docs/dev/platform-layouts.md,
    /// "tcp_info".
    /// </summary>
    internal static class TcpInfoDecoder
    {
        private const ushort INET_DIAG_INFO = 2;
        private const ushort INET_DIAG_CONG = 4;
        private const ushort INET_DIAG_SKMEMINFO = 7;

        /// <summary>idiag_ext of a dump request asking for the three attributes (bit type - 1 each).</summary>
        internal const byte Extensions = 1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_CONG - 1) | 1 << (INET_DIAG_SKMEMINFO - 1);

        // inet_diag_msg: idiag_timer, idiag_retrans, idiag_expires.
        private const int MessageLength = 72, Timer = 2, TimerRetries = 3, Expires = 52;

        // struct tcp_info (include/uapi/linux/tcp.h). The kernel sends its own sizeof: newer kernels append fields,
        // so a field is read only when the attribute reaches past it.
        private const int Rto = 8, SndMss = 16, Unacked = 24, Lost = 32, Retrans = 36, Rtt = 68, RttVar = 72,
            SndSsthresh = 76, SndCwnd = 80, TotalRetrans = 100;     // every kernel with sock_diag
        private const int MinimumInfoLength = 104;                   // the struct up to tcpi_total_retrans
        private const int PacingRate = 104;                          // 3.15
        private const int BytesAcked = 120, BytesReceived = 128;     // 4.1
        private const int MinRtt = 148;                              // 4.6
        private const int DeliveryRate = 160;                        // 4.9
        private const int BusyTime = 168, RwndLimited = 176, SndbufLimited = 184; // 4.10
        private const int BytesSent = 200, BytesRetrans = 208;       // 4.19
        private const int SndWnd = 228;                              // 5.4

        private const uint InfiniteSsthresh = 0x7FFFFFFF;            // TCP_INFINITE_SSTHRESH: still in slow start
        private const uint NoSample = uint.MaxValue;                  // tcpi_min_rtt before the first sample
        private const ulong Unlimited = ulong.MaxValue;               // tcpi_pacing_rate without a limit

        // sk_meminfo (u32[SK_MEMINFO_VARS], linux/sock_diag.h), in ss -m's order: r, rb, t, tb, f, w, o, bl, d.
        private const int RmemAlloc = 0, Rcvbuf = 1, WmemAlloc = 2, Sndbuf = 3, FwdAlloc = 4, WmemQueued = 5, Optmem = 6,
            Backlog = 7, SkDrops = 8;

        /// <summary>The details of the TCP socket in <paramref name="message"/>, a SOCK_DIAG_BY_FAMILY reply.</summary>
        internal static TcpDetail Decode(NetlinkMessage message)
        {
            byte[] b = message.Buffer;
            int p = message.PayloadOffset;
            ByteReader.Require(message.PayloadEnd, p, MessageLength, "inet_diag_msg");
            // Where each attribute is (absent: length 0), so the detail is then built in one go.
            int info = 0, infoLength = 0, memory = 0, memoryLength = 0;
            string? congestionControl = null;
            foreach (var (type, offset, length) in NetlinkDecoder.Attributes(b, p + MessageLength, message.PayloadEnd))
            {
                switch (type)
                {
                    case INET_DIAG_INFO:
                        if (length < MinimumInfoLength)
                            throw new FormatException($"INET_DIAG_INFO holds {length} bytes, less than the {MinimumInfoLength} of the oldest struct tcp_info.");
                        (info, infoLength) = (offset, length);
                        break;
                    case INET_DIAG_CONG: congestionControl = CString(b, offset, length); break;
                    case INET_DIAG_SKMEMINFO: (memory, memoryLength) = (offset, length); break;
                }
            }
            // A tcp_info field, or empty when the kernel's struct (or the attribute) stops before it.
            uint? U32(int field) => field + 4 <= infoLength ? ByteReader.UInt32LittleEndian(b, info + field) : (uint?)null;
            ulong? U64(int field) => field + 8 <= infoLength ? ByteReader.UInt64LittleEndian(b, info + field) : (ulong?)null;
            uint? Memory(int index) => (index + 1) * 4 <= memoryLength ? ByteReader.UInt32LittleEndian(b, memory + index * 4) : (uint?)null;
            static double? Milliseconds(ulong? microseconds) => microseconds / 1000.0;

            TcpTimer timer = TimerOf(b[p + Timer]);
            bool timerRuns = timer != TcpTimer.None;
            uint? mss = U32(SndMss), cwnd = U32(SndCwnd);
            uint? ssthresh = U32(SndSsthresh) is uint s && s < InfiniteSsthresh ? s : (uint?)null;
            uint? minRtt = U32(MinRtt) is uint m && m != NoSample ? m : (uint?)null;
            return new TcpDetail
            {
                Timer = timer,
                TimerRemainingMilliseconds = timerRuns ? ByteReader.UInt32LittleEndian(b, p + Expires) : (uint?)null,
                TimerRetries = timerRuns ? b[p + TimerRetries] : (int?)null,
                CongestionControl = congestionControl,
                RetransmitTimeoutMilliseconds = Milliseconds(U32(Rto)),
                RttMilliseconds = Milliseconds(U32(Rtt)),
                RttVarianceMilliseconds = Milliseconds(U32(RttVar)),
                MaxSegmentSizeBytes = mss,
                CongestionWindowSegments = cwnd,
                CongestionWindowBytes = (ulong?)cwnd * mss,
                SlowStartThresholdSegments = ssthresh,
                SlowStartThresholdBytes = (ulong?)ssthresh * mss,
                UnackedSegments = U32(Unacked),
                LostSegments = U32(Lost),
                RetransmittingSegments = U32(Retrans),
                TotalRetransmits = U32(TotalRetrans),
                PacingRateBytesPerSecond = U64(PacingRate) is ulong pacing && pacing != Unlimited ? pacing : (ulong?)null,
                BytesAcked = U64(BytesAcked),
                BytesReceived = U64(BytesReceived),
                MinRttMilliseconds = Milliseconds(minRtt),
                DeliveryRateBytesPerSecond = U64(DeliveryRate),
                BusyMilliseconds = Milliseconds(U64(BusyTime)),
                ReceiveWindowLimitedMilliseconds = Milliseconds(U64(RwndLimited)),
                SendBufferLimitedMilliseconds = Milliseconds(U64(SndbufLimited)),
                BytesSent = U64(BytesSent),
                BytesRetransmitted = U64(BytesRetrans),
                PeerReceiveWindowBytes = U32(SndWnd),
                ReceiveMemoryBytes = Memory(RmemAlloc),
                ReceiveBufferBytes = Memory(Rcvbuf),
                SendMemoryBytes = Memory(WmemAlloc),
                SendBufferBytes = Memory(Sndbuf),
                ForwardAllocBytes = Memory(FwdAlloc),
                SendQueuedBytes = Memory(WmemQueued),
                OptionMemoryBytes = Memory(Optmem),
                BacklogBytes = Memory(Backlog),
                Drops = Memory(SkDrops),
            };
        }

        private static TcpTimer TimerOf(byte timer) =>
            timer <= (byte)TcpTimer.DelayedAck ? (TcpTimer)timer : TcpTimer.Unknown;

        /// <summary>A NUL-terminated name (nla_put_string); one without the NUL ends with the attribute.</summary>
        private static string CString(byte[] b, int offset, int length)
        {
            int end = Array.IndexOf(b, (byte)0, offset, length);
            return Encoding.UTF8.GetString(b, offset, (end < 0 ? offset + length : end) - offset);
        }
    }
}
