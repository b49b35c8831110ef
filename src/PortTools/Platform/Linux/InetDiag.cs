using System.Collections.Generic;
using System.Linq;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// NETLINK_SOCK_DIAG for TCP and UDP (linux/inet_diag.h, sock_diag(7)): builds dump requests, with the
    /// state mask and the port filters pushed into the kernel, and decodes the replies. Pure.
    /// </summary>
    internal static class InetDiag
    {
        internal const ushort SOCK_DIAG_BY_FAMILY = 20;
        internal const byte AF_INET = 2;
        internal const byte AF_INET6 = 10;
        internal const byte IPPROTO_TCP = 6;
        internal const byte IPPROTO_UDP = 17;
        internal const ushort INET_DIAG_SKV6ONLY = 11; // linux/inet_diag.h, enum { INET_DIAG_NONE, ... }

        private const int RequestLength = NetlinkDecoder.HeaderLength + 56; // nlmsghdr + inet_diag_req_v2
        private const int MessageLength = 72;                               // inet_diag_msg
        private const ushort INET_DIAG_REQ_BYTECODE = 1;

        // Bytecode operations (enum in linux/inet_diag.h) and their sizes.
        private const byte INET_DIAG_BC_JMP = 1;
        private const byte INET_DIAG_BC_S_COND = 7;
        private const byte INET_DIAG_BC_D_COND = 8;
        private const int CondLength = 4 + 8; // inet_diag_bc_op + inet_diag_hostcond without an address
        private const int JumpLength = 4;
        private const int MaxProgramLength = 60000;

        /// <summary>
        /// An inet_diag_req_v2 dump request, with a port filter program attached when one is given and the attributes
        /// <paramref name="extensions"/> asks for (idiag_ext, e.g. <see cref="TcpInfoDecoder.Extensions"/>).
        /// </summary>
        internal static byte[] DumpRequest(byte family, byte protocol, uint states, uint sequence, byte[]? bytecode = null, byte extensions = 0)
        {
            int attributeLength = bytecode == null ? 0 : 4 + bytecode.Length;
            var request = new byte[RequestLength + attributeLength];
            NetlinkDecoder.WriteDumpHeader(request, SOCK_DIAG_BY_FAMILY, sequence);
            request[16] = family;
            request[17] = protocol;
            request[18] = extensions;
            ByteReader.WriteUInt32LittleEndian(request, 20, states);
            // idiag_cookie = INET_DIAG_NOCOOKIE: not asking for one particular socket.
            for (int i = 64; i < 72; i++) request[i] = 0xFF;
            if (bytecode != null)
            {
                ByteReader.WriteUInt16LittleEndian(request, RequestLength, (ushort)attributeLength);
                ByteReader.WriteUInt16LittleEndian(request, RequestLength + 2, INET_DIAG_REQ_BYTECODE);
                Buffer.BlockCopy(bytecode, 0, request, RequestLength + 4, bytecode.Length);
            }
            return request;
        }

        /// <summary>
        /// A filter program (the kernel's inet_diag_bc_run) for "local port in A AND remote port in B", or
        /// null when neither set is given. Each set is an OR chain shaped as ss builds it:
        /// cond JMP cond JMP ... cond, where a matching cond falls onto a JMP to the end of its chain, a
        /// failing one goes on to the next, and the last failing one jumps past the program (reject).
        /// The kernel's audit follows the "yes" branches, so every op must lie on that path.
        /// </summary>
        internal static byte[]? PortFilter(ICollection<int> localPorts, ICollection<int> remotePorts)
        {
            var chains = new List<(byte Code, int[] Ports)>();
            if (localPorts.Count > 0) chains.Add((INET_DIAG_BC_S_COND, localPorts.OrderBy(p => p).ToArray()));
            if (remotePorts.Count > 0) chains.Add((INET_DIAG_BC_D_COND, remotePorts.OrderBy(p => p).ToArray()));
            if (chains.Count == 0) return null;

            int total = chains.Sum(c => ChainLength(c.Ports.Length));
            // Jump offsets are 16-bit; a longer list is left to the in-memory filter.
            if (total > MaxProgramLength) return null;
            var program = new byte[total];
            int position = 0;
            foreach (var (code, ports) in chains)
            {
                int chainEnd = position + ChainLength(ports.Length);
                for (int i = 0; i < ports.Length; i++)
                {
                    bool last = i == ports.Length - 1;
                    int remaining = total - position;
                    // yes: onto the following JMP (or, for the last, onto the next chain); no: the next cond, or reject.
                    WriteOp(program, position, code, CondLength, last ? remaining + 4 : CondLength + JumpLength);
                    // inet_diag_hostcond { u8 family = AF_UNSPEC; u8 prefix_len = 0; int port; }: port only.
                    ByteReader.WriteUInt32LittleEndian(program, position + 8, (uint)ports[i]);
                    position += CondLength;
                    if (last) break;
                    // JMP always takes "no": to the end of this chain.
                    WriteOp(program, position, INET_DIAG_BC_JMP, JumpLength, chainEnd - position);
                    position += JumpLength;
                }
            }
            return program;
        }

        private static int ChainLength(int ports) => ports * CondLength + (ports - 1) * JumpLength;

        private static void WriteOp(byte[] program, int offset, byte code, int yes, int no)
        {
            program[offset] = code;
            program[offset + 1] = (byte)yes;
            ByteReader.WriteUInt16LittleEndian(program, offset + 2, (ushort)no);
        }

        /// <summary>Decodes one SOCK_DIAG_BY_FAMILY message (struct inet_diag_msg) into a socket, a TCP one with its details when asked.</summary>
        internal static SocketEntry Decode(NetlinkMessage message, TransportProtocol protocol, AddressCache addresses, bool detailed = false)
        {
            byte[] b = message.Buffer;
            int p = message.PayloadOffset;
            ByteReader.Require(message.PayloadEnd, p, MessageLength, "inet_diag_msg");
            byte family = b[p];
            if (family != AF_INET && family != AF_INET6)
                throw new FormatException($"inet_diag_msg has unknown idiag_family {family}.");
            int addressLength = family == AF_INET ? 4 : 16;
            IPAddress local = addresses.Get(b, p + 8, addressLength);
            IPAddress remote = addresses.Get(b, p + 24, addressLength);
            var socket = new SocketEntry(
                protocol,
                family == AF_INET ? IPVersion.IPv4 : IPVersion.IPv6,
                protocol == TransportProtocol.Tcp ? LinuxTcpStates.ToTcpState(b[p + 1]) : null,
                local, ByteReader.UInt16BigEndian(b, p + 4),
                remote, ByteReader.UInt16BigEndian(b, p + 6))
            {
                ScopeId = family == AF_INET6 && (local.IsIPv6LinkLocal || remote.IsIPv6LinkLocal)
                    ? ByteReader.UInt32LittleEndian(b, p + 40) : 0,
                ReceiveQueue = ByteReader.UInt32LittleEndian(b, p + 56),
                SendQueue = ByteReader.UInt32LittleEndian(b, p + 60),
                UserId = ByteReader.UInt32LittleEndian(b, p + 64),
                Inode = ByteReader.UInt32LittleEndian(b, p + 68),
                Detail = detailed && protocol == TransportProtocol.Tcp ? TcpInfoDecoder.Decode(message) : null,
            };
            // The kernel adds INET_DIAG_SKV6ONLY (a u8) to IPv6 sockets in LISTEN or CLOSE (inet_diag_msg_attrs_fill):
            // it tells a dual-stack listener (ss: *:22) from an IPv6-only one ([::]:22).
            foreach (var (type, offset, length) in NetlinkDecoder.Attributes(b, p + MessageLength, message.PayloadEnd))
            {
                if (type == INET_DIAG_SKV6ONLY && length >= 1 && family == AF_INET6) socket.DualStack = b[offset] == 0;
            }
            return socket;
        }
    }
}
