using System.Collections.Generic;
using System.Linq;
using System;

namespace PortTools.Tests
{
    /// <summary>
    /// A C struct written member by member with natural alignment (each member at a multiple of its size, the whole
    /// padded to its largest member), little-endian: offsets follow from the declaration order alone.
    /// </summary>
    internal sealed class CStruct
    {
        private readonly List<byte> _bytes = new List<byte>();
        private int _largest = 1;

        internal CStruct Member(int size, ulong value)
        {
            while (_bytes.Count % size != 0) _bytes.Add(0);
            for (int i = 0; i < size; i++) _bytes.Add((byte)(value >> (8 * i)));
            _largest = Math.Max(_largest, size);
            return this;
        }

        internal CStruct Raw(params byte[] bytes)
        {
            _bytes.AddRange(bytes);
            return this;
        }

        internal byte[] ToArray()
        {
            var copy = new List<byte>(_bytes);
            while (copy.Count % _largest != 0) copy.Add(0);
            return copy.ToArray();
        }
    }

    /// <summary>
    /// sock_diag replies for the TCP detail tests, laid out from the declarations in linux/tcp.h, linux/inet_diag.h and
    /// linux/netlink.h (docs/dev/platform-layouts.md, "tcp_info"), not from the decoder.
    /// </summary>
    internal static class SockDiagBuilder
    {
        /// <summary>struct tcp_info's members in declaration order with their sizes (include/uapi/linux/tcp.h as of Linux 6.18).</summary>
        internal static readonly (string Name, int Size)[] TcpInfoMembers =
        {
            ("tcpi_state", 1), ("tcpi_ca_state", 1), ("tcpi_retransmits", 1), ("tcpi_probes", 1), ("tcpi_backoff", 1),
            ("tcpi_options", 1), ("tcpi_snd_wscale:4, tcpi_rcv_wscale:4", 1), ("tcpi_delivery_rate_app_limited:1, ...", 1),
            ("tcpi_rto", 4), ("tcpi_ato", 4), ("tcpi_snd_mss", 4), ("tcpi_rcv_mss", 4),
            ("tcpi_unacked", 4), ("tcpi_sacked", 4), ("tcpi_lost", 4), ("tcpi_retrans", 4), ("tcpi_fackets", 4),
            ("tcpi_last_data_sent", 4), ("tcpi_last_ack_sent", 4), ("tcpi_last_data_recv", 4), ("tcpi_last_ack_recv", 4),
            ("tcpi_pmtu", 4), ("tcpi_rcv_ssthresh", 4), ("tcpi_rtt", 4), ("tcpi_rttvar", 4), ("tcpi_snd_ssthresh", 4),
            ("tcpi_snd_cwnd", 4), ("tcpi_advmss", 4), ("tcpi_reordering", 4),
            ("tcpi_rcv_rtt", 4), ("tcpi_rcv_space", 4),
            ("tcpi_total_retrans", 4),
            ("tcpi_pacing_rate", 8), ("tcpi_max_pacing_rate", 8), ("tcpi_bytes_acked", 8), ("tcpi_bytes_received", 8),
            ("tcpi_segs_out", 4), ("tcpi_segs_in", 4),
            ("tcpi_notsent_bytes", 4), ("tcpi_min_rtt", 4), ("tcpi_data_segs_in", 4), ("tcpi_data_segs_out", 4),
            ("tcpi_delivery_rate", 8),
            ("tcpi_busy_time", 8), ("tcpi_rwnd_limited", 8), ("tcpi_sndbuf_limited", 8),
            ("tcpi_delivered", 4), ("tcpi_delivered_ce", 4),
            ("tcpi_bytes_sent", 8), ("tcpi_bytes_retrans", 8), ("tcpi_dsack_dups", 4), ("tcpi_reord_seen", 4),
            ("tcpi_rcv_ooopack", 4),
            ("tcpi_snd_wnd", 4),
            ("tcpi_rcv_wnd", 4),
            ("tcpi_rehash", 4),
            ("tcpi_total_rto", 2), ("tcpi_total_rto_recoveries", 2), ("tcpi_total_rto_time", 4),
            ("tcpi_received_ce", 4), ("tcpi_delivered_e1_bytes", 4), ("tcpi_delivered_e0_bytes", 4), ("tcpi_delivered_ce_bytes", 4),
            ("tcpi_received_e1_bytes", 4), ("tcpi_received_e0_bytes", 4), ("tcpi_received_ce_bytes", 4),
            ("tcpi_ecn_mode:2, ...", 4),
        };

        /// <summary>
        /// A struct tcp_info as a kernel whose last member is <paramref name="lastMember"/> sends it, with the given
        /// values and zero elsewhere.
        /// </summary>
        internal static byte[] TcpInfo(IReadOnlyDictionary<string, ulong> values, string lastMember = "tcpi_ecn_mode:2, ...")
        {
            var info = new CStruct();
            foreach (var (name, size) in TcpInfoMembers)
            {
                info.Member(size, values.TryGetValue(name, out ulong value) ? value : 0);
                if (name == lastMember) return info.ToArray();
            }
            throw new ArgumentException($"tcp_info has no member {lastMember}.");
        }

        /// <summary>sk_meminfo: u32[] in SK_MEMINFO_* order (linux/sock_diag.h).</summary>
        internal static byte[] MemInfo(params uint[] values)
        {
            var memory = new CStruct();
            foreach (uint value in values) memory.Member(4, value);
            return memory.ToArray();
        }

        /// <summary>A NUL-terminated string attribute (nla_put_string).</summary>
        internal static byte[] CString(string text) => text.Select(c => (byte)c).Concat(new byte[] { 0 }).ToArray();

        /// <summary>
        /// One SOCK_DIAG_BY_FAMILY message: nlmsghdr, inet_diag_msg for 127.0.0.1:<paramref name="localPort"/> to
        /// 127.0.0.1:<paramref name="remotePort"/>, then each attribute as an rtattr padded to 4.
        /// </summary>
        internal static byte[] Message(byte state, byte timer, byte timerRetries, uint expires, int localPort = 18090, int remotePort = 47032,
            params (ushort Type, byte[] Data)[] attributes)
        {
            byte[] loopback = { 127, 0, 0, 1 };
            var msg = new CStruct()
                .Member(1, 2)                 // idiag_family AF_INET
                .Member(1, state)             // idiag_state
                .Member(1, timer)             // idiag_timer
                .Member(1, timerRetries)      // idiag_retrans
                .Raw((byte)(localPort >> 8), (byte)localPort, (byte)(remotePort >> 8), (byte)remotePort) // idiag_sport, idiag_dport: __be16
                .Raw(loopback).Raw(new byte[12]) // idiag_src[4]
                .Raw(loopback).Raw(new byte[12]) // idiag_dst[4]
                .Member(4, 0)                 // idiag_if
                .Member(4, 0).Member(4, 0)    // idiag_cookie[2]
                .Member(4, expires)           // idiag_expires
                .Member(4, 0)                 // idiag_rqueue
                .Member(4, 0)                 // idiag_wqueue
                .Member(4, 0)                 // idiag_uid
                .Member(4, 4242);             // idiag_inode
            var payload = new List<byte>(msg.ToArray());
            foreach (var (type, data) in attributes)
            {
                payload.AddRange(new CStruct().Member(2, (ulong)(4 + data.Length)).Member(2, type).ToArray()); // struct rtattr
                payload.AddRange(data);
                while (payload.Count % 4 != 0) payload.Add(0);
            }
            byte[] header = new CStruct()
                .Member(4, (ulong)(16 + payload.Count)) // nlmsg_len
                .Member(2, 20)                           // nlmsg_type SOCK_DIAG_BY_FAMILY
                .Member(2, 2)                            // nlmsg_flags NLM_F_MULTI
                .Member(4, 1)                            // nlmsg_seq
                .Member(4, 0)                            // nlmsg_pid
                .ToArray();
            return header.Concat(payload).ToArray();
        }
    }
}
