using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Threading;
using System;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>What a listing asks of a netlink socket: a dump, message by message. Tests put a failing one between.</summary>
    internal interface INetlinkDumper : IDisposable
    {
        /// <summary>Sends a dump request and yields its messages; an NLMSG_ERROR reply is a <see cref="Win32Exception"/>.</summary>
        IEnumerable<NetlinkMessage> Dump(byte[] request, CancellationToken cancellation);
    }

    /// <summary>
    /// A netlink socket opened through libc: .NET's Socket refuses AF_NETLINK (dotnet/runtime#58327).
    /// Holds no protocol knowledge; it sends a request and hands back the reply datagrams.
    /// </summary>
    internal sealed class NetlinkSocket : INetlinkDumper
    {
        // A kernel dump batch is at most ~32 KiB; 64 KiB never truncates one (netlink(7)).
        private const int ReceiveBufferSize = 64 * 1024;
        private static readonly byte[] KernelAddress = NetlinkAddressOfKernel();
        private readonly FileDescriptor _fd;

        private NetlinkSocket(FileDescriptor fd) => _fd = fd;

        /// <summary>Opens a netlink socket; throws <see cref="Win32Exception"/> (errno) when the kernel or a sandbox refuses.</summary>
        internal static NetlinkSocket Open(int protocol)
        {
            FileDescriptor fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
            if (fd.IsInvalid)
            {
                int errno = Marshal.GetLastWin32Error();
                fd.Dispose();
                throw new Win32Exception(errno);
            }
            return new NetlinkSocket(fd);
        }

        /// <summary>
        /// Opens a netlink socket, or returns null with a verbose note when the kernel or a sandbox (seccomp, a
        /// systemd unit without AF_NETLINK) refuses, so that the caller falls back to /proc/net.
        /// </summary>
        internal static T? TryOpen<T>(Func<T> open, string family, ListingDiagnostics diagnostics) where T : class, IDisposable
        {
            try
            {
                return open();
            }
            catch (Exception e) when (e is Win32Exception || e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                diagnostics.Verbose($"Netlink {family} is not available ({e.Message}); reading /proc/net instead.");
                return null;
            }
        }

        /// <summary>
        /// Sends a dump request and yields its messages up to NLMSG_DONE. The message buffers are reused:
        /// read each message before asking for the next.
        /// </summary>
        public IEnumerable<NetlinkMessage> Dump(byte[] request, CancellationToken cancellation)
        {
            uint sequence = NetlinkDecoder.SequenceOf(request);
            Send(request);
            var buffer = new byte[ReceiveBufferSize];
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                int length = Receive(buffer);
                foreach (NetlinkMessage message in NetlinkDecoder.Split(buffer, length))
                {
                    if (message.Sequence != sequence) continue;
                    if (message.Type == NetlinkDecoder.NLMSG_DONE) yield break;
                    if (message.Type == NetlinkDecoder.NLMSG_ERROR)
                    {
                        int error = NetlinkDecoder.ErrorCode(message);
                        if (error == 0) continue; // an ACK
                        throw new NetlinkErrorException(-error);
                    }
                    yield return message;
                }
            }
        }

        /// <summary>
        /// Sends a request that is not a dump (e.g. RTM_GETROUTE for one address) and returns its single reply;
        /// an NLMSG_ERROR reply becomes a <see cref="Win32Exception"/> with the kernel's errno.
        /// </summary>
        internal NetlinkMessage Request(byte[] request, CancellationToken cancellation)
        {
            uint sequence = NetlinkDecoder.SequenceOf(request);
            Send(request);
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                var buffer = new byte[ReceiveBufferSize]; // returned to the caller: never reused
                int length = Receive(buffer);
                foreach (NetlinkMessage message in NetlinkDecoder.Split(buffer, length))
                {
                    if (message.Sequence != sequence) continue;
                    if (message.Type == NetlinkDecoder.NLMSG_ERROR)
                    {
                        int error = NetlinkDecoder.ErrorCode(message);
                        if (error != 0) throw new NetlinkErrorException(-error);
                        continue;
                    }
                    return message;
                }
            }
        }

        private void Send(byte[] request)
        {
            while (Libc.sendto(_fd, request, (UIntPtr)request.Length, 0, KernelAddress, KernelAddress.Length).ToInt64() < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno != Libc.EINTR) throw new Win32Exception(errno);
            }
        }

        private int Receive(byte[] buffer)
        {
            while (true)
            {
                long received = Libc.recv(_fd, buffer, (UIntPtr)buffer.Length, 0).ToInt64();
                if (received >= 0) return (int)received;
                int errno = Marshal.GetLastWin32Error();
                if (errno != Libc.EINTR) throw new Win32Exception(errno);
            }
        }

        /// <summary>struct sockaddr_nl { nl_family = AF_NETLINK; nl_pid = 0 (the kernel); nl_groups = 0 }.</summary>
        private static byte[] NetlinkAddressOfKernel()
        {
            var address = new byte[12];
            ByteReader.WriteUInt16LittleEndian(address, 0, Libc.AF_NETLINK);
            return address;
        }

        /// <summary>Closes the socket; a call still in recv(2) on another thread keeps it open until it returns (SafeHandle).</summary>
        public void Dispose() => _fd.Dispose();
    }

    /// <summary>
    /// The kernel answered a request with an error (NLMSG_ERROR and its errno), as opposed to a failed system call:
    /// for a route lookup that answer is "no route".
    /// </summary>
    internal sealed class NetlinkErrorException : Win32Exception
    {
        internal NetlinkErrorException(int errno) : base(errno) { }
    }
}
