using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// The Darwin calls the macOS backend needs (docs/dev/platform-layouts.md, "Darwin calls"). Raw bytes and strings only: all
    /// layout knowledge is in the decoders. Untestable off macOS, so it holds no logic beyond the retry.
    /// </summary>
    internal static class Darwin
    {
        private const string Libc = "libc";
        // Same constant as .NET's Interop.Libraries.libproc.
        private const string LibProc = "/usr/lib/libproc.dylib";

        internal const int ENOMEM = 12;

        // PROC_PIDPATHINFO_MAXSIZE = 4 * MAXPATHLEN (bsd/sys/proc_info.h).
        private const int ProcPidPathMaxSize = 4096;

        // The table can grow between the size query and the fetch; netstat retries too (route.c routepr).
        private const int MaxAttempts = 10;

        /// <summary>sysctlbyname(3): int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);</summary>
        [DllImport(Libc, SetLastError = true)]
        private static extern int sysctlbyname(string name, byte[]? oldp, ref UIntPtr oldlenp, IntPtr newp, UIntPtr newlen);

        /// <summary>geteuid(2)</summary>
        [DllImport(Libc)]
        private static extern uint geteuid();

        /// <summary>proc_pidpath(3) (libproc.h): int proc_pidpath(int pid, void *buffer, uint32_t buffersize); the path length, or 0 with errno.</summary>
        [DllImport(LibProc, SetLastError = true)]
        private static extern int proc_pidpath(int pid, byte[] buffer, uint buffersize);

        /// <summary>sysctl(3): int sysctl(int *name, u_int namelen, void *oldp, size_t *oldlenp, void *newp, size_t newlen);</summary>
        [DllImport(Libc, SetLastError = true)]
        private static extern int sysctl(int[] name, uint namelen, byte[]? oldp, ref UIntPtr oldlenp, IntPtr newp, UIntPtr newlen);

        /// <summary>One read of a sysctl into <paramref name="buffer"/> (null: the size query); 0 or -1 with errno.</summary>
        private delegate int SysctlRead(byte[]? buffer, ref UIntPtr size);

        /// <summary>The value of sysctl <paramref name="name"/> (net.inet.tcp.pcblist_n): buffer and byte count filled.</summary>
        /// <exception cref="Win32Exception">errno of the failing call.</exception>
        internal static (byte[] Buffer, int Length) SysctlByName(string name) =>
            ReadGrowing($"sysctl {name}", (byte[]? buffer, ref UIntPtr size) => sysctlbyname(name, buffer, ref size, IntPtr.Zero, UIntPtr.Zero));

        /// <summary>The value of the sysctl named by the numbers <paramref name="mib"/> ({4, 17, 0, 0, 7, 0}: the routing table).</summary>
        /// <exception cref="Win32Exception">errno of the failing call.</exception>
        internal static (byte[] Buffer, int Length) Sysctl(int[] mib) =>
            ReadGrowing($"sysctl {{{string.Join(", ", mib)}}}", (byte[]? buffer, ref UIntPtr size) => sysctl(mib, (uint)mib.Length, buffer, ref size, IntPtr.Zero, UIntPtr.Zero));

        /// <summary>
        /// The size query first, then the fetch with 1/8 slack, again with more room on ENOMEM while the table
        /// grows. Returns the buffer and the byte count filled.
        /// </summary>
        private static (byte[] Buffer, int Length) ReadGrowing(string what, SysctlRead read)
        {
            for (int attempt = 0; ; attempt++)
            {
                var size = UIntPtr.Zero;
                if (read(null, ref size) != 0)
                    throw new Win32Exception(Marshal.GetLastWin32Error(), $"{what}: size query failed.");
                ulong wanted = size.ToUInt64();
                wanted += wanted / 8 + 4096;
                if (wanted > int.MaxValue) throw new Win32Exception(ENOMEM, $"{what}: {wanted} bytes is too large.");
                var buffer = new byte[(int)wanted];
                size = (UIntPtr)(ulong)buffer.Length;
                if (read(buffer, ref size) == 0)
                    return (buffer, (int)size.ToUInt64());
                int errno = Marshal.GetLastWin32Error();
                if (errno != ENOMEM || attempt + 1 >= MaxAttempts)
                    throw new Win32Exception(errno, $"{what} failed.");
            }
        }

        /// <summary>A sysctl whose value is one int (net.inet.ip.portrange.first); false when it cannot be read.</summary>
        internal static bool TrySysctlInt(string name, out int value)
        {
            value = 0;
            var buffer = new byte[sizeof(int)];
            var size = (UIntPtr)buffer.Length;
            try
            {
                if (sysctlbyname(name, buffer, ref size, IntPtr.Zero, UIntPtr.Zero) != 0 || size.ToUInt64() != (ulong)buffer.Length) return false;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return false; // not a Darwin libc
            }
            value = BitConverter.ToInt32(buffer, 0); // the host's byte order, as the kernel wrote it
            return true;
        }

        /// <summary>The caller's effective user id; 0 is root.</summary>
        internal static uint EffectiveUserId() => geteuid();

        /// <summary>The executable of <paramref name="pid"/> (PROC_PIDPATHINFO, no same-user check), or null when it is gone.</summary>
        internal static string? ProcessPath(int pid)
        {
            var buffer = new byte[ProcPidPathMaxSize];
            int length = proc_pidpath(pid, buffer, (uint)buffer.Length);
            return length > 0 ? Encoding.UTF8.GetString(buffer, 0, Math.Min(length, buffer.Length)) : null;
        }
    }
}
