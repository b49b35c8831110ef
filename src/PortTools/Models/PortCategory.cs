namespace PortTools.Models
{
    /// <summary>
    /// The three port ranges of RFC 6335, section 6: System (well-known) 0-1023, User (registered)
    /// 1024-49151, Dynamic (private, never assigned) 49152-65535.
    /// </summary>
    public enum PortCategory
    {
        WellKnown,
        Registered,
        Dynamic,
    }
}
