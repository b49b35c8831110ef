using System.Collections.Generic;
using System.IO;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Query;

namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// Sockets from the pcblist_n sysctls, as netstat -anv reads them: every socket of every user, with the
    /// pid of its last user (so_last_pid), without root. Names come from proc_pidpath, once per pid.
    /// </summary>
    internal sealed class MacConnectionSource : IConnectionSource
    {
        private readonly Func<string, (byte[] Buffer, int Length)> _readSysctl;
        private readonly Func<int, string?> _processPath;

        /// <summary>The source that calls the OS.</summary>
        internal MacConnectionSource() : this(Darwin.SysctlByName, Darwin.ProcessPath)
        {
        }

        /// <param name="readSysctl">Reads a sysctl by name: buffer and byte count.</param>
        /// <param name="processPath">A pid's executable path, or null when unknown.</param>
        internal MacConnectionSource(Func<string, (byte[] Buffer, int Length)> readSysctl, Func<int, string?> processPath)
        {
            _readSysctl = readSysctl;
            _processPath = processPath;
        }

        public IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            var owners = new Dictionary<int, ProcessOwner>(); // per listing: pids are reused
            var addresses = new AddressCache();
            if (query.Detailed)
                diagnostics.WarnOnce("DetailNotOnMacOS", "TCP details (-Detailed) are not read on macOS yet: Detail is empty.");
            foreach (TransportProtocol protocol in new[] { TransportProtocol.Tcp, TransportProtocol.Udp })
            {
                if (!query.Includes(protocol)) continue;
                string name = protocol == TransportProtocol.Tcp ? "net.inet.tcp.pcblist_n" : "net.inet.udp.pcblist_n";
                var (buffer, length) = _readSysctl(name);
                PcbList table = PcbListDecoder.Decode(buffer, length, protocol, addresses);
                if (table.Changed)
                {
                    diagnostics.WarnOnce("TableChanged",
                        "Sockets were opened or closed while the socket table was read, so the listing may miss or still show a few of them. " +
                        "Run the command again for a fresh view.");
                }
                foreach (SocketEntry socket in table.Sockets)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (!query.MatchesSocket(socket)) continue;
                    ProcessOwner? owner = query.ResolveOwners || query.FiltersOnOwner ? Owner(socket.ProcessId, owners) : null;
                    if (!query.MatchesOwner(socket.ProcessId, owner?.Name)) continue;
                    yield return new PortConnection(socket, owner, null);
                }
            }
        }

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
