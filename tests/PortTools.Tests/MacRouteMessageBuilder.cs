using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;

namespace PortTools.Tests
{
    /// <summary>The counters of one RTM_IFINFO2 message (bsd/net/if_var.h if_data64 and if_msghdr2's send queue drops).</summary>
    internal sealed class MacInterface
    {
        internal ushort Index { get; set; } = 4;
        internal string Name { get; set; } = "en0";
        /// <summary>ifm_flags: by default IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_SIMPLEX | IFF_MULTICAST.</summary>
        internal int Flags { get; set; } = 0x8843;
        internal uint Mtu { get; set; } = 1500;
        internal int SendDrops { get; set; }
        internal ulong IPackets { get; set; }
        internal ulong IErrors { get; set; }
        internal ulong OPackets { get; set; }
        internal ulong OErrors { get; set; }
        internal ulong Collisions { get; set; }
        internal ulong IBytes { get; set; }
        internal ulong OBytes { get; set; }
        internal ulong IMcasts { get; set; }
        internal ulong OMcasts { get; set; }
        internal ulong IqDrops { get; set; }
        internal ulong NoProto { get; set; }
    }

    /// <summary>
    /// NET_RT_DUMP2 and NET_RT_IFLIST2 streams laid out from docs/dev/platform-layouts.md ("Routes: NET_RT_DUMP2",
    /// "Interfaces: NET_RT_IFLIST2") and the xnu headers, not from the decoders: every offset is written here.
    /// </summary>
    internal sealed class MacRouteMessageBuilder
    {
        internal const byte RtmGet2 = 0x14, RtmIfInfo2 = 0x12, RtmNewAddr = 0x0c;
        private const int RtMsghdr2Size = 92, IfMsghdr2Size = 160;

        private readonly List<byte> _stream = new List<byte>();

        // Sockaddrs, as the kernel writes them (bsd/netinet/in.h, netinet6/in6.h, net/if_dl.h).

        /// <summary>sockaddr_in: sin_len 16, sin_family AF_INET 2, sin_port, sin_addr @4, sin_zero[8].</summary>
        internal static byte[] In4(string address)
        {
            var sa = new byte[16];
            sa[0] = 16;
            sa[1] = 2;
            IPAddress.Parse(address).GetAddressBytes().CopyTo(sa, 4);
            return sa;
        }

        /// <summary>sockaddr_in6: sin6_len 28, AF_INET6 30, port, flowinfo, sin6_addr @8, sin6_scope_id @24; the embedded scope in address bytes 2-3.</summary>
        internal static byte[] In6(string address, ushort embeddedScope = 0, uint scopeId = 0)
        {
            var sa = new byte[28];
            sa[0] = 28;
            sa[1] = 30;
            IPAddress.Parse(address).GetAddressBytes().CopyTo(sa, 8);
            if (embeddedScope != 0)
            {
                sa[10] = (byte)(embeddedScope >> 8);
                sa[11] = (byte)embeddedScope;
            }
            MacPcb.PutU32(sa, 24, scopeId);
            return sa;
        }

        /// <summary>
        /// A netmask as rtm_scrub/sa_trim leave it: the address part from <paramref name="addressAt"/> (4 for IPv4, 8 for
        /// IPv6) cut after its last non-zero byte, and sa_len 0 when nothing is left. The family byte is what the
        /// mask tree holds; the kernel does not set it, so it is <paramref name="family"/> here.
        /// </summary>
        internal static byte[] Mask(int prefixLength, int addressAt, byte family = 0xff)
        {
            int bytes = (prefixLength + 7) / 8;
            if (bytes == 0) return new byte[] { 0 };
            var sa = new byte[addressAt + bytes];
            sa[0] = (byte)sa.Length;
            sa[1] = family;
            for (int bit = 0; bit < prefixLength; bit++) sa[addressAt + bit / 8] |= (byte)(0x80 >> (bit % 8));
            return sa;
        }

        /// <summary>
        /// sockaddr_dl: sdl_len, AF_LINK 18, sdl_index u16 @2, sdl_type @4, sdl_nlen @5, sdl_alen @6, sdl_slen @7, then the
        /// name and the link address from @8; at least 20 bytes (sizeof(struct sockaddr_dl)).
        /// </summary>
        internal static byte[] Link(ushort index, string name = "", byte[]? hardware = null)
        {
            byte[] nameBytes = Encoding.ASCII.GetBytes(name);
            hardware ??= Array.Empty<byte>();
            var sa = new byte[Math.Max(20, 8 + nameBytes.Length + hardware.Length)];
            sa[0] = (byte)sa.Length;
            sa[1] = 18;
            sa[2] = (byte)index;
            sa[3] = (byte)(index >> 8);
            sa[4] = 6; // IFT_ETHER
            sa[5] = (byte)nameBytes.Length;
            sa[6] = (byte)hardware.Length;
            nameBytes.CopyTo(sa, 8);
            hardware.CopyTo(sa, 8 + nameBytes.Length);
            return sa;
        }

        /// <summary>
        /// An RTM_GET2 message: rt_msghdr2 (msglen @0, version 5 @2, type @3, rtm_index @4, rtm_flags @8, rtm_addrs @12,
        /// rtm_refcnt @16, rtm_parentflags @20, rtm_use @28, rtm_rmx @36 with rmx_mtu @40), then the sockaddrs that are
        /// not null, in RTAX order: DST (RTA 0x1), GATEWAY (0x2), NETMASK (0x4), IFA (0x20).
        /// </summary>
        internal MacRouteMessageBuilder Route(ushort index, int flags, byte[]? destination, byte[]? gateway = null, byte[]? netmask = null,
            byte[]? ifa = null, int parentFlags = 0, uint mtu = 0, byte type = RtmGet2)
        {
            var addresses = new (int Bit, byte[]? Sockaddr)[] { (0x1, destination), (0x2, gateway), (0x4, netmask), (0x20, ifa) };
            var header = new byte[RtMsghdr2Size];
            header[4] = (byte)index;
            header[5] = (byte)(index >> 8);
            MacPcb.PutU32(header, 8, (uint)flags);
            MacPcb.PutU32(header, 12, (uint)addresses.Where(a => a.Sockaddr != null).Sum(a => a.Bit));
            MacPcb.PutU32(header, 16, 1);
            MacPcb.PutU32(header, 20, (uint)parentFlags);
            MacPcb.PutU32(header, 28, 42);
            MacPcb.PutU32(header, 40, mtu);
            return Message(type, header, addresses.Select(a => a.Sockaddr));
        }

        /// <summary>
        /// An RTM_IFINFO2 message: if_msghdr2 (ifm_addrs @4 = RTA_IFP, ifm_flags @8, ifm_index @12, ifm_snd_drops @24,
        /// if_data64 @32: ifi_type @32, ifi_mtu @40, ifi_ipackets @56 ... ifi_noproto @136), then its sockaddr_dl.
        /// </summary>
        internal MacRouteMessageBuilder Interface(MacInterface i, byte[]? link = null)
        {
            var header = new byte[IfMsghdr2Size];
            MacPcb.PutU32(header, 4, 0x10);
            MacPcb.PutU32(header, 8, (uint)i.Flags);
            header[12] = (byte)i.Index;
            header[13] = (byte)(i.Index >> 8);
            MacPcb.PutU32(header, 20, 128);   // ifm_snd_maxlen
            MacPcb.PutU32(header, 24, (uint)i.SendDrops);
            header[32] = 6;                    // ifi_type IFT_ETHER
            MacPcb.PutU32(header, 40, i.Mtu);
            MacPcb.PutU64(header, 48, 1_000_000_000); // ifi_baudrate
            MacPcb.PutU64(header, 56, i.IPackets);
            MacPcb.PutU64(header, 64, i.IErrors);
            MacPcb.PutU64(header, 72, i.OPackets);
            MacPcb.PutU64(header, 80, i.OErrors);
            MacPcb.PutU64(header, 88, i.Collisions);
            MacPcb.PutU64(header, 96, i.IBytes);
            MacPcb.PutU64(header, 104, i.OBytes);
            MacPcb.PutU64(header, 112, i.IMcasts);
            MacPcb.PutU64(header, 120, i.OMcasts);
            MacPcb.PutU64(header, 128, i.IqDrops);
            MacPcb.PutU64(header, 136, i.NoProto);
            MacPcb.PutU32(header, 144, 77);   // ifi_recvtiming: not a counter the decoder may pick up
            return Message(RtmIfInfo2, header, new[] { link ?? Link(i.Index, i.Name, new byte[] { 0, 0x1c, 0x42, 0xaa, 0xbb, 0xcc }) });
        }

        /// <summary>
        /// An RTM_NEWADDR message as NET_RT_IFLIST2 puts after each interface: ifa_msghdr (20 bytes: ifam_addrs @4 =
        /// RTA_IFA, ifam_index @12) and the address.
        /// </summary>
        internal MacRouteMessageBuilder Address(ushort index, byte[] address)
        {
            var header = new byte[20];
            MacPcb.PutU32(header, 4, 0x20);
            header[12] = (byte)index;
            return Message(RtmNewAddr, header, new[] { address });
        }

        /// <summary>Bytes as they are, for a message the test lays out itself.</summary>
        internal MacRouteMessageBuilder Raw(byte[] bytes)
        {
            _stream.AddRange(bytes);
            return this;
        }

        internal byte[] Build() => _stream.ToArray();

        // The header with msglen @0, RTM_VERSION 5 @2 and the type @3 set, each sockaddr padded to 4 bytes (4 for sa_len 0).
        private MacRouteMessageBuilder Message(byte type, byte[] header, IEnumerable<byte[]?> sockaddrs)
        {
            var message = new List<byte>(header);
            foreach (byte[]? sockaddr in sockaddrs)
            {
                if (sockaddr == null) continue;
                message.AddRange(sockaddr);
                int space = sockaddr[0] == 0 ? 4 : (sockaddr[0] + 3) / 4 * 4;
                message.AddRange(new byte[space - sockaddr.Length]);
            }
            message[0] = (byte)message.Count;
            message[1] = (byte)(message.Count >> 8);
            message[2] = 5;
            message[3] = type;
            _stream.AddRange(message);
            return this;
        }
    }
}
