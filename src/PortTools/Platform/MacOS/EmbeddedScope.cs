namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// KAME heritage: xnu may keep the interface index of a scoped IPv6 address in its bytes 2-3
    /// (in6_embedded_scope), for the addresses netinet6/in6.h IN6_IS_SCOPE_EMBED names: link-local unicast,
    /// interface-local and link-local multicast. netstat moves it into the scope id before printing
    /// (netstat.tproj/route.c p_sockaddr, inet.c inet6print); so do the decoders.
    /// </summary>
    internal static class EmbeddedScope
    {
        /// <summary>Whether the 16 bytes at <paramref name="offset"/> are an address kind that carries an embedded scope.</summary>
        internal static bool IsScoped(byte[] address, int offset)
        {
            byte first = address[offset], second = address[offset + 1];
            if (first == 0xFE) return (second & 0xC0) == 0x80;                 // fe80::/10
            if (first != 0xFF) return false;
            int scope = second & 0x0F, flags = second & 0xF0;
            // ff01::/16 and ff02::/16, but not a unicast-based (flags 0x3) link-local group (IN6_IS_ADDR_MC_LINKLOCAL).
            return scope == 1 || (scope == 2 && flags != 0x30);
        }

        /// <summary>Moves the embedded index out of a scoped 16-byte <paramref name="address"/>: returns it (0 when none) and clears bytes 2-3.</summary>
        internal static uint Take(byte[] address)
        {
            if (!IsScoped(address, 0)) return 0;
            uint scope = (uint)(address[2] << 8 | address[3]);
            address[2] = address[3] = 0;
            return scope;
        }
    }
}
