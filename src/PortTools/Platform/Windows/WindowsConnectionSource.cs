using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// Sockets from GetExtendedTcpTable / GetExtendedUdpTable (the tables netstat -ano reads), which carry
    /// the owning pid and need no elevation. Process names come from one process list per listing.
    /// </summary>
    internal sealed class WindowsConnectionSource : IConnectionSource
    {
        private static readonly IPVersion[] Families = { IPVersion.IPv4, IPVersion.IPv6 };

        public IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            var addresses = new AddressCache();
            Dictionary<int, string>? names = null;
            foreach (SocketEntry socket in ReadSockets(query, addresses))
            {
                cancellation.ThrowIfCancellationRequested();
                if (!query.MatchesSocket(socket)) continue;
                int pid = socket.ProcessId ?? 0;
                // Listing processes does not open them, so it needs no elevation (netstat -b would).
                names ??= ProcessNames();
                string? name = names.TryGetValue(pid, out string? known) ? known : null;
                if (!query.MatchesOwner(pid, name)) continue;
                yield return new PortConnection(socket, new ProcessOwner(pid, name, path: null), userName: null);
            }
        }

        private static IEnumerable<SocketEntry> ReadSockets(ConnectionQuery query, AddressCache addresses)
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
                    byte[] table = IpHlpApi.TcpTable(af, tcpClass);
                    foreach (SocketEntry socket in family == IPVersion.IPv4
                        ? OwnerPidTableDecoder.Tcp4(table, addresses) : OwnerPidTableDecoder.Tcp6(table, addresses))
                        yield return socket;
                }
                if (query.Includes(TransportProtocol.Udp))
                {
                    byte[] table = IpHlpApi.UdpTable(af);
                    foreach (SocketEntry socket in family == IPVersion.IPv4
                        ? OwnerPidTableDecoder.Udp4(table, addresses) : OwnerPidTableDecoder.Udp6(table, addresses))
                        yield return socket;
                }
            }
        }

        private static Dictionary<int, string> ProcessNames()
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
