using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System;
using PortTools.Models;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Every file the Linux backend reads, below one root that tests can point elsewhere. Only I/O: a file or
    /// process that vanished or is not readable comes back as null or empty, never as an exception, because
    /// processes come and go while /proc is read.
    /// </summary>
    internal sealed class ProcFs
    {
        private readonly byte[] _rootBytes;

        internal ProcFs(string root, string passwdPath, string sysClassNet = "/sys/class/net")
        {
            Root = root;
            _rootBytes = Encoding.UTF8.GetBytes(root);
            PasswdPath = passwdPath;
            SysClassNet = sysClassNet;
            NetDirectory = Path.Combine(root, "net");
        }

        internal static ProcFs Default { get; } = new ProcFs("/proc", "/etc/passwd");

        internal string Root { get; }
        internal string PasswdPath { get; }

        /// <summary>/sys/class/net: one directory per interface of the network namespace sysfs was mounted for.</summary>
        internal string SysClassNet { get; }

        /// <summary>An attribute of one interface, e.g. /sys/class/net/eth0/mtu.</summary>
        internal string InterfaceFile(string interfaceName, string attribute) => Path.Combine(SysClassNet, interfaceName, attribute);

        /// <summary>/proc/net: the network files of the caller's namespace, or of the one <see cref="ForNetwork"/> names.</summary>
        internal string NetDirectory { get; private set; }

        // Opens a network file on a thread inside another namespace; null opens it here.
        private Func<Func<TextReader?>, TextReader?>? _openInNamespace;

        /// <summary>
        /// This /proc with the network files of another namespace: those in <paramref name="netDirectory"/>
        /// (/proc/thread-self/net), opened through <paramref name="openInNamespace"/> on a thread that joined the
        /// namespace. An open file goes on reading the namespace it was opened in.
        /// </summary>
        internal ProcFs ForNetwork(string netDirectory, Func<Func<TextReader?>, TextReader?> openInNamespace) =>
            new ProcFs(Root, PasswdPath, SysClassNet) { NetDirectory = netDirectory, _openInNamespace = openInNamespace };

        /// <summary>/proc/net/tcp, tcp6, udp, udp6.</summary>
        internal string SocketTable(TransportProtocol protocol, IPVersion family) =>
            Path.Combine(NetDirectory, (protocol == TransportProtocol.Tcp ? "tcp" : "udp") + (family == IPVersion.IPv6 ? "6" : ""));

        /// <summary>/proc/sys/net/ipv4/ip_local_port_range: the ephemeral ports, for IPv4 and IPv6 alike.</summary>
        internal string LocalPortRangeFile => Path.Combine(Root, "sys", "net", "ipv4", "ip_local_port_range");

        /// <summary>A file of the network namespace, e.g. /proc/net/route, /proc/net/snmp, /proc/net/dev.</summary>
        internal string NetFile(string name) => Path.Combine(NetDirectory, name);

        /// <summary><see cref="OpenText"/> for a file of <see cref="NetDirectory"/>, in the namespace it belongs to.</summary>
        internal TextReader? OpenNetText(string path) => _openInNamespace == null ? OpenText(path) : _openInNamespace(() => OpenText(path));

        /// <summary>
        /// The hidepid option of this /proc when it hides other users' processes from us (not root); null otherwise.
        /// Those processes are then not listed at all, so nothing else would tell that owners are missing.
        /// </summary>
        internal string? HidePidForCaller()
        {
            if (Libc.geteuid() == 0) return null;
            using TextReader? mountInfo = OpenText(Path.Combine(Root, "self", "mountinfo"));
            return ProcMountInfo.HidePid(mountInfo, Root);
        }

        internal string ProcessFile(int pid, string name) => Root + "/" + pid.ToString(CultureInfo.InvariantCulture) + "/" + name;

        /// <summary>
        /// Opens a text file, or returns null when it is missing or unreadable. The buffer suits the long tables
        /// (/proc/net/tcp); <see cref="ReadText"/> reads the one-line files (comm, sysfs attributes) with a small one.
        /// </summary>
        internal TextReader? OpenText(string path, int bufferSize = 1 << 16)
        {
            try
            {
                return new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1), Encoding.UTF8, false, bufferSize);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        internal string? ReadText(string path)
        {
            using TextReader? reader = OpenText(path, 256);
            try
            {
                return reader?.ReadToEnd();
            }
            catch (IOException)
            {
                return null; // the process exited while we read
            }
        }

        /// <summary>Reads the start of a file into <paramref name="buffer"/>: the byte count, 0 when it is missing or unreadable.</summary>
        internal int ReadBytes(string path, byte[] buffer)
        {
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
                int length = 0;
                for (int read; length < buffer.Length && (read = file.Read(buffer, length, buffer.Length - length)) > 0;) length += read;
                return length;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return 0; // the process exited, or it is another user's and hidepid is set
            }
        }

        /// <summary>The ids of the processes now running (/proc/[0-9]*).</summary>
        internal List<int> ProcessIds() => NumberedEntries(Root, out _);

        /// <summary>
        /// The descriptor numbers of a process (/proc/pid/fd/*). <paramref name="denied"/> says the directory may
        /// not be read (another user's process); a process that vanished simply has none.
        /// </summary>
        internal List<int> DescriptorNumbers(int pid, out bool denied) => NumberedEntries(ProcessFile(pid, "fd"), out denied);

        /// <summary>A buffer for <see cref="ReadDescriptorLink"/>'s path, one per thread.</summary>
        internal byte[] NewDescriptorPathBuffer() => new byte[_rootBytes.Length + 32];

        /// <summary>
        /// readlink(2) of /proc/pid/fd/fd into <paramref name="link"/>: the byte count, or -1 (the descriptor or
        /// process is gone). The path is written into the caller's <paramref name="path"/> buffer (from
        /// <see cref="NewDescriptorPathBuffer"/>), so a scan of many descriptors allocates nothing.
        /// </summary>
        internal int ReadDescriptorLink(int pid, int fd, byte[] path, byte[] link)
        {
            Buffer.BlockCopy(_rootBytes, 0, path, 0, _rootBytes.Length);
            int end = WriteAscii(path, _rootBytes.Length, "/");
            end = WriteDecimal(path, end, pid);
            end = WriteAscii(path, end, "/fd/");
            end = WriteDecimal(path, end, fd);
            path[end] = 0;
            return (int)Libc.readlink(path, link, (UIntPtr)link.Length).ToInt64();
        }

        private static int WriteAscii(byte[] buffer, int offset, string text)
        {
            for (int i = 0; i < text.Length; i++) buffer[offset + i] = (byte)text[i];
            return offset + text.Length;
        }

        private static int WriteDecimal(byte[] buffer, int offset, int value)
        {
            int digits = 1;
            for (int rest = value / 10; rest > 0; rest /= 10) digits++;
            for (int i = offset + digits - 1; i >= offset; i--, value /= 10) buffer[i] = (byte)('0' + value % 10);
            return offset + digits;
        }

        /// <summary>
        /// The entries of a directory whose names are decimal numbers, as numbers, read with readdir64(3): .NET's
        /// own enumeration stats every symlink, one more system call per descriptor in /proc/pid/fd.
        /// </summary>
        internal static List<int> NumberedEntries(string directory, out bool denied)
        {
            var numbers = new List<int>();
            IntPtr handle = Libc.opendir(directory);
            if (handle == IntPtr.Zero)
            {
                int errno = Marshal.GetLastWin32Error();
                denied = errno == Libc.EACCES || errno == Libc.EPERM;
                return numbers;
            }
            denied = false;
            try
            {
                IntPtr entry;
                while ((entry = Libc.readdir64(handle)) != IntPtr.Zero)
                {
                    if (TryParseDecimalName(entry, out int number)) numbers.Add(number);
                }
            }
            finally
            {
                Libc.closedir(handle);
            }
            return numbers;
        }

        /// <summary>The entry's d_name as a decimal number; false for ".", ".." and every other name.</summary>
        private static bool TryParseDecimalName(IntPtr entry, out int number)
        {
            number = 0;
            int length = 0;
            for (byte c; (c = Marshal.ReadByte(entry, Libc.DirentNameOffset + length)) != 0; length++)
            {
                if (c < '0' || c > '9' || number > (int.MaxValue - 9) / 10) return false;
                number = number * 10 + (c - '0');
            }
            return length > 0;
        }

        internal string? ReadLinkText(string path)
        {
            var buffer = new byte[4096];
            int length = (int)Libc.readlink(path, buffer, (UIntPtr)buffer.Length).ToInt64();
            return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }
    }
}
