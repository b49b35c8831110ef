using System;

namespace PortTools.Platform
{
    /// <summary>
    /// The OS looked the destination up and has no usable route to it (unreachable, blackhole, prohibit): an answer,
    /// not a failure to read. Anything else a route source throws is a failure (RouteListingFailed).
    /// </summary>
    internal sealed class NoRouteException : Exception
    {
        internal NoRouteException(string reason, Exception? inner = null) : base(reason, inner) { }
    }
}
