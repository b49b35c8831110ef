using System;
using System.Text;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// The name Get-Process shows for a Linux process. The kernel keeps only 15 bytes of it (comm, TASK_COMM_LEN
    /// 16 with its NUL); like .NET's Process.ProcessName, a comm of that length is completed from the base name of
    /// argv[0] when that name starts with it ("systemd-resolve" becomes "systemd-resolved"), so -ProcessName, its
    /// completion and Get-Process agree. Pure.
    /// </summary>
    internal static class ProcessName
    {
        internal const int CommLength = 15;

        /// <param name="comm">/proc/pid/comm without its newline.</param>
        /// <param name="cmdline">/proc/pid/cmdline (arguments separated by NUL), read only when comm may be cut; null if unread.</param>
        /// <param name="length">How many bytes of <paramref name="cmdline"/> were read.</param>
        internal static string Of(string comm, byte[]? cmdline, int length)
        {
            if (cmdline == null || !MayBeCut(comm)) return comm;
            int end = Array.IndexOf(cmdline, (byte)0, 0, length);
            string argv0 = Encoding.UTF8.GetString(cmdline, 0, end < 0 ? length : end);
            string baseName = argv0.Substring(argv0.LastIndexOf('/') + 1);
            return baseName.StartsWith(comm, StringComparison.Ordinal) ? baseName : comm;
        }

        /// <summary>Whether <see cref="Of"/> needs the command line: only a comm that fills the kernel's field may be cut.</summary>
        internal static bool MayBeCut(string comm) => Encoding.UTF8.GetByteCount(comm) >= CommLength;
    }
}
