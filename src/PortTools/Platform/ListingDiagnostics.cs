using System;
using System.Collections.Generic;

namespace PortTools.Platform
{
    /// <summary>
    /// How a backend tells the caller about degraded results without knowing PowerShell: verbose notes,
    /// and warnings that are said once per listing however often they occur.
    /// </summary>
    internal sealed class ListingDiagnostics
    {
        private readonly Action<string> _verbose;
        private readonly Action<string> _warning;
        private readonly HashSet<string> _warned = new HashSet<string>();

        internal ListingDiagnostics(Action<string> verbose, Action<string> warning)
        {
            _verbose = verbose;
            _warning = warning;
        }

        // A new one each time: it remembers what it warned, and callers may run at once.
        internal static ListingDiagnostics Silent => new ListingDiagnostics(_ => { }, _ => { });

        internal void Verbose(string message) => _verbose(message);

        internal void WarnOnce(string key, string message)
        {
            if (_warned.Add(key)) _warning(message);
        }
    }
}
