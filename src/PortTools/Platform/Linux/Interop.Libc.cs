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
        internal const int ENOENT = 2;
        internal const int EINVAL = 22;
        internal const int O_RDONLY = 0;
        internal const int O_CLOEXEC = 0x80000;
        internal const int CLONE_NEWNET = 0x40000000;

        /// <summary>socket(2); the descriptor is owned by the returned handle (invalid on failure, errno set).</summary>
        internal static FileDescriptor socket(int domain, int type, int protocol) => new FileDescriptor(SocketDescriptor(domain, type, protocol));

        // socket(2) and open(2) return an int: a SafeHandle return would take the whole register, where -1 may come
        // zero-extended (a C function returning int sets only the low half) and then is no invalid handle.
        [DllImport(Library, EntryPoint = "socket", SetLastError = true)]
        private static extern int SocketDescriptor(int domain, int type, int protocol);

        [DllImport(Library, EntryPoint = "open", SetLastError = true)]
        private static extern int OpenDescriptor(string path, int flags);

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

        /// <summary>
        /// readdir64(3); IntPtr.Zero at the end. The entry is a <see cref="Dirent64"/>: readdir64 rather than readdir,
        /// whose struct has 32-bit d_ino and d_off on 32-bit glibc, so that one layout holds on every architecture.
        /// </summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr readdir64(IntPtr directory);

        /// <summary>closedir(3)</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern int closedir(IntPtr directory);

        /// <summary>Offset of d_name in the entries readdir64 returns, from the declared layout (19).</summary>
        internal static readonly int DirentNameOffset = (int)Marshal.OffsetOf(typeof(Dirent64), nameof(Dirent64.d_name));

        /// <summary>geteuid(2)</summary>
        [DllImport(Library)]
        internal static extern uint geteuid();

        /// <summary>if_indextoname(3): fills buffer (IF_NAMESIZE = 16) with a NUL-terminated name; IntPtr.Zero when no such interface.</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr if_indextoname(uint index, byte[] name);

        /// <summary>if_nametoindex(3): 0 when no such interface.</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern uint if_nametoindex(string name);

        /// <summary>open(2); the descriptor is owned by the returned handle (invalid on failure, errno set).</summary>
        internal static FileDescriptor open(string path, int flags) => new FileDescriptor(OpenDescriptor(path, flags));

        /// <summary>setns(2): moves the calling thread (only it) into the namespace the descriptor refers to.</summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern int setns(FileDescriptor fd, int nstype);

        /// <summary>
        /// if_nameindex(3): every interface of the caller's network namespace, an array of struct if_nameindex
        /// { unsigned int if_index; char *if_name; } ended by a zero entry; IntPtr.Zero on failure. Free with
        /// if_freenameindex.
        /// </summary>
        [DllImport(Library, SetLastError = true)]
        internal static extern IntPtr if_nameindex();

        /// <summary>if_freenameindex(3)</summary>
        [DllImport(Library)]
        internal static extern void if_freenameindex(IntPtr index);
    }

    /// <summary>
    /// struct dirent64, as readdir64(3) returns it: glibc's (sysdeps/unix/sysv/linux/bits/dirent.h, glibc 2.36), musl's
    /// struct dirent (include/dirent.h: ino_t and off_t are 64-bit on every architecture) and the kernel's
    /// linux_dirent64 (include/linux/dirent.h), which getdents64(2) fills, have this one layout on 32- and 64-bit
    /// architectures alike. Only the fixed part is declared; d_name runs on, NUL-terminated (docs/dev/platform-layouts.md,
    /// "Directory entries").
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Dirent64
    {
#pragma warning disable CS0649 // filled by the C library, read through Marshal
        internal ulong d_ino;      // __ino64_t
        internal long d_off;       // __off64_t
        internal ushort d_reclen;  // unsigned short
        internal byte d_type;      // unsigned char: DT_DIR 4, DT_REG 8, DT_LNK 10, ...
        internal byte d_name;      // char d_name[256]: its first byte
#pragma warning restore CS0649
    }

    /// <summary>
    /// A descriptor that is closed exactly once, even when the owner is disposed while another thread is inside a
    /// call on it (the P/Invoke marshaller holds a reference for the call) or never disposed (the finalizer closes it).
    /// </summary>
    internal sealed class FileDescriptor : SafeHandleMinusOneIsInvalid
    {
        internal FileDescriptor(int fd) : base(ownsHandle: true) => SetHandle((IntPtr)fd);

        protected override bool ReleaseHandle() => Libc.close(handle.ToInt32()) == 0;
    }
}
