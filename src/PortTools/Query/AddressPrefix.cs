using System;
using System.Net;
using System.Net.Sockets;

namespace PortTools.Query
{
    /// <summary>An address or a CIDR prefix ("10.0.0.0/8", "fe80::/10", "127.0.0.1"), matched bit by bit.</summary>
    internal sealed class AddressPrefix
    {
        private readonly byte[] _network;

        private AddressPrefix(IPAddress network, int length)
        {
            _network = network.GetAddressBytes();
            Length = length;
            Network = network;
        }

        internal IPAddress Network { get; }
        internal int Length { get; }

        /// <summary>
        /// Parses an address (as <see cref="AddressText"/> reads it) or a CIDR prefix: the address, "/" and 1-3 decimal
        /// digits up to 32 (IPv4) or 128 (IPv6); no sign or spaces around the "/". Returns false for anything else.
        /// </summary>
        internal static bool TryParse(string? text, out AddressPrefix? prefix)
        {
            prefix = null;
            if (text == null) return false;
            string trimmed = AddressText.Trim(text);
            int slash = trimmed.IndexOf('/');
            // Exact: "10.0.0.0 /8" has a space before the slash.
            if (!AddressText.TryParseExact(slash < 0 ? trimmed : trimmed.Substring(0, slash), out IPAddress? address, out _)) return false;
            int maxLength = address!.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            int length = maxLength;
            if (slash >= 0 && !TryParseLength(trimmed.Substring(slash + 1), maxLength, out length)) return false;
            prefix = new AddressPrefix(address, length);
            return true;
        }

        private static bool TryParseLength(string text, int maxLength, out int length)
        {
            length = 0;
            if (text.Length == 0 || text.Length > 3) return false;
            foreach (char c in text)
            {
                if (c < '0' || c > '9') return false; // int.TryParse would take "+8", " 8" and non-ASCII digits
                length = length * 10 + (c - '0');
            }
            return length <= maxLength;
        }

        /// <summary>
        /// True when <paramref name="address"/> lies inside the prefix. An IPv4 prefix also matches the
        /// IPv4-mapped form (::ffff:a.b.c.d) that dual-stack sockets report.
        /// </summary>
        internal bool Contains(IPAddress address)
        {
            if (address.AddressFamily != Network.AddressFamily)
            {
                if (Network.AddressFamily == AddressFamily.InterNetwork && address.IsIPv4MappedToIPv6)
                    address = address.MapToIPv4();
                else
                    return false;
            }
            return Contains(address.GetAddressBytes());
        }

        private bool Contains(byte[] candidate)
        {
            int fullBytes = Length / 8;
            for (int i = 0; i < fullBytes; i++)
                if (candidate[i] != _network[i]) return false;
            int restBits = Length % 8;
            if (restBits == 0) return true;
            int mask = 0xFF << (8 - restBits) & 0xFF;
            return (candidate[fullBytes] & mask) == (_network[fullBytes] & mask);
        }

        public override string ToString() => $"{Network}/{Length}";
    }
}
