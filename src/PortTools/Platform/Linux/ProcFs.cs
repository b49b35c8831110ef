using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Every file the Linux backend reads, below one root that tests can point elsewhere. Only I/O: a file or
    /// process that vanished or is not readable comes back as null or empty, never as an exception, because
    /// processes come and go while /proc is read.
    /// </summary>
    internal sealed class ProcFs
    {
        internal ProcFs(string root, string passwdPath, string sysClassNet = "/sys/class/net")
        {
            Root = root;
            PasswdPath = passwdPath;
            SysClassNet = sysClassNet;
        }

        internal static ProcFs Default { get; } = new ProcFs("/proc", "/etc/passwd");

        internal string Root { get; }
        internal string PasswdPath { get; }

        /// <summary>/sys/class/net: one directory per interface of the network namespace sysfs was mounted for.</summary>
        internal string SysClassNet { get; }

        /// <summary>An attribute of one interface, e.g. /sys/class/net/eth0/mtu.</summary>
        internal string InterfaceFile(string interfaceName, string attribute) => Path.Combine(SysClassNet, interfaceName, attribute);

        /// <summary>/proc/net/tcp, tcp6, udp, udp6.</summary>
        internal string SocketTable(TransportProtocol protocol, IPVersion family) =>
            Path.Combine(Root, "net", (protocol == TransportProtocol.Tcp ? "tcp" : "udp") + (family == IPVersion.IPv6 ? "6" : ""));

        /// <summary>A file of the network namespace, e.g. /proc/net/route, /proc/net/snmp, /proc/net/dev.</summary>
        internal string NetFile(string name) => Path.Combine(Root, "net", name);

        internal string ProcessFile(int pid, string name) => Root + "/" + pid.ToString(CultureInfo.InvariantCulture) + "/" + name;

        /// <summary>Opens a text file, or returns null when it is missing or unreadable.</summary>
        internal TextReader? OpenText(string path)
        {
            try
            {
                return new StreamReader(path, Encoding.UTF8, false, 1 << 16);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        internal string? ReadText(string path)
        {
            using TextReader? reader = OpenText(path);
            try
            {
                return reader?.ReadToEnd();
            }
            catch (IOException)
            {
                return null; // the process exited while we read
            }
        }

        /// <summary>The ids of the processes now running (/proc/[0-9]*).</summary>
        internal IEnumerable<int> ProcessIds()
        {
            foreach (string directory in Directory.EnumerateDirectories(Root))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                    yield return pid;
            }
        }

        /// <summary>Full paths of a directory's entries; <paramref name="denied"/> tells a permission refusal from a vanished directory.</summary>
        internal string[] ListDirectory(string path, out bool denied)
        {
            denied = false;
            try
            {
                return Directory.GetFileSystemEntries(path);
            }
            catch (UnauthorizedAccessException)
            {
                denied = true;
            }
            catch (IOException)
            {
                // vanished (DirectoryNotFoundException) or an unreadable entry: nothing to report
            }
            return Array.Empty<string>();
        }

        /// <summary>readlink(2) into <paramref name="buffer"/>; the byte count, or -1 when it fails for any reason.</summary>
        internal int ReadLink(string path, byte[] buffer) =>
            (int)Libc.readlink(path, buffer, (UIntPtr)buffer.Length).ToInt64();

        internal string? ReadLinkText(string path)
        {
            var buffer = new byte[4096];
            int length = ReadLink(path, buffer);
            return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }
    }
}
