using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Query;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// Sockets from GetExtendedTcpTable / GetExtendedUdpTable (the tables netstat -ano reads), which carry
    /// the owning pid and need no elevation. Process names come from one process list per listing, paths
    /// from QueryFullProcessImageName once per pid.
    /// </summary>
    internal sealed class WindowsConnectionSource : IConnectionSource
    {
        private static readonly IPVersion[] Families = { IPVersion.IPv4, IPVersion.IPv6 };

        private readonly Func<uint, int, byte[]> _tcpTable;
        private readonly Func<uint, byte[]> _udpTable;
        private readonly Func<IReadOnlyDictionary<int, string>> _processNames;
        private readonly Func<int, string?> _processPath;
        private readonly Func<List<(string Name, int ProcessId)>> _runningServices;
        private readonly Func<SocketEntry, TcpDetail?> _tcpDetail;

        /// <summary>The source that calls Windows.</summary>
        internal WindowsConnectionSource() : this(IpHlpApi.TcpTable, IpHlpApi.UdpTable, ProcessNames, Kernel32.ProcessImagePath,
            AdvApi32.RunningServices, WindowsTcpDetails.Read)
        {
        }

        /// <param name="tcpTable">GetExtendedTcpTable's bytes for an address family and table class.</param>
        /// <param name="udpTable">GetExtendedUdpTable's bytes (UDP_TABLE_OWNER_PID) for an address family.</param>
        /// <param name="processNames">Every running process: pid to name.</param>
        /// <param name="processPath">A pid's executable path, or null when it cannot be read.</param>
        /// <param name="runningServices">The Service Control Manager's running services with their pids.</param>
        /// <param name="tcpDetail">A connection's extended statistics (-Detailed), or null when Windows collects none.</param>
        internal WindowsConnectionSource(Func<uint, int, byte[]> tcpTable, Func<uint, byte[]> udpTable,
            Func<IReadOnlyDictionary<int, string>> processNames, Func<int, string?> processPath,
            Func<List<(string Name, int ProcessId)>>? runningServices = null, Func<SocketEntry, TcpDetail?>? tcpDetail = null)
        {
            _tcpTable = tcpTable;
            _udpTable = udpTable;
            _processNames = processNames;
            _processPath = processPath;
            _runningServices = runningServices ?? (() => new List<(string, int)>());
            _tcpDetail = tcpDetail ?? (_ => null);
        }

        public IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            var addresses = new AddressCache();
            var owners = new Dictionary<int, ProcessOwner>(); // per listing: pids are reused
            IReadOnlyDictionary<int, string>? names = null;
            // Asked once per listing, and only when a service is first asked for.
            var services = new Lazy<Dictionary<int, string[]>>(ServicesByProcess);
            foreach (SocketEntry socket in ReadSockets(query, addresses))
            {
                cancellation.ThrowIfCancellationRequested();
                if (!query.MatchesSocket(socket)) continue;
                ProcessOwner? owner = null;
                if (socket.ProcessId is int pid && (query.ResolveOwners || query.FiltersOnOwner))
                {
                    // Listing processes does not open them, so it needs no elevation (netstat -b would).
                    names ??= _processNames();
                    owner = Owner(pid, names, owners, services);
                }
                if (!query.MatchesProcess(socket.ProcessId, owner)) continue;
                if (query.Detailed) ReadDetail(socket, diagnostics);
                yield return new PortConnection(socket, owner, userName: null);
            }
        }

        /// <summary>A connection's extended statistics; listeners and TIME_WAIT sockets have none.</summary>
        private void ReadDetail(SocketEntry socket, ListingDiagnostics diagnostics)
        {
            if (socket.Protocol != TransportProtocol.Tcp || socket.State == TcpState.Listen || socket.State == TcpState.TimeWait) return;
            socket.Detail = _tcpDetail(socket);
            if (socket.Detail == null)
            {
                diagnostics.WarnOnce("EStatsNotCollected", "Windows keeps extended TCP statistics only for connections whose collection an " +
                    "administrator turned on (SetPerTcpConnectionEStats): Detail is empty for the others.");
            }
        }

                private ProcessOwner Owner(int pid, IReadOnlyDictionary<int, string> names, Dictionary<int, ProcessOwner> owners,
            Lazy<Dictionary<int, string[]>> services)
        {
            if (!owners.TryGetValue(pid, out ProcessOwner? owner))
            {
                // A pid that is not in the process list has exited: its path would belong to whoever reuses it.
                string? name = names.TryGetValue(pid, out string? known) ? known : null;
                owners.Add(pid, owner = new ProcessOwner(pid, name, name == null ? null : _processPath(pid),
                    id => services.Value.TryGetValue(id, out string[]? hosted) ? hosted : Array.Empty<string>()));
            }
            return owner;
        }

        /// <summary>
        /// The services of each process; none when the SCM refuses (a hardened host): OwningService stays empty then, as
        /// ProcessPath does for a process that may not be opened. Often read after the listing (a view), where the
        /// cmdlet can no longer write a message.
        /// </summary>
        private Dictionary<int, string[]> ServicesByProcess()
        {
            try
            {
                return ServiceStatusProcessDecoder.ByProcess(_runningServices());
            }
            catch (Exception e) when (e is Win32Exception || e is FormatException)
            {
                return new Dictionary<int, string[]>();
            }
        }

        private IEnumerable<SocketEntry> ReadSockets(ConnectionQuery query, AddressCache addresses)
        {
            // Only listeners asked for: the kernel's listener table is far smaller than the whole one.
            int tcpClass = query.States.Count == 1 && query.States.Contains(TcpState.Listen)
                ? IpHlpApi.TCP_TABLE_OWNER_PID_LISTENER
                : IpHlpApi.TCP_TABLE_OWNER_PID_ALL;
            foreach (IPVersion family in Families)
            {
                if (!query.Includes(family)) continue;
                uint af = family == IPVersion.IPv4 ? IpHlpApi.AF_INET : IpHlpApi.AF_INET6;
                if (query.Includes(TransportProtocol.Tcp))
                {
                    byte[] table = _tcpTable(af, tcpClass);
                    foreach (SocketEntry socket in family == IPVersion.IPv4
                        ? OwnerPidTableDecoder.Tcp4(table, addresses) : OwnerPidTableDecoder.Tcp6(table, addresses))
                        yield return socket;
                }
                if (query.Includes(TransportProtocol.Udp))
                {
                    byte[] table = _udpTable(af);
                    foreach (SocketEntry socket in family == IPVersion.IPv4
                        ? OwnerPidTableDecoder.Udp4(table, addresses) : OwnerPidTableDecoder.Udp6(table, addresses))
                        yield return socket;
                }
            }
        }

        private static IReadOnlyDictionary<int, string> ProcessNames()
        {
            var names = new Dictionary<int, string>();
            foreach (Process process in Process.GetProcesses())
            {
                using (process)
                {
                    names[process.Id] = process.ProcessName;
                }
            }
            return names;
        }
    }
}
