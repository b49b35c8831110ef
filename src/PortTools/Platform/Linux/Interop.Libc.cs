using System;
using System.Runtime.InteropServices;

namespace PortTools.Platform.Linux
{
    /// <summary>The libc calls the Linux backend needs; declarations follow the man pages.</summary>
    internal static class Libc
    {
        // The runtime resolves "libc" to libc.so.6 on glibc systems.
        private const string Library = "libc";

        internal const int AF_NETLINK = 16;
        internal const int SOCK_RAW = 3;
        internal const int SOCK_CLOEXEC = 0x80000;
        internal const int NETLINK_ROUTE = 0;
        internal const int NETLINK_SOCK_DIAG = 4;
        internal const int EINTR = 4;

        /// <summary>socket(2)</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern int socket(int domain, int type, int protocol);

        /// <summary>sendto(2); addr is a struct sockaddr_nl (linux/netlink.h).</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr sendto(int fd, byte[] buffer, UIntPtr length, int flags, byte[] address, int addressLength);

        /// <summary>recv(2)</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr recv(int fd, byte[] buffer, UIntPtr length, int flags);

        /// <summary>close(2)</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern int close(int fd);

        /// <summary>readlink(2): no terminating NUL; returns the byte count or -1. Strings marshal as UTF-8 on Unix.</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr readlink(string path, byte[] buffer, UIntPtr size);

        /// <summary>if_indextoname(3): fills buffer (IF_NAMESIZE = 16) with a NUL-terminated name; IntPtr.Zero when no such interface.</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr if_indextoname(uint index, byte[] name);

        /// <summary>if_nametoindex(3): 0 when no such interface.</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern uint if_nametoindex(string name);
    }
}
