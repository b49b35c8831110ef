namespace PortTools.Models
{
    /// <summary>The transport protocols IANA assigns port numbers for (RFC 6335, section 5).</summary>
    public enum RegistryProtocol
    {
        Tcp,
        Udp,
        Sctp,
        Dccp,
    }
}
