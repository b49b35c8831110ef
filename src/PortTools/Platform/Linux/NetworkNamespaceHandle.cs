using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Another network namespace, by a name under /run/netns (ip netns exec NAME) or the id of a process in it
    /// (nsenter -n -t PID), held open for one call. Only short-lived threads of its own join it, never the
    /// pipeline's or a pool's: a netlink socket or a /proc/thread-self/net file opened there stays bound to the
    /// namespace after the thread ends, so the listing reads it from any thread, as it reads its own.
    /// </summary>
    internal sealed class NetworkNamespaceHandle : IDisposable
    {
        /// <summary>Where ip netns keeps its named namespaces (bind mounts of nsfs files).</summary>
        internal const string NamedDirectory = "/run/netns";

        // The name's limit in iproute2 (ip/ipnetns.c invalid_name): one path component of at most NAME_MAX bytes.
        private const int MaxNameBytes = 255;

        private readonly FileDescriptor _namespace;

        private NetworkNamespaceHandle(string name, FileDescriptor ns)
        {
            Name = name;
            _namespace = ns;
            // Not /proc/PID/net for a pid: that process may end while the namespace, held open here, lives on.
            Proc = ProcFs.Default.ForNetwork("/proc/thread-self/net", open => Run(open));
        }

        /// <summary>The name, or the process id in decimal: what the listed objects show as their NetworkNamespace.</summary>
        internal string Name { get; }

        /// <summary>/proc with the network files of this namespace (opened from a thread inside it), for the /proc fallback.</summary>
        internal ProcFs Proc { get; }

        /// <summary>
        /// Opens the namespace <paramref name="nameOrProcessId"/> names and joins it once, so that a refusal is told
        /// before anything is read. Throws <see cref="ArgumentException"/> for text that is neither a name nor a
        /// process id, <see cref="FileNotFoundException"/> when there is no such namespace or process, and
        /// <see cref="UnauthorizedAccessException"/> when joining needs a privilege the caller lacks.
        /// </summary>
        internal static NetworkNamespaceHandle Open(string nameOrProcessId)
        {
            string path = PathOf(nameOrProcessId, out int? processId);
            string what = processId is int id
                ? $"the network namespace of process {id.ToString(CultureInfo.InvariantCulture)}"
                : $"network namespace {Commands.PortToolsCmdlet.Quote(nameOrProcessId)}";
            FileDescriptor ns = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (ns.IsInvalid)
            {
                int errno = Marshal.GetLastWin32Error();
                ns.Dispose();
                throw errno switch
                {
                    Libc.ENOENT => new FileNotFoundException(processId is int pid
                        ? $"There is no process {pid.ToString(CultureInfo.InvariantCulture)}."
                        : $"There is no {what}: {NamedDirectory} has no such name. 'ip netns list' shows the names.", path),
                    Libc.EACCES or Libc.EPERM => new UnauthorizedAccessException(
                        $"This user may not open {what} ({path}). Run PowerShell as root (sudo pwsh)."),
                    _ => new Win32Exception(errno),
                };
            }
            var handle = new NetworkNamespaceHandle(processId?.ToString(CultureInfo.InvariantCulture) ?? nameOrProcessId, ns);
            try
            {
                handle.Run(() => true);
            }
            catch (Win32Exception e)
            {
                handle.Dispose();
                throw e.NativeErrorCode switch
                {
                    Libc.EPERM => new UnauthorizedAccessException(
                        $"Joining {what} needs the CAP_SYS_ADMIN capability, which this PowerShell lacks. " +
                        "Run PowerShell as root (sudo pwsh), as ip netns exec and nsenter need."),
                    Libc.EINVAL => new FileNotFoundException($"{path} is not a network namespace (a file left over from ip netns?).", path),
                    _ => e,
                };
            }
            return handle;
        }

        /// <summary>
        /// The nsfs file of a namespace: /run/netns/NAME for a name, /proc/PID/ns/net for a process id (ASCII digits
        /// only: a name of digits alone cannot be given). <see cref="ArgumentException"/> for anything that is not a
        /// single harmless path component.
        /// </summary>
        internal static string PathOf(string text, out int? processId)
        {
            processId = null;
            if (text.Length > 0 && text.All(c => c >= '0' && c <= '9'))
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == 0)
                    throw Invalid(text, "is not a process id (1 to 2147483647)");
                processId = pid;
                return ProcFs.Default.ProcessFile(pid, "ns/net");
            }
            if (NameProblem(text) is string problem) throw Invalid(text, problem);
            return NamedDirectory + "/" + text;
        }

        /// <summary>Why <paramref name="name"/> cannot be a name under /run/netns; null when it can.</summary>
        private static string? NameProblem(string name)
        {
            if (name.Length == 0) return "is empty";
            if (name == "." || name == "..") return "is a directory, not a name";
            if (name.IndexOf('/') >= 0) return "has a '/': a name under /run/netns is one path component";
            if (name.Any(char.IsControl)) return "has control characters";
            if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes) return $"is longer than {MaxNameBytes} bytes";
            return null;
        }

        private static ArgumentException Invalid(string text, string problem) => new ArgumentException(
            $"{Commands.PortToolsCmdlet.Quote(text)} {problem}. -NetworkNamespace takes a name under {NamedDirectory} " +
            "(as ip netns list shows) or the id of a process whose network namespace to read.");

        /// <summary>The names under /run/netns that <see cref="Open"/> takes; none where there is no such directory.</summary>
        internal static IReadOnlyList<string> Names()
        {
            try
            {
                return Directory.EnumerateFiles(NamedDirectory).Select(Path.GetFileName)
                    .Where(name => NameProblem(name) == null && !name.All(c => c >= '0' && c <= '9'))
                    .ToList();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Array.Empty<string>();
            }
        }

        /// <summary>
        /// Runs <paramref name="action"/> on a new thread that joined the namespace first and ends with it, and
        /// returns its result or throws its exception (a refused setns(2) as <see cref="Win32Exception"/>).
        /// </summary>
        internal T Run<T>(Func<T> action)
        {
            T result = default!;
            ExceptionDispatchInfo? failure = null;
            var thread = new Thread(() =>
                {
                    try
                    {
                        if (Libc.setns(_namespace, Libc.CLONE_NEWNET) != 0) throw new Win32Exception(Marshal.GetLastWin32Error());
                        result = action();
                    }
                    catch (Exception e)
                    {
                        failure = ExceptionDispatchInfo.Capture(e);
                    }
                }, maxStackSize: 256 * 1024)
            { IsBackground = true, Name = "PortTools netns" };
            thread.Start();
            thread.Join();
            failure?.Throw();
            return result;
        }

        /// <summary>The interfaces of the namespace, read now (the caller's own if_indextoname(3) would name the caller's).</summary>
        internal InterfaceNames InterfaceNames() => Run(Linux.InterfaceNames.SnapshotFromLibc);

        public void Dispose() => _namespace.Dispose();
    }
}
