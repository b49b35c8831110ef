namespace PortTools.Models
{
    /// <summary>What happened to a connection between two refreshes of Watch-PortConnection.</summary>
    public enum ConnectionChangeKind
    {
        /// <summary>The socket appeared.</summary>
        Opened,

        /// <summary>The socket is gone.</summary>
        Closed,

        /// <summary>The same socket is in another TCP state (Established to CloseWait, FinWait2 to TimeWait).</summary>
        StateChanged,
    }
}
