using System.Collections.Generic;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.MacOS
{
    /// <summary>A decoded pcblist_n stream: the sockets, and whether the table changed while the kernel copied it out.</summary>
    internal sealed class PcbList
    {
        internal PcbList(List<SocketEntry> sockets, ulong generation, ulong? trailerGeneration, uint count, int pcbs)
        {
            Sockets = sockets;
            Generation = generation;
            TrailerGeneration = trailerGeneration;
            Count = count;
            Pcbs = pcbs;
        }

        internal List<SocketEntry> Sockets { get; }

        /// <summary>xig_count of the leading xinpgen: the PCBs the kernel had when the copy began.</summary>
        internal uint Count { get; }

        /// <summary>The xinpcb_n records the stream holds: fewer than <see cref="Count"/> when the kernel left some out.</summary>
        internal int Pcbs { get; }

        /// <summary>xig_gen of the leading xinpgen.</summary>
        internal ulong Generation { get; }

        /// <summary>xig_gen of the trailing xinpgen; null when the kernel sent the header only (an empty table).</summary>
        internal ulong? TrailerGeneration { get; }

        /// <summary>Sockets came or went during the copy-out, so the listing may be a little stale.</summary>
        internal bool Changed => TrailerGeneration is ulong trailer && trailer != Generation;
    }

    /// <summary>
    /// Decodes the <c>net.inet.tcp.pcblist_n</c> / <c>net.inet.udp.pcblist_n</c> sysctl stream (xnu
    /// bsd/netinet/in_pcblist.c get_pcblist_n; docs/dev/platform-layouts.md, "pcblist_n"). Pure: bytes in, sockets out.
    /// The walk is netstat's (network_cmds netstat.tproj/inet.c protopr): records are self-describing
    /// (xgn_len, xgn_kind), so unknown kinds are skipped and records that grew in later releases are read
    /// by their known prefix.
    /// </summary>
    internal static class PcbListDecoder
    {
        internal const int IPPROTO_TCP = 6;
        internal const int IPPROTO_UDP = 17;

        // Record kinds, bsd/sys/socketvar.h XSO_*.
        internal const uint XSO_SOCKET = 0x001;
        internal const uint XSO_RCVBUF = 0x002;
        internal const uint XSO_SNDBUF = 0x004;
        internal const uint XSO_STATS = 0x008;
        internal const uint XSO_INPCB = 0x010;
        internal const uint XSO_TCPCB = 0x020;

        // netstat's ALL_XGN_KIND_INP / ALL_XGN_KIND_TCP: a PCB is complete once each kind has been seen.
        private const uint AllKindsUdp = XSO_SOCKET | XSO_RCVBUF | XSO_SNDBUF | XSO_STATS | XSO_INPCB;
        private const uint AllKindsTcp = AllKindsUdp | XSO_TCPCB;

        // bsd/netinet/in_pcb.h inp_vflag.
        internal const byte INP_IPV4 = 0x1;
        internal const byte INP_IPV6 = 0x2;

        /// <summary>struct xinpgen (in_pcb.h, pack(4)): xig_len u32 @0, xig_count u32 @4, xig_gen u64 @8, xig_sogen u64 @16.</summary>
        internal const int XinpgenLength = 24;

        // Shortest prefix of each record that holds every field read here. Anything longer is newer
        // xnu appending fields (xsocket_n grew from 76 to 104 bytes), which is read by this prefix.
        private const int XinpcbNeeded = 80;      // xinpcb_n, 104 in xnu-11417: up to the end of the local address
        private const int XsocketNeeded = 76;     // xsocket_n, 104 in xnu-11417: up to so_e_pid, as in xnu-4570
        private const int XsockbufNeeded = 12;    // xsockbuf_n, 32: up to sb_cc
        private const int XtcpcbNeeded = 40;      // xtcpcb_n, 204: up to t_state

        /// <summary>
        /// Decodes the first <paramref name="length"/> bytes of a pcblist_n stream for <paramref name="protocol"/>; with
        /// <paramref name="detailed"/>, each TCP socket also gets its <see cref="SocketEntry.Detail"/> (MacTcpDetailDecoder).
        /// </summary>
        /// <exception cref="FormatException">The stream is truncated or a record is shorter than its fields.</exception>
        internal static PcbList Decode(byte[] buffer, int length, TransportProtocol protocol, AddressCache addresses, bool detailed = false)
        {
            ByteReader.Require(length, 0, XinpgenLength, "xinpgen");
            uint headerLength = ByteReader.UInt32LittleEndian(buffer, 0);
            if (headerLength < XinpgenLength)
                throw new FormatException($"pcblist_n header xinpgen has xig_len {headerLength}, expected at least {XinpgenLength}.");
            uint count = ByteReader.UInt32LittleEndian(buffer, 4);
            ulong generation = ByteReader.UInt64LittleEndian(buffer, 8);

            bool tcp = protocol == TransportProtocol.Tcp;
            uint allKinds = tcp ? AllKindsTcp : AllKindsUdp;
            var sockets = new List<SocketEntry>();
            var group = new Group();
            int pcbs = 0;
            long firstRecord = RoundUp64(headerLength);
            long position = firstRecord;
            while (true)
            {
                if (position >= length)
                {
                    // get_pcblist_n sends the header alone when xig_count is 0; otherwise the trailer must come.
                    if (count == 0 && position == firstRecord && position == length)
                        return new PcbList(sockets, generation, null, count, pcbs);
                    throw new FormatException($"Truncated pcblist_n stream: no trailing xinpgen after {length} bytes.");
                }
                int p = (int)position;
                ByteReader.Require(length, p, 8, "xgen_n");
                uint recordLength = ByteReader.UInt32LittleEndian(buffer, p);
                uint kind = ByteReader.UInt32LittleEndian(buffer, p + 4);

                // netstat: a record no longer than an xinpgen is the trailer.
                if (recordLength <= XinpgenLength)
                {
                    ByteReader.Require(length, p, XinpgenLength, "xinpgen (trailer)");
                    if (recordLength != XinpgenLength)
                        throw new FormatException($"pcblist_n record at offset {p} has length {recordLength}, too short for any record.");
                    return new PcbList(sockets, generation, ByteReader.UInt64LittleEndian(buffer, p + 8), count, pcbs);
                }
                if (recordLength > int.MaxValue) throw new FormatException($"pcblist_n record at offset {p} has length {recordLength}.");
                int n = (int)recordLength;
                ByteReader.Require(length, p, n, KindName(kind));

                // The kernel always starts a PCB with its xinpcb_n; starting afresh there keeps one bad or
                // partial group (a socketless PCB has xsockbuf_n kind 0) from bleeding into the next.
                if (kind == XSO_INPCB)
                {
                    group.Reset();
                    pcbs++;
                }
                if ((group.Seen & kind) == 0 && (kind & allKinds) != 0 && IsSingleKind(kind))
                {
                    group.Seen |= kind;
                    group.Read(kind, buffer, p, n);
                }
                // A PCB whose socket is gone (get_pcblist_n passes a NULL socket: an empty xsocket_n, both xsockbuf_n of
                // kind 0) ends with its last record, the xtcpcb_n (TCP) or xsockstat_n, without ever seeing the buffers.
                bool socketless = group.Seen == (allKinds & ~(XSO_RCVBUF | XSO_SNDBUF)) && kind == (tcp ? XSO_TCPCB : XSO_STATS)
                    && group.HasNoSocket(buffer);
                if (group.Seen == allKinds || socketless)
                {
                    if (group.ToSocket(buffer, protocol, generation, addresses, socketless, detailed) is SocketEntry socket) sockets.Add(socket);
                    group.Reset();
                }
                position += RoundUp64(recordLength);
            }
        }

        /// <summary>ROUNDUP64 of in_pcblist.c: each record is padded to a multiple of 8 bytes.</summary>
        private static long RoundUp64(uint length) => ((long)length + 7) & ~7L;

        private static bool IsSingleKind(uint kind) => (kind & (kind - 1)) == 0;

        private static string KindName(uint kind) => kind switch
        {
            XSO_INPCB => "xinpcb_n",
            XSO_SOCKET => "xsocket_n",
            XSO_RCVBUF => "xsockbuf_n (receive)",
            XSO_SNDBUF => "xsockbuf_n (send)",
            XSO_STATS => "xsockstat_n",
            XSO_TCPCB => "xtcpcb_n",
            _ => $"pcblist_n record of kind 0x{kind:x}",
        };

        private static void RequireRecord(int recordLength, int needed, string structure)
        {
            if (recordLength < needed)
                throw new FormatException($"Truncated {structure}: xgn_len is {recordLength}, but its fields need {needed} bytes.");
        }

        /// <summary>TCPS_* (bsd/netinet/tcp_fsm.h) to <see cref="TcpState"/>; null for a number xnu does not define.</summary>
        internal static TcpState? ToTcpState(int tcps) => tcps switch
        {
            0 => TcpState.Closed,        // TCPS_CLOSED
            1 => TcpState.Listen,        // TCPS_LISTEN
            2 => TcpState.SynSent,       // TCPS_SYN_SENT
            3 => TcpState.SynReceived,   // TCPS_SYN_RECEIVED
            4 => TcpState.Established,   // TCPS_ESTABLISHED
            5 => TcpState.CloseWait,     // TCPS_CLOSE_WAIT
            6 => TcpState.FinWait1,      // TCPS_FIN_WAIT_1
            7 => TcpState.Closing,       // TCPS_CLOSING
            8 => TcpState.LastAck,       // TCPS_LAST_ACK
            9 => TcpState.FinWait2,      // TCPS_FIN_WAIT_2
            10 => TcpState.TimeWait,     // TCPS_TIME_WAIT
            _ => null,
        };

        /// <summary>Offsets of the records of one PCB, collected until every kind has been seen.</summary>
        private sealed class Group
        {
            internal uint Seen;
            private int _inpcb, _socket, _receive, _send, _tcpcb, _tcpcbLength;

            internal void Reset() => Seen = 0;

            internal void Read(uint kind, byte[] buffer, int offset, int length)
            {
                switch (kind)
                {
                    case XSO_INPCB: RequireRecord(length, XinpcbNeeded, "xinpcb_n"); _inpcb = offset; break;
                    case XSO_SOCKET: RequireRecord(length, XsocketNeeded, "xsocket_n"); _socket = offset; break;
                    case XSO_RCVBUF: RequireRecord(length, XsockbufNeeded, "xsockbuf_n"); _receive = offset; break;
                    case XSO_SNDBUF: RequireRecord(length, XsockbufNeeded, "xsockbuf_n"); _send = offset; break;
                    case XSO_TCPCB: RequireRecord(length, XtcpcbNeeded, "xtcpcb_n"); _tcpcb = offset; _tcpcbLength = length; break;
                    // XSO_STATS (xsockstat_n, per-traffic-class byte counts) carries nothing we show.
                }
            }

            /// <summary>
            /// sotoxsocket_n(NULL) fills in only xso_len and xso_kind: no socket handle (xso_so u64 @8), no so_pcb (u64 @28),
            /// no protocol (@36). A Skywalk flow has a protocol, so it is not taken for one.
            /// </summary>
            internal bool HasNoSocket(byte[] b) =>
                ByteReader.UInt64LittleEndian(b, _socket + 8) == 0 && ByteReader.UInt64LittleEndian(b, _socket + 28) == 0
                && ByteReader.Int32LittleEndian(b, _socket + 36) == 0;

            /// <summary>
            /// The socket this group describes, or null when it is not one to list. Unlike netstat, a PCB without a socket (a
            /// TIME_WAIT connection whose socket was closed) is listed, without owner or queues, as Linux lists TIME_WAIT.
            /// </summary>
            internal SocketEntry? ToSocket(byte[] b, TransportProtocol protocol, ulong generation, AddressCache addresses, bool socketless, bool detailed)
            {
                // xsocket_n (socketvar.h, pack(4)): xso_protocol i32 @36. The list is the protocol's own, so a PCB without
                // a socket is of that protocol.
                int expected = protocol == TransportProtocol.Tcp ? IPPROTO_TCP : IPPROTO_UDP;
                if (!socketless && ByteReader.Int32LittleEndian(b, _socket + 36) != expected) return null;
                // xinpcb_n (in_pcb.h, pack(4)): inp_gencnt u64 @28. A PCB newer than the header was
                // created during the copy-out and may be half set up; netstat skips it too.
                if (ByteReader.UInt64LittleEndian(b, _inpcb + 28) > generation) return null;

                // inp_vflag u8 @44. Both bits: an AF_INET6 socket that also takes IPv4 (netstat's "tcp46");
                // its address is the unspecified ::, so it is read as IPv6, as Linux reports such a socket.
                byte vflag = b[_inpcb + 44];
                IPVersion family;
                if ((vflag & INP_IPV6) != 0) family = IPVersion.IPv6;
                else if ((vflag & INP_IPV4) != 0) family = IPVersion.IPv4;
                else return null;

                // Foreign address @48, local @64: 16 bytes of in6_addr, or in_addr_4in6 (12 pad bytes, then
                // the IPv4 address). All network order, as are the ports inp_fport @16 and inp_lport @18.
                uint scope = 0; // the local address's, else the remote's
                IPAddress local = Address(b, _inpcb + 64, family, addresses, ref scope);
                IPAddress remote = Address(b, _inpcb + 48, family, addresses, ref scope);

                TcpState? state = null;
                if (protocol == TransportProtocol.Tcp)
                    state = ToTcpState(ByteReader.Int32LittleEndian(b, _tcpcb + 36)); // xtcpcb_n t_state @36

                var socket = new SocketEntry(protocol, family, state,
                    local, ByteReader.UInt16BigEndian(b, _inpcb + 18),
                    remote, ByteReader.UInt16BigEndian(b, _inpcb + 16))
                {
                    ScopeId = scope,
                };
                if (detailed && protocol == TransportProtocol.Tcp)
                    socket.Detail = socketless ? MacTcpDetailDecoder.Read(b, _tcpcb, _tcpcbLength, null, null)
                        : MacTcpDetailDecoder.Read(b, _tcpcb, _tcpcbLength, _receive, _send);
                if (socketless) return socket;

                // A Skywalk (user-space stack) flow appended by nstat_userland_list_snapshot has no kernel PCB or socket
                // (xi_inpp u64 @8 of xinpcb_n, xso_so and so_pcb 0) and no so_uid: its 0 is not root.
                bool skywalk = ByteReader.UInt64LittleEndian(b, _inpcb + 8) == 0 && ByteReader.UInt64LittleEndian(b, _socket + 8) == 0
                    && ByteReader.UInt64LittleEndian(b, _socket + 28) == 0;
                if (!skywalk) socket.UserId = ByteReader.UInt32LittleEndian(b, _socket + 64); // so_uid
                int pid = ByteReader.Int32LittleEndian(b, _socket + 68);               // so_last_pid
                // 0 is the kernel's own socket (or none recorded): no process to show.
                if (pid > 0) socket.ProcessId = pid;

                if (state == TcpState.Listen)
                {
                    // The model's listener queues, as Linux reports them: the connections ready to accept, and the backlog
                    // so_qlimit i16 @48. xnu's so_qlen i16 @44 also counts the embryonic ones, so_incqlen i16 @46 (netstat -L
                    // shows qlen/incqlen/maxqlen). A listener's sb_cc is always 0.
                    int ready = (short)ByteReader.UInt16LittleEndian(b, _socket + 44) - (short)ByteReader.UInt16LittleEndian(b, _socket + 46);
                    socket.ReceiveQueue = (uint)Math.Max(0, ready);
                    socket.SendQueue = (uint)Math.Max((short)0, (short)ByteReader.UInt16LittleEndian(b, _socket + 48));
                }
                else
                {
                    socket.ReceiveQueue = ByteReader.UInt32LittleEndian(b, _receive + 8); // xsockbuf_n sb_cc @8
                    socket.SendQueue = ByteReader.UInt32LittleEndian(b, _send + 8);
                }
                return socket;
            }

            private static IPAddress Address(byte[] b, int offset, IPVersion family, AddressCache addresses, ref uint scope)
            {
                if (family == IPVersion.IPv4) return addresses.Get(b, offset + 12, 4); // ia46_addr4
                // An embedded interface index moves into the scope id (EmbeddedScope), as netstat's inet6print does.
                if (EmbeddedScope.IsScoped(b, offset) && (b[offset + 2] | b[offset + 3]) != 0)
                {
                    byte[] bytes = ByteReader.Bytes(b, offset, 16);
                    uint embedded = EmbeddedScope.Take(bytes);
                    if (scope == 0) scope = embedded;
                    return new IPAddress(bytes);
                }
                return addresses.Get(b, offset, 16);
            }
        }
    }
}
