using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System;

namespace PortTools.Models
{
    /// <summary>
    /// What the kernel knows about one TCP connection's speed, as ss -tinmo shows it: round-trip time, congestion
    /// window, retransmissions, bytes moved, rates, socket memory and the running timer. Read with
    /// Get-PortConnection -Detailed. Units are in the names; a value the OS does not report (an older kernel, a
    /// TIME_WAIT socket, Windows without statistics collection) is empty, never 0.
    /// </summary>
    public sealed class TcpDetail
    {
        internal TcpDetail() { }

        /// <summary>The congestion control algorithm (cubic, bbr, reno; Linux).</summary>
        public string? CongestionControl { get; internal init; }

        /// <summary>Smoothed round-trip time (ss: rtt, first value).</summary>
        public double? RttMilliseconds { get; internal init; }

        /// <summary>Round-trip time variation (ss: rtt, second value).</summary>
        public double? RttVarianceMilliseconds { get; internal init; }

        /// <summary>The lowest round-trip time seen (ss: minrtt).</summary>
        public double? MinRttMilliseconds { get; internal init; }

        /// <summary>The retransmission timeout (ss: rto).</summary>
        public double? RetransmitTimeoutMilliseconds { get; internal init; }

        /// <summary>The sender's maximum segment size (ss: mss).</summary>
        public uint? MaxSegmentSizeBytes { get; internal init; }

        /// <summary>The congestion window in segments (ss: cwnd; Linux).</summary>
        public uint? CongestionWindowSegments { get; internal init; }

        /// <summary>The congestion window in bytes (Windows natively; on Linux cwnd times mss).</summary>
        public ulong? CongestionWindowBytes { get; internal init; }

        /// <summary>The slow-start threshold in segments (ss: ssthresh; Linux); empty while still unbounded (slow start).</summary>
        public uint? SlowStartThresholdSegments { get; internal init; }

        /// <summary>The slow-start threshold in bytes (Windows natively; on Linux ssthresh times mss); empty while unbounded.</summary>
        public ulong? SlowStartThresholdBytes { get; internal init; }

        /// <summary>Segments sent and not yet acknowledged (ss: unacked).</summary>
        public uint? UnackedSegments { get; internal init; }

        /// <summary>Segments thought lost (ss: lost).</summary>
        public uint? LostSegments { get; internal init; }

        /// <summary>Retransmitted segments not yet acknowledged: the retransmits now (ss: retrans, first value).</summary>
        public uint? RetransmittingSegments { get; internal init; }

        /// <summary>Segments retransmitted over the connection's life (ss: retrans, second value).</summary>
        public uint? TotalRetransmits { get; internal init; }

        /// <summary>Payload bytes sent, retransmissions included (ss: bytes_sent).</summary>
        public ulong? BytesSent { get; internal init; }

        /// <summary>Payload bytes retransmitted (ss: bytes_retrans).</summary>
        public ulong? BytesRetransmitted { get; internal init; }

        /// <summary>Payload bytes the peer acknowledged (ss: bytes_acked).</summary>
        public ulong? BytesAcked { get; internal init; }

        /// <summary>Payload bytes received (ss: bytes_received).</summary>
        public ulong? BytesReceived { get; internal init; }

        /// <summary>The most recent delivery rate measured (ss: delivery_rate, which ss prints in bits per second).</summary>
        public ulong? DeliveryRateBytesPerSecond { get; internal init; }

        /// <summary>The pacing rate (ss: pacing_rate, in bits per second there); empty when unlimited.</summary>
        public ulong? PacingRateBytesPerSecond { get; internal init; }

        /// <summary>The receive window the peer advertises, scaled (ss: snd_wnd).</summary>
        public uint? PeerReceiveWindowBytes { get; internal init; }

        /// <summary>Time spent sending data (ss: busy).</summary>
        public double? BusyMilliseconds { get; internal init; }

        /// <summary>Time sending was held back by the peer's receive window (ss: rwnd_limited).</summary>
        public double? ReceiveWindowLimitedMilliseconds { get; internal init; }

        /// <summary>Time sending was held back by this socket's send buffer (ss: sndbuf_limited).</summary>
        public double? SendBufferLimitedMilliseconds { get; internal init; }

        /// <summary>Memory held by received data (ss -m: r).</summary>
        public uint? ReceiveMemoryBytes { get; internal init; }

        /// <summary>The receive buffer limit, SO_RCVBUF (ss -m: rb).</summary>
        public uint? ReceiveBufferBytes { get; internal init; }

        /// <summary>Memory held by data handed to the network layer and not yet freed (ss -m: t).</summary>
        public uint? SendMemoryBytes { get; internal init; }

        /// <summary>The send buffer limit, SO_SNDBUF (ss -m: tb).</summary>
        public uint? SendBufferBytes { get; internal init; }

        /// <summary>Memory held by the send queue, sent or not (ss -m: w).</summary>
        public uint? SendQueuedBytes { get; internal init; }

        /// <summary>Memory reserved ahead for the socket (ss -m: f).</summary>
        public uint? ForwardAllocBytes { get; internal init; }

        /// <summary>Memory held by socket options and ancillary data (ss -m: o).</summary>
        public uint? OptionMemoryBytes { get; internal init; }

        /// <summary>Memory held by packets waiting while the socket was busy (ss -m: bl).</summary>
        public uint? BacklogBytes { get; internal init; }

        /// <summary>Packets dropped before they reached the socket (ss -m: d).</summary>
        public uint? Drops { get; internal init; }

        /// <summary>The timer running on the socket (ss -o: timer); empty where the OS does not tell.</summary>
        public TcpTimer? Timer { get; internal init; }

        /// <summary>Time until <see cref="Timer"/> fires; empty when no timer runs.</summary>
        public uint? TimerRemainingMilliseconds { get; internal init; }

        /// <summary>Retransmissions (retransmit timer) or unanswered probes (keepalive, zero-window probe) so far (ss -o: the timer's last value).</summary>
        public int? TimerRetries { get; internal init; }

        /// <summary>The timer as "keepalive 7.2s"; empty when none runs.</summary>
        internal string TimerText => Timer is TcpTimer timer && timer != TcpTimer.None && TimerRemainingMilliseconds is uint left
            ? TimerNames[timer] + " " + Duration(left)
            : "";

        // ss -o's names (tmr_name in iproute2 misc/ss.c).
        private static readonly Dictionary<TcpTimer, string> TimerNames = new Dictionary<TcpTimer, string>
        {
            [TcpTimer.None] = "off",
            [TcpTimer.Retransmit] = "on",
            [TcpTimer.KeepAlive] = "keepalive",
            [TcpTimer.TimeWait] = "timewait",
            [TcpTimer.ZeroWindowProbe] = "persist",
            [TcpTimer.DelayedAck] = "delack",
            [TcpTimer.Unknown] = "unknown",
        };

        /// <summary>"204ms", "7.2s", "59s", "2m05s", "119m" (as ss -o, coarser as it grows): short enough for a table column.</summary>
        internal static string Duration(uint milliseconds) =>
            milliseconds < 1000 ? milliseconds.ToString(CultureInfo.InvariantCulture) + "ms"
            : milliseconds < 10000 ? (milliseconds / 100 / 10.0).ToString("0.#", CultureInfo.InvariantCulture) + "s" // cut, never rounded up
            : milliseconds < 60000 ? (milliseconds / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : milliseconds < 600000 ? (milliseconds / 60000).ToString(CultureInfo.InvariantCulture) + "m" + (milliseconds / 1000 % 60).ToString("00", CultureInfo.InvariantCulture) + "s"
            : (milliseconds / 60000).ToString(CultureInfo.InvariantCulture) + "m";

        /// <summary>A number as ss prints times (%g): "0.039", "204".</summary>
        internal static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

        /// <summary>
        /// The fields as ss -tinmo writes them, with ss's names and units (rates in bits per second, times in
        /// milliseconds) and, as ss, only those reported and not 0: what the table shows under a connection, and what
        /// Export-Csv, jobs and remoting carry.
        /// </summary>
        public override string ToString()
        {
            var text = new List<string>();
            void Add(string name, object? value)
            {
                bool zero = value is uint u ? u == 0 : value is ulong l ? l == 0 : value is double d && d == 0;
                if (value != null && !zero) text.Add(name + ":" + (value is double number ? Number(number) : Convert.ToString(value, CultureInfo.InvariantCulture)));
            }
            if (CongestionControl != null) text.Add(CongestionControl);
            Add("rto", RetransmitTimeoutMilliseconds);
            if (RttMilliseconds > 0) text.Add("rtt:" + Number(RttMilliseconds.Value) + "/" + Number(RttVarianceMilliseconds ?? 0));
            Add("mss", MaxSegmentSizeBytes);
            Add("cwnd", CongestionWindowSegments ?? CongestionWindowBytes);
            Add("ssthresh", SlowStartThresholdSegments ?? SlowStartThresholdBytes);
            Add("bytes_sent", BytesSent);
            Add("bytes_retrans", BytesRetransmitted);
            Add("bytes_acked", BytesAcked);
            Add("bytes_received", BytesReceived);
            if (DeliveryRateBytesPerSecond > 0) text.Add("delivery_rate:" + ((decimal)DeliveryRateBytesPerSecond.Value * 8).ToString(CultureInfo.InvariantCulture) + "bps");
            Add("unacked", UnackedSegments);
            if (RetransmittingSegments > 0 || TotalRetransmits > 0) text.Add("retrans:" + RetransmittingSegments + "/" + TotalRetransmits);
            Add("lost", LostSegments);
            Add("minrtt", MinRttMilliseconds);
            Add("snd_wnd", PeerReceiveWindowBytes);
            if (Timer is TcpTimer timer && timer != TcpTimer.None)
                text.Add("timer:(" + TimerNames[timer] + "," + Duration(TimerRemainingMilliseconds ?? 0) + "," + TimerRetries + ")");
            // ss -m's letters, for the entries the kernel sent.
            var memory = new[] { ("r", ReceiveMemoryBytes), ("rb", ReceiveBufferBytes), ("t", SendMemoryBytes), ("tb", SendBufferBytes),
                ("f", ForwardAllocBytes), ("w", SendQueuedBytes), ("o", OptionMemoryBytes), ("bl", BacklogBytes), ("d", Drops) };
            if (ReceiveBufferBytes != null)
                text.Add("skmem:(" + string.Join(",", memory.Where(m => m.Item2 != null).Select(m => m.Item1 + m.Item2!.Value.ToString(CultureInfo.InvariantCulture))) + ")");
            return string.Join(" ", text);
        }
    }
}
