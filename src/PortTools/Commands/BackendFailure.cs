using System;
using System.ComponentModel;
using System.IO;
using System.Management.Automation;

namespace PortTools.Commands
{
    /// <summary>
    /// How every cmdlet reports what a backend throws, whichever OS it runs on: a platform without a backend
    /// (NotImplemented), or a native table or file that could not be read (ReadError, the cmdlet's own id): a
    /// failing OS call (Win32Exception), a malformed binary record (FormatException), a text file whose header is
    /// not the format this version knows (InvalidDataException), a file that is missing or denied.
    /// </summary>
    internal static class BackendFailure
    {
        internal const string PlatformNotSupportedErrorId = "PlatformNotSupported";

        /// <summary>Whether a backend failed (no backend, or a table it could not read), as opposed to a bug.</summary>
        internal static bool IsBackendFailure(Exception e) =>
            e is PlatformNotSupportedException or Win32Exception or FormatException or InvalidDataException or IOException or UnauthorizedAccessException;

        /// <summary>The error record for a backend failure; null for any other exception, a bug left to surface as is.</summary>
        internal static ErrorRecord? ToErrorRecord(Exception e, string readFailedErrorId, string what) => e switch
        {
            PlatformNotSupportedException => new ErrorRecord(e, PlatformNotSupportedErrorId, ErrorCategory.NotImplemented, null),
            Win32Exception or FormatException or InvalidDataException or IOException or UnauthorizedAccessException => new ErrorRecord(
                new InvalidOperationException($"{what} could not be read: {e.Message}", e), readFailedErrorId, ErrorCategory.ReadError, null),
            _ => null,
        };
    }
}
