using System;
using System.Collections.Generic;
using System.Net;

namespace PortTools.Tests
{
    /// <summary>One PCB of a pcblist_n stream, laid out from the offsets in docs/dev/platform-layouts.md ("pcblist_n"), not from the decoder.</summary>
    internal sealed class MacPcb
    {
        internal IPAddress LocalAddress { get; set; } = IPAddress.Any;
        internal int LocalPort { get; set; }
        internal IPAddress RemoteAddress { get; set; } = IPAddress.Any;
        internal int RemotePort { get; set; }
        /// <summary>inp_vflag; by default INP_IPV4 (1) or INP_IPV6 (2) from the local address.</summary>
        internal byte? VFlag { get; set; }
        internal int TState { get; set; } = 1;
        internal int Protocol { get; set; } = 6;
        internal int Uid { get; set; } = 501;
        internal int Pid { get; set; } = 4242;
        internal ulong GenCnt { get; set; } = 1;
        internal uint ReceiveQueue { get; set; }
        internal uint SendQueue { get; set; }
        /// <summary>so_qlen: every connection queued on a listener, complete or not.</summary>
        internal short QLen { get; set; }
        /// <summary>so_incqlen: the incomplete (embryonic) ones among <see cref="QLen"/>.</summary>
        internal short IncQLen { get; set; }
        internal short QLimit { get; set; }
        /// <summary>sb_hiwat of the receive and send xsockbuf_n.</summary>
        internal uint ReceiveLimit { get; set; }
        internal uint SendLimit { get; set; }

        // xtcpcb_n fields -Detailed reads, raw as xnu-11417 stores them (tcp_var.h; docs/dev/platform-layouts.md).
        /// <summary>t_timer[4]: REXMT, PERSIST, KEEP, 2MSL (external order), ms, 0 = off.</summary>
        internal int[] Timers { get; set; } = new int[4];
        internal uint SndWnd { get; set; }
        internal uint SndCwnd { get; set; }
        /// <summary>snd_ssthresh; by default TCP_MAXWIN &lt;&lt; TCP_MAX_WINSHIFT, as tcp_newtcpcb leaves it.</summary>
        internal uint SndSsthresh { get; set; } = 65535u * 16384;
        internal int RxtCur { get; set; }
        internal uint MaxSeg { get; set; }
        /// <summary>t_srtt: ms times 32 (TCP_RTT_SHIFT 5).</summary>
        internal int Srtt { get; set; }
        /// <summary>t_rttvar: ms times 16 (TCP_RTTVAR_SHIFT 4).</summary>
        internal int RttVar { get; set; }
        internal int RxtShift { get; set; }

        /// <summary>A Skywalk flow as nstat_userland_list_snapshot appends it: no kernel handles, no so_uid.</summary>
        internal bool Skywalk { get; set; }

        /// <summary>A PCB whose socket is gone, as get_pcblist_n writes it: an empty xsocket_n, xsockbuf_n of kind 0.</summary>
        internal bool Socketless { get; set; }

        /// <summary>Extra bytes appended to every record, as a later xnu that grew the structs would send.</summary>
        internal int Growth { get; set; }

        // Sizes in xnu-11417.101.15.
        internal const int XinpcbN = 104, XsocketN = 104, XsockbufN = 32, XsockstatN = 136, XtcpcbN = 204;

        internal IEnumerable<byte[]> Records(bool tcp)
        {
            bool v6 = LocalAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            byte[] inp = Record(XinpcbN + Growth, 0x10);
            if (!Skywalk) PutU64(inp, 8, 0xA0B1C2D3E4F50617);                // xi_inpp, an opaque kernel handle
            inp[16] = (byte)(RemotePort >> 8); inp[17] = (byte)RemotePort;  // inp_fport, network order
            inp[18] = (byte)(LocalPort >> 8); inp[19] = (byte)LocalPort;    // inp_lport
            PutU64(inp, 28, GenCnt);
            inp[44] = VFlag ?? (byte)(v6 ? 2 : 1);
            inp[46] = (byte)Protocol;
            PutAddress(inp, 48, RemoteAddress);
            PutAddress(inp, 64, LocalAddress);
            yield return inp;

            byte[] so = Record(XsocketN + Growth, 0x1);
            if (!Socketless)
            {
                if (!Skywalk)
                {
                    PutU64(so, 8, 0x1122334455667788);              // xso_so
                    PutU64(so, 28, 0x8877665544332211);             // so_pcb
                }
                so[16] = (byte)(tcp ? 1 : 2);                       // so_type
                PutU32(so, 36, (uint)Protocol);                     // xso_protocol
                PutU32(so, 40, v6 ? 30u : 2u);                      // xso_family
                so[44] = (byte)QLen; so[45] = (byte)(QLen >> 8);    // so_qlen
                so[46] = (byte)IncQLen; so[47] = (byte)(IncQLen >> 8); // so_incqlen
                so[48] = (byte)QLimit; so[49] = (byte)(QLimit >> 8); // so_qlimit
                if (!Skywalk) PutU32(so, 64, (uint)Uid);            // so_uid
                PutU32(so, 68, (uint)Pid);                          // so_last_pid
                PutU32(so, 72, (uint)Pid);                          // so_e_pid
            }
            yield return so;

            uint BufferKind(uint kind) => Socketless ? 0 : kind;    // sbtoxsockbuf_n(NULL) sets the length only
            byte[] rcv = Record(XsockbufN + Growth, BufferKind(0x2));
            if (!Socketless) { PutU32(rcv, 8, ReceiveQueue); PutU32(rcv, 12, ReceiveLimit); } // sb_cc, sb_hiwat
            yield return rcv;
            byte[] snd = Record(XsockbufN + Growth, BufferKind(0x4));
            if (!Socketless) { PutU32(snd, 8, SendQueue); PutU32(snd, 12, SendLimit); }
            yield return snd;
            yield return Record(XsockstatN + Growth, 0x8);
            if (tcp)
            {
                byte[] tp = Record(XtcpcbN + Growth, 0x20);
                for (int i = 0; i < 4; i++) PutU32(tp, 20 + 4 * i, (uint)Timers[i]); // t_timer[]
                PutU32(tp, 36, (uint)TState);                   // t_state
                PutU32(tp, 96, SndWnd);                         // after t_flags, t_force and 12 sequence/window fields from 48
                PutU32(tp, 100, SndCwnd);
                PutU32(tp, 104, SndSsthresh);
                PutU32(tp, 128, (uint)RxtCur);                  // after t_maxopd, t_rcvtime, t_starttime, t_rtttime, t_rtseq
                PutU32(tp, 132, MaxSeg);
                PutU32(tp, 136, (uint)Srtt);
                PutU32(tp, 140, (uint)RttVar);
                PutU32(tp, 144, (uint)RxtShift);
                yield return tp;
            }
        }

        internal static byte[] Record(int length, uint kind)
        {
            var record = new byte[length];
            PutU32(record, 0, (uint)length);
            PutU32(record, 4, kind);
            return record;
        }

        private static void PutAddress(byte[] b, int offset, IPAddress address)
        {
            byte[] bytes = address.GetAddressBytes();
            // in_addr_4in6: 12 pad bytes, then the IPv4 address.
            Buffer.BlockCopy(bytes, 0, b, bytes.Length == 4 ? offset + 12 : offset, bytes.Length);
        }

        internal static void PutU32(byte[] b, int offset, uint value)
        {
            for (int i = 0; i < 4; i++) b[offset + i] = (byte)(value >> (8 * i));
        }

        internal static void PutU64(byte[] b, int offset, ulong value)
        {
            for (int i = 0; i < 8; i++) b[offset + i] = (byte)(value >> (8 * i));
        }
    }

    /// <summary>A whole pcblist_n stream: xinpgen, records each padded to 8 bytes, trailing xinpgen.</summary>
    internal sealed class MacPcbListBuilder
    {
        private readonly bool _tcp;
        private readonly List<byte[]> _records = new List<byte[]>();

        internal MacPcbListBuilder(bool tcp) => _tcp = tcp;

        internal ulong Generation { get; set; } = 10;
        internal ulong? TrailerGeneration { get; set; }
        internal bool WithTrailer { get; set; } = true;

        /// <summary>xig_count in header and trailer; by default the PCBs added.</summary>
        internal uint? Count { get; set; }
        private int _count;

        internal MacPcbListBuilder Add(MacPcb pcb)
        {
            _records.AddRange(pcb.Records(_tcp));
            _count++;
            return this;
        }

        /// <summary>A PCB's records as the test rearranged them (a record inserted, cut or replaced).</summary>
        internal MacPcbListBuilder AddRecords(IEnumerable<byte[]> records)
        {
            _records.AddRange(records);
            _count++;
            return this;
        }

        /// <summary>Any record, e.g. one of a kind the decoder does not know.</summary>
        internal MacPcbListBuilder AddRecord(byte[] record)
        {
            _records.Add(record);
            return this;
        }

        internal byte[] Build()
        {
            var stream = new List<byte>();
            stream.AddRange(Xinpgen(Count ?? (uint)_count, Generation));
            foreach (byte[] record in _records)
            {
                stream.AddRange(record);
                stream.AddRange(new byte[(8 - record.Length % 8) % 8]); // ROUNDUP64
            }
            if (WithTrailer) stream.AddRange(Xinpgen(Count ?? (uint)_count, TrailerGeneration ?? Generation));
            return stream.ToArray();
        }

        internal static byte[] Xinpgen(uint count, ulong generation)
        {
            var header = new byte[24];
            MacPcb.PutU32(header, 0, 24);
            MacPcb.PutU32(header, 4, count);
            MacPcb.PutU64(header, 8, generation);
            MacPcb.PutU64(header, 16, generation + 100); // xig_sogen
            return header;
        }
    }
}
