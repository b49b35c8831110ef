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

        /// <summary>TCP internals (Get-PortConnection -Detailed); null unless asked for.</summary>
        internal TcpDetail? Detail { get; set; }
    }

    /// <summary>The process that holds a socket.</summary>
    internal sealed class ProcessOwner
    {
        internal ProcessOwner(int processId, string? name, string? path)
        {
            ProcessId = processId;
            Name = name;
            Path = path;
        }

        internal int ProcessId { get; }
        internal string? Name { get; }
        internal string? Path { get; }

        /// <summary>This process as the one holder of a socket; made once per process, shared by its sockets.</summary>
        internal SocketHolderList AsOnlyHolder => _asOnlyHolder ??= new SocketHolderList(new[] { new SocketHolder(ProcessId, Name) });

        private SocketHolderList? _asOnlyHolder;
    }
}
