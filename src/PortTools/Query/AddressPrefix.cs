using System;
using System.Net;
using System.Net.Sockets;

namespace PortTools
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

        /// <summary>Parses an address or prefix; returns false for anything else.</summary>
        internal static bool TryParse(string? text, out AddressPrefix? prefix)
        {
            prefix = null;
            if (string.IsNullOrWhiteSpace(text)) return false;
            string trimmed = text!.Trim().Trim('[', ']');
            int slash = trimmed.IndexOf('/');
            string addressText = slash < 0 ? trimmed : trimmed.Substring(0, slash);
            if (!IPAddress.TryParse(addressText, out IPAddress? address)) return false;
            int maxLength = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            int length = maxLength;
            if (slash >= 0 && (!int.TryParse(trimmed.Substring(slash + 1), out length) || length < 0 || length > maxLength))
                return false;
            prefix = new AddressPrefix(address, length);
            return true;
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
