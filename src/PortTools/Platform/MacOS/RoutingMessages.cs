using System.Collections.Generic;
using System.IO;

namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// The routing-socket messages the PF_ROUTE sysctls return (xnu bsd/net/rtsock.c rt_msg2; docs/dev/platform-layouts.md,
    /// "Routes: NET_RT_DUMP2"): each starts with u16 msglen, u8 version, u8 type; its header is followed by one sockaddr
    /// per bit of its address mask, in RTAX order, each padded to 4 bytes. The walk both macOS route decoders share.
    /// </summary>
    internal static class RoutingMessages
    {
        internal const int CTL_NET = 4, PF_ROUTE = 17, NET_RT_IFLIST2 = 6, NET_RT_DUMP2 = 7;
        internal const int RTAX_DST = 0, RTAX_GATEWAY = 1, RTAX_NETMASK = 2, RTAX_IFP = 4, RTAX_IFA = 5, RTAX_MAX = 8;
        // bsd/sys/socket.h
        internal const byte AF_INET = 2, AF_LINK = 18, AF_INET6 = 30;

        /// <summary>The sysctl that dumps <paramref name="operation"/>: {CTL_NET, PF_ROUTE, 0, 0 (every family), operation, 0}.</summary>
        internal static int[] Mib(int operation) => new[] { CTL_NET, PF_ROUTE, 0, 0, operation, 0 };

        /// <summary>
        /// The offset and length of every message of <paramref name="type"/> in the first <paramref name="length"/> bytes;
        /// other types are stepped over by their length, as netstat does.
        /// </summary>
        /// <exception cref="InvalidDataException">A message is cut short or shorter than its header.</exception>
        internal static List<(int Offset, int Length)> Messages(byte[] buffer, int length, byte type, int headerLength, string header)
        {
            var found = new List<(int, int)>();
            for (int p = 0; p < length;)
            {
                if (length - p < 4) throw new InvalidDataException($"Truncated routing message at offset {p}: {length - p} bytes, too few for its length and type.");
                int messageLength = ByteReader.UInt16LittleEndian(buffer, p);
                // Under 4 bytes no message fits, and the walk would not move on.
                if (messageLength < 4) throw new InvalidDataException($"Routing message at offset {p} has length {messageLength}.");
                if (messageLength > length - p)
                    throw new InvalidDataException($"Truncated routing message at offset {p}: it has length {messageLength}, but only {length - p} bytes remain.");
                if (buffer[p + 3] == type)
                {
                    if (messageLength < headerLength)
                        throw new InvalidDataException($"{header} at offset {p} has length {messageLength}, shorter than its {headerLength}-byte header.");
                    found.Add((p, messageLength));
                }
                p += messageLength;
            }
            return found;
        }

        /// <summary>
        /// Where each sockaddr named by <paramref name="addresses"/> (RTA_* bits) starts, by RTAX index; -1 where absent.
        /// Each takes its sa_len rounded up to 4 bytes, and 4 when sa_len is 0 (ROUNDUP32).
        /// </summary>
        /// <exception cref="InvalidDataException">A sockaddr runs past <paramref name="end"/>.</exception>
        internal static int[] Sockaddrs(byte[] buffer, int offset, int end, int addresses, string header)
        {
            var at = new int[RTAX_MAX];
            for (int i = 0; i < RTAX_MAX; i++)
            {
                at[i] = -1;
                if ((addresses & 1 << i) == 0) continue;
                int space = offset >= end ? int.MaxValue : buffer[offset] == 0 ? 4 : (buffer[offset] + 3) & ~3;
                if (space > end - offset)
                    throw new InvalidDataException($"Truncated {header}: sockaddr {i} at offset {offset} runs past the message's end at {end}.");
                at[i] = offset;
                offset += space;
            }
            return at;
        }

        /// <summary>sa_family of the sockaddr at <paramref name="sockaddr"/>; 0 when sa_len does not reach it.</summary>
        internal static byte Family(byte[] buffer, int sockaddr) => Byte(buffer, sockaddr, 1);

        /// <summary>
        /// <paramref name="count"/> bytes from <paramref name="from"/> into the sockaddr; those past its sa_len are zero, as
        /// in the kernel's shortened netmasks (route.c sa_trim drops trailing zero bytes).
        /// </summary>
        internal static byte[] Bytes(byte[] buffer, int sockaddr, int from, int count)
        {
            var bytes = new byte[count];
            for (int i = 0; i < count; i++) bytes[i] = Byte(buffer, sockaddr, from + i);
            return bytes;
        }

        private static byte Byte(byte[] buffer, int sockaddr, int index) => index < buffer[sockaddr] ? buffer[sockaddr + index] : (byte)0;
    }
}
