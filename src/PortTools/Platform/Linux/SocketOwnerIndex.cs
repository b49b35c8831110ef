using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Query;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Which process holds which socket: one pass over /proc/&lt;pid&gt;/fd that maps socket inode to pid
    /// (a hash map, so the cost grows with the number of descriptors, not sockets × processes), plus each
    /// owner's name and executable, read once per process.
    /// </summary>
    internal sealed class SocketOwnerIndex
    {
        private readonly ProcFs _proc;
        private readonly Dictionary<ulong, int> _pidByInode = new Dictionary<ulong, int>();
        // The further holders of the few sockets shared after fork, so the common case stays one int per socket.
        private readonly Dictionary<ulong, List<int>> _morePidsByInode = new Dictionary<ulong, List<int>>();
        private readonly Dictionary<int, ProcessOwner> _owners = new Dictionary<int, ProcessOwner>();
        private readonly SystemdUnits _units;

        private SocketOwnerIndex(ProcFs proc)
        {
            _proc = proc;
            _units = new SystemdUnits(proc);
        }

        /// <summary>Processes whose descriptors we may not read (other users' processes, when not root).</summary>
        internal int HiddenProcesses { get; private set; }

        /// <summary>/proc's hidepid option when it hides other users' processes from us altogether; else null.</summary>
        internal string? HidePid { get; private set; }

        /// <summary>Why some owners cannot be known, for the one warning of a listing; null when every owner can be.</summary>
        internal string? WhyOwnersAreHidden =>
            HidePid != null
                ? $"/proc is mounted with hidepid={HidePid}, which hides the processes of other users"
                : HiddenProcesses > 0 ? $"the open files of {HiddenProcesses} processes of other users cannot be read without root" : null;

        /// <summary>
        /// Scans the processes the query can match: only the given pids, or only the processes with a
        /// matching name or service, or else all of them.
        /// </summary>
        internal static SocketOwnerIndex Build(ProcFs proc, ConnectionQuery query, CancellationToken cancellation)
        {
            var index = new SocketOwnerIndex(proc) { HidePid = proc.HidePidForCaller() };
            int[] pids = (query.ProcessIds.Count > 0 ? (IEnumerable<int>)query.ProcessIds : proc.ProcessIds())
                .Where(pid => query.ProcessNameMatches == null || (index.Owner(pid).Name is string name && query.ProcessNameMatches(name)))
                .Where(pid => query.ServiceNameMatches == null || query.MatchesService(index.Owner(pid)))
                .OrderBy(pid => pid)
                .ToArray();

            // One readlink per descriptor is the whole cost: list every descriptor first (cheap), then read
            // the links in parallel, so that one process holding most sockets is spread over every core.
            var owners = new List<int>();
            var descriptors = new List<int>();
            foreach (int pid in pids)
            {
                cancellation.ThrowIfCancellationRequested();
                List<int> fds = proc.DescriptorNumbers(pid, out bool denied);
                if (denied) index.HiddenProcesses++;
                foreach (int fd in fds)
                {
                    owners.Add(pid);
                    descriptors.Add(fd);
                }
            }
            var inodes = new ulong[descriptors.Count];
            Parallel.For(0, descriptors.Count, new ParallelOptions { CancellationToken = cancellation },
                () => (Path: proc.NewDescriptorPathBuffer(), Link: new byte[64]),
                (i, _, buffers) =>
                {
                    int length = proc.ReadDescriptorLink(owners[i], descriptors[i], buffers.Path, buffers.Link);
                    if (SocketLink.TryParseInode(buffers.Link, length, out ulong inode)) inodes[i] = inode;
                    return buffers;
                },
                _ => { });

            // In pid order: after fork several processes share a socket; the first (lowest pid) is its owner.
            for (int i = 0; i < inodes.Length; i++)
            {
                ulong inode = inodes[i];
                if (inode == 0) continue;
                if (!index._pidByInode.TryGetValue(inode, out int first)) index._pidByInode.Add(inode, owners[i]);
                else if (first != owners[i]) index.AddFurtherHolder(inode, owners[i]);
            }
            return index;
        }

        private void AddFurtherHolder(ulong inode, int pid)
        {
            if (!_morePidsByInode.TryGetValue(inode, out List<int>? pids)) _morePidsByInode.Add(inode, pids = new List<int>());
            // Descriptors come in pid order, so a process holding the socket twice (dup) comes twice in a row.
            if (pids.Count == 0 || pids[pids.Count - 1] != pid) pids.Add(pid);
        }

        /// <summary>The process holding the socket (the lowest pid), or null when none is known.</summary>
        internal ProcessOwner? Find(ulong inode) =>
            inode != 0 && _pidByInode.TryGetValue(inode, out int pid) ? Owner(pid) : null;

        /// <summary>Every process holding the socket, lowest pid first; empty when none is known.</summary>
        internal SocketHolderList Holders(ulong inode)
        {
            if (inode == 0 || !_pidByInode.TryGetValue(inode, out int pid)) return SocketHolderList.None;
            ProcessOwner first = Owner(pid);
            if (!_morePidsByInode.TryGetValue(inode, out List<int>? more)) return first.AsOnlyHolder;
            var holders = new List<SocketHolder> { first.AsOnlyHolder[0] };
            foreach (int other in more) holders.Add(Owner(other).AsOnlyHolder[0]);
            return new SocketHolderList(holders);
        }

        private ProcessOwner Owner(int pid)
        {
            if (!_owners.TryGetValue(pid, out ProcessOwner? owner))
            {
                string? name = _proc.ReadText(_proc.ProcessFile(pid, "comm"))?.TrimEnd('\n');
                if (name != null && ProcessName.MayBeCut(name))
                {
                    byte[] cmdline = new byte[4096]; // argv[0] is all that is needed; PATH_MAX is 4096
                    name = ProcessName.Of(name, cmdline, _proc.ReadBytes(_proc.ProcessFile(pid, "cmdline"), cmdline));
                }
                // exe is readable only for our own processes unless root; null then, as netstat -p leaves it.
                string? path = _proc.ReadLinkText(_proc.ProcessFile(pid, "exe"));
                owner = new ProcessOwner(pid, name, path, _units.Of);
                _owners.Add(pid, owner);
            }
            return owner;
        }
    }

    /// <summary>Reads a descriptor's link target, "socket:[12345]" (proc_pid_fd(5)). Pure.</summary>
    internal static class SocketLink
    {
        private static readonly byte[] Prefix = System.Text.Encoding.ASCII.GetBytes("socket:[");

        internal static bool TryParseInode(byte[] link, int length, out ulong inode)
        {
            inode = 0;
            if (length <= Prefix.Length + 1 || link[length - 1] != (byte)']') return false;
            for (int i = 0; i < Prefix.Length; i++)
                if (link[i] != Prefix[i]) return false;
            ulong value = 0;
            for (int i = Prefix.Length; i < length - 1; i++)
            {
                int digit = link[i] - '0';
                if (digit < 0 || digit > 9) return false;
                value = value * 10 + (ulong)digit;
            }
            inode = value;
            return true;
        }
    }
}
