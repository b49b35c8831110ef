using System.Collections.Generic;
using System;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>One netlink message inside a received datagram (linux/netlink.h, struct nlmsghdr).</summary>
    internal readonly struct NetlinkMessage
    {
        internal NetlinkMessage(ushort type, ushort flags, uint sequence, byte[] buffer, int payloadOffset, int payloadLength)
        {
            Type = type;
            Flags = flags;
            Sequence = sequence;
            Buffer = buffer;
            PayloadOffset = payloadOffset;
            PayloadLength = payloadLength;
        }

        internal ushort Type { get; }
        internal ushort Flags { get; }
        internal uint Sequence { get; }
        internal byte[] Buffer { get; }
        internal int PayloadOffset { get; }
        internal int PayloadLength { get; }
        internal int PayloadEnd => PayloadOffset + PayloadLength;
    }

    /// <summary>Splits netlink datagrams into messages and builds message headers. Pure: bytes in, values out.</summary>
    internal static class NetlinkDecoder
    {
        internal const int HeaderLength = 16;
        internal const ushort NLMSG_ERROR = 2;
        internal const ushort NLMSG_DONE = 3;
        internal const ushort NLM_F_REQUEST = 0x1;
        internal const ushort NLM_F_DUMP = 0x300;

        /// <summary>NLMSG_ALIGN: messages and attributes are padded to 4 bytes.</summary>
        internal static int Align(int length) => (length + 3) & ~3;

        /// <summary>Yields each message of the first <paramref name="length"/> bytes; throws <see cref="FormatException"/> on a truncated one.</summary>
        internal static IEnumerable<NetlinkMessage> Split(byte[] datagram, int length)
        {
            int offset = 0;
            while (offset < length)
            {
                ByteReader.Require(length, offset, HeaderLength, "nlmsghdr");
                int messageLength = (int)ByteReader.UInt32LittleEndian(datagram, offset);
                if (messageLength < HeaderLength)
                    throw new FormatException($"Malformed nlmsghdr at offset {offset}: nlmsg_len {messageLength} is shorter than the header.");
                ByteReader.Require(length, offset, messageLength, "netlink message");
                yield return new NetlinkMessage(
                    type: ByteReader.UInt16LittleEndian(datagram, offset + 4),
                    flags: ByteReader.UInt16LittleEndian(datagram, offset + 6),
                    sequence: ByteReader.UInt32LittleEndian(datagram, offset + 8),
                    buffer: datagram,
                    payloadOffset: offset + HeaderLength,
                    payloadLength: messageLength - HeaderLength);
                offset += Align(messageLength);
            }
        }

        /// <summary>The error of an NLMSG_ERROR message: 0 for an ACK, otherwise a negative errno.</summary>
        internal static int ErrorCode(NetlinkMessage message)
        {
            ByteReader.Require(message.PayloadEnd, message.PayloadOffset, 4, "nlmsgerr");
            return ByteReader.Int32LittleEndian(message.Buffer, message.PayloadOffset);
        }

        /// <summary>Writes an nlmsghdr for a dump request whose total length is <c>buffer.Length</c>.</summary>
        internal static void WriteDumpHeader(byte[] buffer, ushort type, uint sequence) =>
            WriteHeader(buffer, type, NLM_F_REQUEST | NLM_F_DUMP, sequence);

        /// <summary>Writes an nlmsghdr whose total length is <c>buffer.Length</c>.</summary>
        internal static void WriteHeader(byte[] buffer, ushort type, ushort flags, uint sequence)
        {
            ByteReader.WriteUInt32LittleEndian(buffer, 0, (uint)buffer.Length);
            ByteReader.WriteUInt16LittleEndian(buffer, 4, type);
            ByteReader.WriteUInt16LittleEndian(buffer, 6, flags);
            ByteReader.WriteUInt32LittleEndian(buffer, 8, sequence);
        }

        internal static uint SequenceOf(byte[] request) => ByteReader.UInt32LittleEndian(request, 8);

        /// <summary>
        /// Walks the rtattr list in [offset, end) (struct rtattr: u16 rta_len, u16 rta_type, data padded to 4)
        /// and yields (type, dataOffset, dataLength); a malformed attribute throws <see cref="FormatException"/> rather than being read past.
        /// </summary>
        internal static IEnumerable<(ushort Type, int Offset, int Length)> Attributes(byte[] buffer, int offset, int end)
        {
            while (offset + 4 <= end)
            {
                int length = ByteReader.UInt16LittleEndian(buffer, offset);
                if (length < 4 || offset + length > end)
                    throw new FormatException($"Malformed rtattr at offset {offset}: rta_len {length} runs past the message.");
                yield return (ByteReader.UInt16LittleEndian(buffer, offset + 2), offset + 4, length - 4);
                offset += Align(length);
            }
        }
    }
}
