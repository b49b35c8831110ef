namespace PortTools.Platform
{
    /// <summary>An inclusive port range.</summary>
    internal readonly struct EphemeralPortRange
    {
        internal EphemeralPortRange(int first, int last)
        {
            First = first;
            Last = last;
        }

        internal int First { get; }
        internal int Last { get; }

        internal bool Contains(int port) => First <= port && port <= Last;

        public override string ToString() => $"{First}-{Last}";
    }

    /// <summary>
    /// The range this host picks client source ports from. It differs from RFC 6335's Dynamic range
    /// (49152-65535): Linux defaults to 32768-60999, and admins change it.
    /// </summary>
    internal interface IEphemeralPortSource
    {
        /// <summary>The range, or null when this host does not say.</summary>
        EphemeralPortRange? GetRange();
    }
}
