using System;
using System.Collections.Generic;
using System.Net;
using PortTools.Models;

namespace PortTools.Platform
{
    /// <summary>
    /// A socket as a platform decoder reads it, before the owner is looked up. Every backend produces
    /// these, so the query filters and the model mapping exist once for all of them.
    /// </summary>
    internal sealed class SocketEntry
    {
        internal SocketEntry(TransportProtocol protocol, IPVersion family, TcpState? state,
            IPAddress localAddress, int localPort, IPAddress remoteAddress, int remotePort)
        {
            Protocol = protocol;
            Family = family;
            State = state;
            LocalAddress = localAddress;
            LocalPort = localPort;
            RemoteAddress = remoteAddress;
            RemotePort = remotePort;
        }

        internal TransportProtocol Protocol { get; }
        internal IPVersion Family { get; }
        internal TcpState? State { get; }
        internal IPAddress LocalAddress { get; }
        internal int LocalPort { get; }
        internal IPAddress RemoteAddress { get; }
        internal int RemotePort { get; }

        internal uint ScopeId { get; set; }

        /// <summary>An IPv6 socket that takes IPv4 peers too (IPV6_V6ONLY off); null where the OS does not tell.</summary>
        internal bool? DualStack { get; set; }

        /// <summary>The name of the <see cref="ScopeId"/> interface, where the backend can tell it.</summary>
        internal string? ScopeName { get; set; }
        internal uint ReceiveQueue { get; set; }
        internal uint SendQueue { get; set; }
        internal uint? UserId { get; set; }

        /// <summary>Kernel socket id that ties the socket to a process's file descriptor (Linux).</summary>
        internal ulong Inode { get; set; }

        /// <summary>Owner pid where the OS reports it with the socket (Windows, macOS).</summary>
        internal int? ProcessId { get; set; }

        /// <summary>The other network namespace the socket was read in (Linux -NetworkNamespace); null for the caller's.</summary>
        internal string? NetworkNamespace { get; set; }
        /// <summary>TCP internals (Get-PortConnection -Detailed); null unless asked for.</summary>
        internal TcpDetail? Detail { get; set; }
    }

    /// <summary>The process that holds a socket.</summary>
    internal sealed class ProcessOwner
    {
        /// <param name="processId">The process id.</param>
        /// <param name="name">Its name, as Get-Process shows it; null when unknown.</param>
        /// <param name="path">Its executable, where the caller may read it.</param>
        /// <param name="servicesOf">Looks up the services a pid runs as (OwningService); null where the OS has none.</param>
        internal ProcessOwner(int processId, string? name, string? path, Func<int, IReadOnlyList<string>>? servicesOf = null)
        {
            ProcessId = processId;
            Name = name;
            Path = path;
            _servicesOf = servicesOf;
        }

        internal int ProcessId { get; }
        internal string? Name { get; }
        internal string? Path { get; }

        /// <summary>This process as the one holder of a socket; made once per process, shared by its sockets.</summary>
        internal SocketHolderList AsOnlyHolder => _asOnlyHolder ??= new SocketHolderList(new[] { new SocketHolder(this) });

        private SocketHolderList? _asOnlyHolder;

        /// <summary>
        /// The services the process runs as, looked up when first asked for (a view column, -ServiceName, a script
        /// reading OwningService), once per process and listing: a plain listing never pays for it.
        /// </summary>
        internal IReadOnlyList<string> Services => _services ??= _servicesOf?.Invoke(ProcessId) ?? Array.Empty<string>();

        /// <summary>The services as OwningService shows them: "nginx.service"; "Dnscache, LanmanWorkstation"; null for none.</summary>
        internal string? ServiceText => Services.Count == 0 ? null : string.Join(", ", Services);

        private readonly Func<int, IReadOnlyList<string>>? _servicesOf;
        private IReadOnlyList<string>? _services; // two threads may both look it up: the same answer, so no lock
    }
}
