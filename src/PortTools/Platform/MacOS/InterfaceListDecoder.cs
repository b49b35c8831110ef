using System.Collections.Generic;
using System.IO;
using System.Net.NetworkInformation;
using System.Text;
using PortTools.Models;
using static PortTools.Platform.MacOS.RoutingMessages;

namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// Decodes the NET_RT_IFLIST2 interface list, as netstat -i walks it (network_cmds netstat.tproj/if.c intpr;
    /// docs/dev/platform-layouts.md, "Interfaces: NET_RT_IFLIST2"): one RTM_IFINFO2 message per interface, a 160-byte
    /// if_msghdr2 with the 64-bit if_data64 counters and the interface's sockaddr_dl, among address messages that are
    /// skipped. Pure: bytes in, interfaces out.
    /// </summary>
    internal static class InterfaceListDecoder
    {
        internal const byte RTM_IFINFO2 = 0x12;
        internal const int HeaderLength = 160;
        private const int IFF_UP = 0x1, IFF_RUNNING = 0x40; // bsd/net/if.h

        // The u64 counters of if_data64 (bsd/net/if_var.h, pack(4), at 32 in if_msghdr2), from ifi_ipackets @56 on,
        // named without their ifi_ prefix.
        private const int CountersOffset = 56;
        private static readonly string[] Counters =
        {
            "ipackets", "ierrors", "opackets", "oerrors", "collisions", "ibytes", "obytes", "imcasts", "omcasts", "iqdrops", "noproto",
        };

        /// <summary>One statistic per interface in the first <paramref name="length"/> bytes.</summary>
        /// <exception cref="InvalidDataException">A message is cut short, or an interface has no sockaddr_dl name.</exception>
        internal static List<InterfaceStatistic> Decode(byte[] buffer, int length)
        {
            var interfaces = new List<InterfaceStatistic>();
            foreach (var (p, messageLength) in Messages(buffer, length, RTM_IFINFO2, HeaderLength, "if_msghdr2"))
            {
                // if_msghdr2: ifm_addrs i32 @4, ifm_flags i32 @8, ifm_index u16 @12, ifm_snd_drops i32 @24, ifm_data @32.
                var counters = new Dictionary<string, ulong>();
                for (int c = 0; c < Counters.Length; c++) counters[Counters[c]] = ByteReader.UInt64LittleEndian(buffer, p + CountersOffset + 8 * c);
                // The send queue's drops, netstat -id's Drop column.
                counters["snd_drops"] = (uint)ByteReader.Int32LittleEndian(buffer, p + 24);
                int flags = ByteReader.Int32LittleEndian(buffer, p + 8);
                int index = ByteReader.UInt16LittleEndian(buffer, p + 12);
                ulong received = counters["ipackets"], receivedMulticast = counters["imcasts"];
                ulong sent = counters["opackets"], sentMulticast = counters["omcasts"];
                interfaces.Add(new InterfaceStatistic(Name(buffer, p, p + messageLength, index), counters)
                {
                    InterfaceIndex = index,
                    Mtu = (int)ByteReader.UInt32LittleEndian(buffer, p + 40), // ifi_mtu, if_data64 @8
                    // IFF_RUNNING: the driver is ready; xnu has no separate operational state here.
                    State = (flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING) ? OperationalStatus.Up : OperationalStatus.Down,
                    // BSD's multicast counters include broadcasts, as Linux's rx_multicast mostly does.
                    ReceivedBytes = counters["ibytes"],
                    ReceivedPackets = received,
                    ReceivedUnicastPackets = received >= receivedMulticast ? received - receivedMulticast : 0,
                    ReceivedNonUnicastPackets = receivedMulticast,
                    ReceivedDiscardedPackets = counters["iqdrops"],
                    ReceivedPacketErrors = counters["ierrors"],
                    ReceivedUnknownProtocols = counters["noproto"],
                    SentBytes = counters["obytes"],
                    SentPackets = sent,
                    SentUnicastPackets = sent >= sentMulticast ? sent - sentMulticast : 0,
                    SentNonUnicastPackets = sentMulticast,
                    SentDiscardedPackets = counters["snd_drops"],
                    SentPacketErrors = counters["oerrors"],
                });
            }
            return interfaces;
        }

        /// <summary>
        /// The name in the message's sockaddr_dl (RTAX_IFP): sdl_nlen u8 @5 bytes of sdl_data @8, not NUL-terminated.
        /// </summary>
        private static string Name(byte[] b, int p, int end, int index)
        {
            int dl = Sockaddrs(b, p + HeaderLength, end, ByteReader.Int32LittleEndian(b, p + 4), "if_msghdr2")[RTAX_IFP];
            if (dl < 0 || Family(b, dl) != AF_LINK)
                throw new InvalidDataException($"if_msghdr2 of interface {index} at offset {p} has no sockaddr_dl with its name.");
            // sdl_len covers the name (sa_len bytes lie inside the message: Sockaddrs checked it).
            int nameLength = b[dl] >= 8 ? b[dl + 5] : int.MaxValue;
            if (nameLength > b[dl] - 8)
                throw new InvalidDataException($"sockaddr_dl of interface {index} has sdl_len {b[dl]}, too short for its sdl_nlen name.");
            return Encoding.UTF8.GetString(b, dl + 8, nameLength);
        }
    }
}
