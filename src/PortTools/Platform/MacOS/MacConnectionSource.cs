using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Query;

namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// Sockets from the pcblist_n sysctls, as netstat -anv reads them: every socket of every user, with the
    /// pid of its last user (so_last_pid), without root up to macOS 26 (macOS 27 shows users their own only, which is
    /// warned about). Names come from proc_pidpath, once per pid.
    /// </summary>
    internal sealed class MacConnectionSource : IConnectionSource
    {
        private readonly Func<string, (byte[] Buffer, int Length)> _readSysctl;
        private readonly Func<int, string?> _processPath;
        private readonly Func<uint> _effectiveUserId;

        /// <summary>The source that calls the OS.</summary>
        internal MacConnectionSource() : this(Darwin.SysctlByName, Darwin.ProcessPath, Darwin.EffectiveUserId)
        {
        }

        /// <param name="readSysctl">Reads a sysctl by name: buffer and byte count.</param>
        /// <param name="processPath">A pid's executable path, or null when unknown.</param>
        /// <param name="effectiveUserId">The caller's user id (0: root).</param>
        internal MacConnectionSource(Func<string, (byte[] Buffer, int Length)> readSysctl, Func<int, string?> processPath, Func<uint> effectiveUserId)
        {
            _readSysctl = readSysctl;
            _processPath = processPath;
            _effectiveUserId = effectiveUserId;
        }

        public IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            var owners = new Dictionary<int, ProcessOwner>(); // per listing: pids are reused
            var addresses = new AddressCache();
            foreach (TransportProtocol protocol in new[] { TransportProtocol.Tcp, TransportProtocol.Udp })
            {
                if (!query.Includes(protocol)) continue;
                string name = protocol == TransportProtocol.Tcp ? "net.inet.tcp.pcblist_n" : "net.inet.udp.pcblist_n";
                var (buffer, length) = _readSysctl(name);
                PcbList table = PcbListDecoder.Decode(buffer, length, protocol, addresses, query.Detailed);
                if (table.Changed)
                {
                    diagnostics.WarnOnce("TableChanged",
                        "Sockets were opened or closed while the socket table was read, so the listing may miss or still show a few of them. " +
                        "Run the command again for a fresh view.");
                }
                if (ListsOnlyCallersSockets(table, _effectiveUserId()))
                {
                    diagnostics.WarnOnce("OwnSocketsOnly",
                        "macOS listed only your own sockets: since macOS 27 it shows the sockets of other processes to root only, so they are missing here. " +
                        "Run PowerShell as root (sudo pwsh) to see every socket.");
                }
                foreach (SocketEntry socket in table.Sockets)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (!query.MatchesSocket(socket)) continue;
                    ProcessOwner? owner = query.ResolveOwners || query.FiltersOnOwner ? Owner(socket.ProcessId, owners) : null;
                    if (!query.MatchesProcess(socket.ProcessId, owner)) continue;
                    yield return new PortConnection(socket, owner, null);
                }
            }
        }

        /// <summary>
        /// Whether the kernel left out other users' sockets, as macOS 27 does for callers other than root
        /// (dotnet/runtime#133960): it still counts every PCB in the header's xig_count but sends the records of the
        /// caller's own sockets only. Before, a user got every socket, mDNSResponder's and root's among them.
        /// </summary>
        internal static bool ListsOnlyCallersSockets(PcbList table, uint callerUid) =>
            callerUid != 0 && table.Pcbs < table.Count && table.Sockets.All(s => s.UserId is null || s.UserId == callerUid);

        private ProcessOwner? Owner(int? processId, Dictionary<int, ProcessOwner> owners)
        {
            if (!(processId is int pid)) return null;
            if (!owners.TryGetValue(pid, out ProcessOwner? owner))
            {
                string? path = _processPath(pid);
                // The executable's file name, as netstat -v and Activity Monitor show it.
                owners.Add(pid, owner = new ProcessOwner(pid, path == null ? null : Path.GetFileName(path), path));
            }
            return owner;
        }
    }
}
