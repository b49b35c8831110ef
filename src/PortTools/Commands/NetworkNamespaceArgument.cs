using System.Collections.Generic;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Management.Automation;
using System;
using PortTools.Platform;
using PortTools.Platform.Linux;

namespace PortTools.Commands
{
    /// <summary>
    /// -NetworkNamespace of Get-PortConnection, Watch-PortConnection and Get-RouteTable: opens the namespace and
    /// turns each way that can fail into an error record of its own, before anything is read.
    /// </summary>
    internal static class NetworkNamespaceArgument
    {
        internal const string InvalidErrorId = "InvalidNetworkNamespace";
        internal const string NotFoundErrorId = "NetworkNamespaceNotFound";
        internal const string PermissionDeniedErrorId = "NetworkNamespacePermissionDenied";
        internal const string NotSupportedErrorId = "NetworkNamespaceNotSupported";
        internal const string OpenFailedErrorId = "NetworkNamespaceOpenFailed";

        /// <summary>The namespace <paramref name="text"/> names; any failure ends <paramref name="cmdlet"/>.</summary>
        internal static NetworkNamespaceHandle Open(Cmdlet cmdlet, string text)
        {
            try
            {
                return Backends.OpenNetworkNamespace(text);
            }
            catch (Exception e) when (ErrorFor(e, text) is ErrorRecord error)
            {
                cmdlet.ThrowTerminatingError(error);
                throw; // not reached: ThrowTerminatingError throws
            }
        }

        private static ErrorRecord? ErrorFor(Exception e, string text) => e switch
        {
            PlatformNotSupportedException => new ErrorRecord(e, NotSupportedErrorId, ErrorCategory.NotImplemented, text),
            ArgumentException => new ErrorRecord(e, InvalidErrorId, ErrorCategory.InvalidArgument, text),
            FileNotFoundException => new ErrorRecord(new ItemNotFoundException(e.Message, e), NotFoundErrorId, ErrorCategory.ObjectNotFound, text),
            UnauthorizedAccessException => new ErrorRecord(e, PermissionDeniedErrorId, ErrorCategory.PermissionDenied, text),
            _ => BackendFailure.ToErrorRecord(e, OpenFailedErrorId, "The network namespace"),
        };
    }

    /// <summary>Completes -NetworkNamespace with the names under /run/netns (ip netns list).</summary>
    internal sealed class NetworkNamespaceCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = wordToComplete.Trim('\'', '"');
            return NetworkNamespaceHandle.Names()
                .Where(name => name.StartsWith(typed, StringComparison.Ordinal))
                .OrderBy(name => name, StringComparer.Ordinal)
                .Select(name => CompletionText.For(name))
                .ToList();
        }
    }
}
