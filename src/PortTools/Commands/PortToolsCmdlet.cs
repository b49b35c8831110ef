using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System;
using PortTools.Formatting;
using PortTools.Platform;
using PortTools.Platform.Linux;

namespace PortTools.Commands
{
    /// <summary>
    /// What every PortTools cmdlet shares: Ctrl+C cancels the backend at once (StopProcessing), backend failures
    /// become error records with stable ids, wildcard parameters are checked before anything is read, and user
    /// input is quoted safely in messages. Cmdlets keep only their binding and their query.
    /// </summary>
    public abstract class PortToolsCmdlet : PSCmdlet, IDisposable
    {
        internal const string InvalidWildcardErrorId = "InvalidWildcardPattern";

        // Quoted user input is cut to this many characters: a message must stay readable whatever was typed.
        private const int MaxQuotedLength = 64;

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>Cancelled when the pipeline is stopped (Ctrl+C, Select-Object -First, PowerShell.Stop).</summary>
        private protected CancellationToken StopToken => _stop.Token;

        private protected ListingDiagnostics NewDiagnostics() => new ListingDiagnostics(WriteVerbose, WriteWarning);

        protected override void StopProcessing() => _stop.Cancel();

        // Held open until PowerShell disposes the cmdlet, whether it ended, failed or was stopped.
        private readonly List<IDisposable> _held = new List<IDisposable>();

        public void Dispose()
        {
            _stop.Dispose();
            foreach (IDisposable held in _held) held.Dispose();
        }

        /// <summary>-NetworkNamespace: the namespace, held until the cmdlet is disposed; a failure ends the cmdlet.</summary>
        private protected NetworkNamespaceHandle OpenNetworkNamespace(string nameOrProcessId)
        {
            NetworkNamespaceHandle netns = NetworkNamespaceArgument.Open(this, nameOrProcessId);
            _held.Add(netns);
            return netns;
        }

        /// <summary>
        /// Runs a backend call: a stop ends it quietly, a backend failure ends the cmdlet with the error record of
        /// <see cref="BackendFailure"/>. False when it was stopped.
        /// </summary>
        private protected bool RunBackend(Action action, string readFailedErrorId, string what)
        {
            try
            {
                action();
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (Exception e) when (BackendFailure.ToErrorRecord(e, readFailedErrorId, what) is ErrorRecord error)
            {
                ThrowTerminatingError(error);
                return false;
            }
        }

        /// <summary>
        /// A test that any of <paramref name="patterns"/> matches a name (case-insensitive wildcards), or null when
        /// none were given. Every pattern is parsed now: an invalid one ('[') ends the cmdlet with
        /// InvalidWildcardPattern before anything is listed, whether or not something would have matched.
        /// </summary>
        private protected Func<string, bool>? WildcardMatcher(string[]? patterns, string parameter)
        {
            if (patterns == null) return null;
            WildcardPattern[] parsed = patterns.Select(text => ParseWildcard(text, parameter)).ToArray();
            return name => parsed.Any(p => p.IsMatch(name));
        }

        private protected WildcardPattern ParseWildcard(string text, string parameter)
        {
            var pattern = WildcardPattern.Get(text, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            try
            {
                pattern.IsMatch(""); // parses it: an unclosed '[' throws here rather than mid-listing
            }
            catch (WildcardPatternException)
            {
                // Not the exception's message: it repeats the whole pattern raw.
                ThrowInvalidArgument($"{Quote(text)} is not a valid wildcard pattern for -{parameter}: a [ has no closing ]. " +
                    "Put a backtick before a literal [ or ] (`[), or use a pattern such as nginx*.", InvalidWildcardErrorId, parameter, text);
            }
            return pattern;
        }

        /// <summary>
        /// The "no such X" error for each name without wildcards that matched none of <paramref name="found"/>
        /// (as Get-NetRoute and Get-Process do); a pattern that matched nothing is silence, as it is everywhere.
        /// </summary>
        private protected void ReportUnmatchedNames(string[]? names, ICollection<string> found, Func<string, string> message, string errorId)
        {
            foreach (string name in names ?? Array.Empty<string>())
            {
                if (WildcardPattern.ContainsWildcardCharacters(name)) continue;
                if (found.Any(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase))) continue;
                WriteError(new ErrorRecord(new ItemNotFoundException(message(Quote(name))), errorId, ErrorCategory.ObjectNotFound, name));
            }
        }

        /// <summary>Ends the cmdlet with an InvalidArgument error about <paramref name="parameter"/>.</summary>
        private protected void ThrowInvalidArgument(string message, string errorId, string parameter, object? target) =>
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message, parameter), errorId, ErrorCategory.InvalidArgument, target));

        /// <summary>User input for a message: in single quotes, control characters escaped, cut to a sane length.</summary>
        internal static string Quote(string? text)
        {
            string value = text ?? "";
            if (value.Length > MaxQuotedLength) value = value.Substring(0, MaxQuotedLength) + "...";
            return "'" + DisplayText.Escape(value) + "'";
        }
    }
}
