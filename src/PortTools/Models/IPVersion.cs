namespace PortTools.Models
{
    /// <summary>IP address family, named as Get-NetIPAddress and Get-NetRoute name it.</summary>
    public enum IPVersion
    {
        IPv4,
        IPv6,
    }
}
