using System;
using System.Runtime.InteropServices;

namespace PortTools.Platform.MacOS
{
    /// <summary>sysctl net.inet.ip.portrange.first / .last (default 49152-65535). Untested off macOS.</summary>
    internal sealed class MacEphemeralPorts : IEphemeralPortSource
    {
        public EphemeralPortRange? GetRange() =>
            TryRead("net.inet.ip.portrange.first", out int first) && TryRead("net.inet.ip.portrange.last", out int last) && first <= last
                ? new EphemeralPortRange(first, last)
                : (EphemeralPortRange?)null;

        private static bool TryRead(string name, out int value)
        {
            value = 0;
            var size = (UIntPtr)sizeof(int);
            try
            {
                return sysctlbyname(name, ref value, ref size, IntPtr.Zero, UIntPtr.Zero) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return false;
            }
        }

        /// <summary>sysctlbyname(3): int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);</summary>
        [DllImport("libc", SetLastError = true)]
        private static extern int sysctlbyname(string name, ref int oldp, ref UIntPtr oldlenp, IntPtr newp, UIntPtr newlen);
    }
}
