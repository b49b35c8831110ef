using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

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
        internal const int EACCES = 13;
        internal const int EPERM = 1;

        /// <summary>socket(2); the descriptor is owned by the returned handle (invalid on failure, errno set).</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern FileDescriptor socket(int domain, int type, int protocol);

        /// <summary>sendto(2); addr is a struct sockaddr_nl (linux/netlink.h).</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr sendto(FileDescriptor fd, byte[] buffer, UIntPtr length, int flags, byte[] address, int addressLength);

        /// <summary>recv(2)</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr recv(FileDescriptor fd, byte[] buffer, UIntPtr length, int flags);

        /// <summary>close(2)</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern int close(int fd);

        /// <summary>readlink(2): no terminating NUL; returns the byte count or -1. Strings marshal as UTF-8 on Unix.</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr readlink(string path, byte[] buffer, UIntPtr size);

        /// <summary>readlink(2) with a NUL-terminated UTF-8 path the caller built: no marshalling per call.</summary>
        [DllImport(Library, EntryPoint = "readlink", SetLastError = true)]
        internal static extern IntPtr readlink(byte[] path, byte[] buffer, UIntPtr size);

        /// <summary>opendir(3); IntPtr.Zero on failure (errno set).</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr opendir(string path);

        /// <summary>readdir(3); IntPtr.Zero at the end. The entry is a struct dirent (see DirentNameOffset).</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr readdir(IntPtr directory);

        /// <summary>closedir(3)</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern int closedir(IntPtr directory);

        /// <summary>
        /// Offset of d_name in glibc's and musl's struct dirent: d_ino and d_off (each the size of a long),
        /// d_reclen (2), d_type (1). 19 on 64-bit, 11 on 32-bit.
        /// </summary>
        internal static readonly int DirentNameOffset = 2 * IntPtr.Size + 3;

        /// <summary>geteuid(2)</summary>
        [DllImport(Library)]
        internal static extern uint geteuid();

        /// <summary>if_indextoname(3): fills buffer (IF_NAMESIZE = 16) with a NUL-terminated name; IntPtr.Zero when no such interface.</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr if_indextoname(uint index, byte[] name);

        /// <summary>if_nametoindex(3): 0 when no such interface.</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern uint if_nametoindex(string name);
    }

    /// <summary>
    /// A descriptor that is closed exactly once, even when the owner is disposed while another thread is inside a
    /// call on it (the P/Invoke marshaller holds a reference for the call) or never disposed (the finalizer closes it).
    /// </summary>
    internal sealed class FileDescriptor : SafeHandleMinusOneIsInvalid
    {
        private FileDescriptor() : base(ownsHandle: true) { }

        protected override bool ReleaseHandle() => Libc.close(handle.ToInt32()) == 0;
    }
}
