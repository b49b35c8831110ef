namespace PortTools.Models
{
    /// <summary>What a route does with a matching packet (linux/rtnetlink.h, RTN_*; `ip route` type names).</summary>
    public enum RouteType
    {
        Unspecified = 0,
        /// <summary>A gateway or a directly attached network.</summary>
        Unicast = 1,
        /// <summary>An address of this host (local table).</summary>
        Local = 2,
        Broadcast = 3,
        Anycast = 4,
        Multicast = 5,
        /// <summary>Dropped silently.</summary>
        Blackhole = 6,
        /// <summary>Dropped with ICMP host unreachable.</summary>
        Unreachable = 7,
        /// <summary>Dropped with ICMP administratively prohibited.</summary>
        Prohibit = 8,
        /// <summary>Lookup continues in the next policy rule.</summary>
        Throw = 9,
        Nat = 10,
        ExternalResolve = 11,
    }

    /// <summary>
    /// Who installed a route (linux/rtnetlink.h, RTPROT_*; the names `ip route` prints). Values the header
    /// does not name (routing daemons pick their own) stay numeric.
    /// </summary>
    public enum RouteProtocol
    {
        /// <summary>Not known, or the source does not tell.</summary>
        Unspecified = 0,
        Redirect = 1,
        /// <summary>Added by the kernel for an address (connected and local routes).</summary>
        Kernel = 2,
        /// <summary>Added at boot or by `ip route add` without a protocol.</summary>
        Boot = 3,
        Static = 4,
        Gated = 8,
        /// <summary>IPv6 router advertisement.</summary>
        Ra = 9,
        Mrt = 10,
        Zebra = 11,
        Bird = 12,
        DnRouted = 13,
        Xorp = 14,
        Ntk = 15,
        Dhcp = 16,
        Mrouted = 17,
        Keepalived = 18,
        Babel = 42,
        OpenR = 99,
        Bgp = 186,
        IsIs = 187,
        Ospf = 188,
        Rip = 189,
        Eigrp = 192,
    }

    /// <summary>How far a destination is (linux/rtnetlink.h, RT_SCOPE_*; `ip route` prints Global as "global").</summary>
    public enum RouteScope
    {
        /// <summary>RT_SCOPE_UNIVERSE: reached through a gateway or anywhere.</summary>
        Global = 0,
        Site = 200,
        /// <summary>On a directly attached link.</summary>
        Link = 253,
        /// <summary>On this host.</summary>
        Host = 254,
        Nowhere = 255,
    }
}
