namespace PortTools.Models
{
    /// <summary>Transport-layer protocol of a socket.</summary>
    public enum TransportProtocol
    {
        Tcp,
        Udp,
    }
}
