using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Parses /proc/net/{tcp,tcp6,udp,udp6} (tcp4_seq_show and friends; Documentation/networking/proc_net_tcp.rst),
    /// the fallback when netlink is refused. Pure: text in, sockets out, by the policy of <see cref="ProcText"/>.
    /// </summary>
    internal static class ProcNetParser
    {
        /// <summary>
        /// The sockets of one file (<paramref name="file"/> names it in messages): a header other than the kernel's
        /// throws <see cref="InvalidDataException"/>; a line that is not a socket is left out and counted.
        /// </summary>
        internal static IEnumerable<SocketEntry> ParseSockets(TextReader text, TransportProtocol protocol, IPVersion family,
            string file, ListingDiagnostics diagnostics)
        {
            // The header names the columns read below (in the rows, tx_queue:rx_queue and tr:tm->when are one field each).
            bool hasRows = ProcText.ReadHeader(text, file,
                header => ProcText.Words(header) is var w && w.Length >= 12 && w[0] == "sl" && w[1] == "local_address" && w[9] == "uid" && w[11] == "inode",
                "sl local_address rem_address st tx_queue rx_queue tr tm->when retrnsmt uid timeout inode");
            return hasRows ? ProcText.ParseEach(ProcText.Lines(text), file, diagnostics, line => ParseLine(line, protocol, family))
                : Enumerable.Empty<SocketEntry>();
        }

        /// <summary>One row; <see cref="FormatException"/> when it is not one.</summary>
        internal static SocketEntry ParseLine(string line, TransportProtocol protocol, IPVersion family)
        {
            string[] t = ProcText.Words(line);
            if (t.Length < 10
                || !TryParseEndpoint(t[1], family, out IPAddress? local, out int localPort)
                || !TryParseEndpoint(t[2], family, out IPAddress? remote, out int remotePort)
                || !TryParseHexPair(t[4], out uint sendQueue, out uint receiveQueue)
                || !uint.TryParse(t[7], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
                || !ulong.TryParse(t[9], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
            {
                throw new FormatException($"{ProcText.Quote(line)} is not a {family} socket row (sl local rem st tx:rx tr:when retrnsmt uid timeout inode).");
            }
            TcpState? state = protocol == TransportProtocol.Tcp ? LinuxTcpStates.FromHex(t[3]) : null;
            return new SocketEntry(protocol, family, state, local!, localPort, remote!, remotePort)
            {
                SendQueue = sendQueue,
                ReceiveQueue = receiveQueue,
                UserId = uid,
                Inode = inode,
            };
        }

        /// <summary>"0100007F:1F90" (IPv4) or 32 hex digits ":port" (IPv6).</summary>
        internal static bool TryParseEndpoint(string text, IPVersion family, out IPAddress? address, out int port)
        {
            address = null;
            port = 0;
            int colon = text.IndexOf(':');
            // A u16 ("%04X"): more digits are a malformed line, not a port past 65535 (or a negative one).
            if (colon < 0 || !ushort.TryParse(text.Substring(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort value))
                return false;
            port = value;
            byte[]? bytes = DecodeAddress(text.Substring(0, colon), family == IPVersion.IPv4 ? 4 : 16);
            if (bytes == null) return false;
            address = new IPAddress(bytes);
            return true;
        }

        /// <summary>
        /// Each 32-bit word is a network-order value printed as a host (little-endian) integer, so the byte
        /// pairs are reversed within every word while the words keep their order.
        /// </summary>
        internal static byte[]? DecodeAddress(string hex, int length)
        {
            if (hex.Length != length * 2) return null;
            var bytes = new byte[length];
            for (int word = 0; word < length; word += 4)
            {
                for (int i = 0; i < 4; i++)
                {
                    if (!byte.TryParse(hex.Substring((word + 3 - i) * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[word + i]))
                        return null;
                }
            }
            return bytes;
        }

        private static bool TryParseHexPair(string text, out uint first, out uint second)
        {
            first = second = 0;
            int colon = text.IndexOf(':');
            return colon > 0
                && uint.TryParse(text.Substring(0, colon), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out first)
                && uint.TryParse(text.Substring(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out second);
        }
    }
}
