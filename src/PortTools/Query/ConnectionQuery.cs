using System.Collections.Generic;
using System.Linq;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Query
{
    /// <summary>
    /// What the user asked Get-PortConnection for. Filters combine with AND, the values inside one filter
    /// with OR; an empty filter accepts everything. Backends push what they can into the kernel request
    /// and call <see cref="MatchesSocket"/> and MatchesOwner for the rest, so the meaning of
    /// every filter lives here once.
    /// </summary>
    internal sealed class ConnectionQuery
    {
        internal ISet<TransportProtocol> Protocols { get; } = new HashSet<TransportProtocol>();
        internal ISet<IPVersion> Families { get; } = new HashSet<IPVersion>();
        internal ISet<TcpState> States { get; } = new HashSet<TcpState>();
        internal ISet<int> LocalPorts { get; } = new HashSet<int>();
        internal ISet<int> RemotePorts { get; } = new HashSet<int>();
        internal IList<AddressPrefix> LocalPrefixes { get; } = new List<AddressPrefix>();
        internal IList<AddressPrefix> RemotePrefixes { get; } = new List<AddressPrefix>();
        internal ISet<int> ProcessIds { get; } = new HashSet<int>();

        /// <summary>
        /// -Listening: TCP listeners and UDP sockets without a peer (ss -tuln). The TCP part is the Listen state, so
        /// backends push it into the kernel like any state filter.
        /// </summary>
        internal bool ListeningOnly
        {
            get => _listeningOnly;
            set
            {
                _listeningOnly = value;
                if (value) States.Add(TcpState.Listen);
            }
        }

        private bool _listeningOnly;

        /// <summary>Process-name test (wildcards, from the cmdlet); null accepts every name.</summary>
        internal Func<string, bool>? ProcessNameMatches { get; set; }

        /// <summary>Service-name test (-ServiceName, wildcards): one of the services the owner runs as must pass; null accepts every socket.</summary>
        internal Func<string, bool>? ServiceNameMatches { get; set; }
        /// <summary>Get-PortConnection -Detailed: each TCP socket with its <see cref="TcpDetail"/>.</summary>
        internal bool Detailed { get; set; }

        /// <summary>False when nobody will look at the owners (tab completion): the /proc scan is skipped.</summary>
        internal bool ResolveOwners { get; set; } = true;

        /// <summary>
        /// This query with <see cref="LocalPorts"/> narrowed to <paramref name="ports"/> and owners resolved: a watch
        /// looks up the owners of the sockets that opened since its last refresh with a small listing, not a full one.
        /// </summary>
        internal ConnectionQuery NarrowedToLocalPorts(IEnumerable<int> ports)
        {
            var narrowed = new ConnectionQuery { ListeningOnly = ListeningOnly, ProcessNameMatches = ProcessNameMatches, ResolveOwners = true };
            narrowed.ServiceNameMatches = ServiceNameMatches;
            narrowed.Protocols.UnionWith(Protocols);
            narrowed.Families.UnionWith(Families);
            narrowed.States.UnionWith(States);
            narrowed.LocalPorts.UnionWith(ports);
            narrowed.RemotePorts.UnionWith(RemotePorts);
            foreach (AddressPrefix prefix in LocalPrefixes) narrowed.LocalPrefixes.Add(prefix);
            foreach (AddressPrefix prefix in RemotePrefixes) narrowed.RemotePrefixes.Add(prefix);
            narrowed.ProcessIds.UnionWith(ProcessIds);
            return narrowed;
        }

        /// <summary>True when the owner must be known to decide whether a socket matches.</summary>
        internal bool FiltersOnOwner => ProcessIds.Count > 0 || ProcessNameMatches != null || ServiceNameMatches != null;

        internal bool Includes(TransportProtocol protocol) =>
            (Protocols.Count == 0 || Protocols.Contains(protocol))
            // UDP has no state, so a state filter rules it out; -Listening keeps the unconnected ones.
            && !(protocol == TransportProtocol.Udp && States.Count > 0 && !ListeningOnly);

        internal bool Includes(IPVersion family) => Families.Count == 0 || Families.Contains(family);

        /// <summary>Every filter that does not need the owning process.</summary>
        internal bool MatchesSocket(SocketEntry socket) =>
            Includes(socket.Protocol)
            && Includes(socket.Family)
            && MatchesState(socket)
            && (LocalPorts.Count == 0 || LocalPorts.Contains(socket.LocalPort))
            && (RemotePorts.Count == 0 || RemotePorts.Contains(socket.RemotePort))
            && (LocalPrefixes.Count == 0 || LocalPrefixes.Any(p => p.Contains(socket.LocalAddress)))
            && (RemotePrefixes.Count == 0 || RemotePrefixes.Any(p => p.Contains(socket.RemoteAddress)));

        private bool MatchesState(SocketEntry socket) =>
            socket.Protocol == TransportProtocol.Udp
                ? !ListeningOnly || socket.RemotePort == 0
                : States.Count == 0 || (socket.State is TcpState state && States.Contains(state));

        /// <summary>The process filters; a socket whose owner is unknown matches none of them.</summary>
        /// <summary>Whether one of the socket's holders is a process asked for (every socket, when none is asked for).</summary>
        internal bool MatchesOwner(IReadOnlyList<SocketHolder> holders) =>
            !FiltersOnOwner || holders.Any(h => MatchesOwner(h.ProcessId, h.ProcessName) && MatchesService(h.Owner));

        internal bool MatchesOwner(int? processId, string? processName) =>
            (ProcessIds.Count == 0 || (processId is int pid && ProcessIds.Contains(pid)))
            && (ProcessNameMatches == null || (processName != null && ProcessNameMatches(processName)));

        /// <summary>The process filters, with -ServiceName, on an owner a listing found (null: none known).</summary>
        internal bool MatchesProcess(int? processId, ProcessOwner? owner) => MatchesOwner(processId, owner?.Name) && MatchesService(owner);

        /// <summary>Whether the owner runs as a service asked for; its services are looked up only when some are asked for.</summary>
        internal bool MatchesService(ProcessOwner? owner) =>
            ServiceNameMatches == null || (owner != null && owner.Services.Any(ServiceNameMatches));
    }
}
