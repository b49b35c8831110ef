using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PortTools.Query
{
    /// <summary>
    /// The one strict reader of an address the user typed. IPAddress.TryParse also takes inet_aton's shorthand
    /// (1.2.3 is 1.2.0.3, 127.1, 0x7f000001, a bare 443 is 0.0.1.187), ports ([::1]:80) and empty zones
    /// (fe80::1%); a typo there silently means another address, so only these forms are accepted:
    /// <list type="bullet">
    /// <item>IPv4: exactly four decimal octets 0-255, without leading zeros (010 is 8 to inet_aton, 10 to people).</item>
    /// <item>IPv6 as RFC 4291 writes it; an embedded IPv4 tail (::ffff:1.2.3.4) follows the IPv4 rule.</item>
    /// <item>A zone (%eth0, %2) after a link-local unicast or an interface- or link-local multicast address:
    /// the scopes whose zone is one interface or link, named by that interface (RFC 4007). Elsewhere a zone
    /// changes nothing the module matches on, so one there is a mistake.</item>
    /// <item>Brackets around an IPv6 address ([::1], [fe80::1%eth0]), as URLs and ss write it.</item>
    /// <item>Spaces and tabs around the text, as pasted text carries them; none inside.</item>
    /// </list>
    /// </summary>
    internal static class AddressText
    {
        // Linux and macOS interface names are at most 15 bytes (IFNAMSIZ 16); a numeric zone is a uint32 index.
        private const int MaxZoneLength = 15;

        /// <summary>Parses an address; false for anything but the forms above.</summary>
        internal static bool TryParse(string? text, out IPAddress? address) => TryParse(text, out address, out _);

        /// <summary>
        /// Parses an address and gives back its zone text ("eth0", "2") or null. A numeric zone also becomes the
        /// address's ScopeId; an interface name is left to the caller, who knows which host it names.
        /// </summary>
        internal static bool TryParse(string? text, out IPAddress? address, out string? zone)
        {
            address = null;
            zone = null;
            return text != null && TryParseExact(Trim(text), out address, out zone);
        }

        /// <summary>Spaces and tabs around the text go; the rest is the caller's to read.</summary>
        internal static string Trim(string text) => text.Trim(' ', '\t');

        /// <summary>As <see cref="TryParse(string?, out IPAddress?, out string?)"/>, but with nothing around the address.</summary>
        internal static bool TryParseExact(string text, out IPAddress? address, out string? zone)
        {
            address = null;
            zone = null;
            bool bracketed = text.Length >= 2 && text[0] == '[' && text[text.Length - 1] == ']';
            if (bracketed) text = text.Substring(1, text.Length - 2);
            if (text.IndexOf(':') < 0)
                return !bracketed && TryParseIPv4(text, out address); // brackets are for IPv6 only (RFC 3986)

            int percent = text.IndexOf('%');
            string body = percent < 0 ? text : text.Substring(0, percent);
            zone = percent < 0 ? null : text.Substring(percent + 1);
            if (!TryParseIPv6(body, out address) || (zone != null && !TryApplyZone(address!, zone)))
            {
                address = null;
                zone = null;
                return false;
            }
            return true;
        }

        /// <summary>Exactly a.b.c.d, each 0-255 in plain decimal.</summary>
        private static bool TryParseIPv4(string text, out IPAddress? address)
        {
            address = null;
            string[] parts = text.Split('.');
            if (parts.Length != 4) return false;
            var bytes = new byte[4];
            for (int i = 0; i < 4; i++)
            {
                string part = parts[i];
                if (part.Length == 0 || part.Length > 3 || !IsDecimal(part) || (part.Length > 1 && part[0] == '0')) return false;
                int value = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
                if (value > 255) return false;
                bytes[i] = (byte)value;
            }
            address = new IPAddress(bytes);
            return true;
        }

        private static bool TryParseIPv6(string text, out IPAddress? address)
        {
            address = null;
            // Only hex groups, colons and an IPv4 tail: IPAddress would also drop a "/64" or a "]:80" it finds.
            foreach (char c in text)
                if (!(IsHex(c) || c == ':' || c == '.')) return false;
            int lastColon = text.LastIndexOf(':');
            int firstDot = text.IndexOf('.');
            if (firstDot >= 0 && (firstDot < lastColon || !TryParseIPv4(text.Substring(lastColon + 1), out _))) return false;
            return IPAddress.TryParse(text, out address) && address!.AddressFamily == AddressFamily.InterNetworkV6;
        }

        private static bool TryApplyZone(IPAddress address, string zone)
        {
            // A leading letter or digit: "%-1" reads as a negative index, not an interface name.
            if (zone.Length == 0 || zone.Length > MaxZoneLength || !IsAsciiLetterOrDigit(zone[0]) || !HasScopedZone(address)) return false;
            foreach (char c in zone)
                if (!(IsAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) return false;
            if (!IsDecimal(zone)) return true; // an interface name
            if (!uint.TryParse(zone, NumberStyles.None, CultureInfo.InvariantCulture, out uint index)) return false;
            address.ScopeId = index;
            return true;
        }

        // Link-local unicast (fe80::/10) and multicast of interface-local (ff01) or link-local (ff02) scope.
        private static bool HasScopedZone(IPAddress address)
        {
            if (address.IsIPv6LinkLocal) return true;
            byte[] bytes = address.GetAddressBytes();
            return bytes[0] == 0xff && ((bytes[1] & 0x0f) == 1 || (bytes[1] & 0x0f) == 2);
        }

        private static bool IsDecimal(string text)
        {
            foreach (char c in text)
                if (c < '0' || c > '9') return false;
            return text.Length > 0;
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        private static bool IsAsciiLetterOrDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
