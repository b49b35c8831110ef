using PortTools.Platform;

namespace PortTools.Models
{
    /// <summary>
    /// One TCP or UDP socket: its two endpoints, its state and the process that holds it.
    /// Flat and typed so that Where-Object, Sort-Object, Export-Csv and ConvertTo-Json work as they are;
    /// addresses are text (as in Get-NetTCPConnection) so that they read the same in CSV and JSON.
    /// </summary>
    public sealed class PortConnection
    {
        internal PortConnection(SocketEntry socket, ProcessOwner? owner, string? userName)
            : this(socket, owner, owner?.AsOnlyHolder ?? SocketHolderList.None, userName)
        {
        }

        /// <param name="socket">The socket as the platform read it.</param>
        /// <param name="owner">The holder reported as OwningProcess: the lowest pid.</param>
        /// <param name="holders">Every process holding the socket, <paramref name="owner"/> first.</param>
        /// <param name="userName">The name of the socket's user, where known.</param>
        internal PortConnection(SocketEntry socket, ProcessOwner? owner, SocketHolderList holders, string? userName)
        {
            Protocol = socket.Protocol;
            AddressFamily = socket.Family;
            LocalAddress = socket.LocalAddress.ToString();
            LocalPort = socket.LocalPort;
            RemoteAddress = socket.RemoteAddress.ToString();
            RemotePort = socket.RemotePort;
            State = socket.State;
            ScopeId = socket.ScopeId;
            _scopeName = socket.ScopeName;
            DualStack = socket.DualStack;
            ReceiveQueue = socket.ReceiveQueue;
            SendQueue = socket.SendQueue;
            UserId = socket.UserId;
            Inode = socket.Inode;
            OwningProcess = owner?.ProcessId ?? socket.ProcessId;
            ProcessName = owner?.Name;
            ProcessPath = owner?.Path;
            Holders = holders;
            UserName = userName;
            NetworkNamespace = socket.NetworkNamespace;
            _owner = owner;
            Detail = socket.Detail;
        }

        // A copy of this socket with another reading's owner.
        private PortConnection(PortConnection socket, PortConnection owner)
        {
            Protocol = socket.Protocol;
            AddressFamily = socket.AddressFamily;
            LocalAddress = socket.LocalAddress;
            LocalPort = socket.LocalPort;
            RemoteAddress = socket.RemoteAddress;
            RemotePort = socket.RemotePort;
            State = socket.State;
            ScopeId = socket.ScopeId;
            _scopeName = socket._scopeName;
            DualStack = socket.DualStack;
            ReceiveQueue = socket.ReceiveQueue;
            SendQueue = socket.SendQueue;
            Inode = socket.Inode;
            RemoteHostName = socket.RemoteHostName;
            NetworkNamespace = socket.NetworkNamespace;
            Detail = socket.Detail;
            UserId = owner.UserId;
            UserName = owner.UserName;
            OwningProcess = owner.OwningProcess;
            ProcessName = owner.ProcessName;
            ProcessPath = owner.ProcessPath;
            Holders = owner.Holders;
            _owner = owner._owner;
        }

        /// <summary>
        /// This reading of the socket with the owner and user of <paramref name="owner"/>, another reading of the same
        /// socket: a watch lists without the costly owner scan and keeps the owners it already knows.
        /// </summary>
        internal PortConnection WithOwnerOf(PortConnection owner) => new PortConnection(this, owner);

        /// <summary>This reading of the socket with the host name of its remote address (-ResolveHostName).</summary>
        internal PortConnection WithRemoteHostName(string name) => new PortConnection(this, this) { RemoteHostName = name };

        /// <summary>Tcp or Udp.</summary>
        public TransportProtocol Protocol { get; }

        /// <summary>IPv4 or IPv6. Dual-stack sockets are IPv6; their IPv4 peers show as ::ffff:a.b.c.d.</summary>
        public IPVersion AddressFamily { get; }

        /// <summary>Local address; 0.0.0.0 or :: when bound to every address.</summary>
        public string LocalAddress { get; }

        /// <summary>Local port, 0-65535.</summary>
        public int LocalPort { get; }

        /// <summary>Remote address; 0.0.0.0 or :: when not connected.</summary>
        public string RemoteAddress { get; }

        /// <summary>Remote port; 0 when not connected.</summary>
        public int RemotePort { get; }

        /// <summary>
        /// The host name of <see cref="RemoteAddress"/> (netstat -f), with -ResolveHostName; empty otherwise, and when the
        /// address has no name or the lookup timed out. The address itself stays in RemoteAddress.
        /// </summary>
        public string? RemoteHostName { get; private init; }

        /// <summary>TCP state; empty for UDP, which has none.</summary>
        public TcpState? State { get; }

        /// <summary>IPv6 scope (interface index) of a link-local socket; 0 otherwise.</summary>
        public uint ScopeId { get; }

        /// <summary>Bytes received but not yet read (for a listener: connections waiting to be accepted).</summary>
        public uint ReceiveQueue { get; }

        /// <summary>Bytes not yet acknowledged by the peer (for a listener: the backlog).</summary>
        public uint SendQueue { get; }

        /// <summary>
        /// True for an IPv6 socket that also takes IPv4 peers (IPV6_V6ONLY off: ss writes its address as *), false for an
        /// IPv6-only one; empty where the OS does not tell (IPv4, connected sockets, the /proc fallback).
        /// </summary>
        public bool? DualStack { get; }

        /// <summary>Numeric id of the user that owns the socket, where the OS tells it.</summary>
        public uint? UserId { get; }

        /// <summary>Name of the user that owns the socket, where it can be resolved.</summary>
        public string? UserName { get; }

        /// <summary>Process id of the owner; empty when the socket has no owner (TIME_WAIT) or it cannot be seen.</summary>
        public int? OwningProcess { get; }

        /// <summary>Name of the owning process.</summary>
        public string? ProcessName { get; }

        /// <summary>Executable of the owning process, where the caller may read it (netstat -b).</summary>
        public string? ProcessPath { get; }

        /// <summary>
        /// Every process that holds the socket, as ss -p lists them: after fork, a listener is shared by a master and
        /// its workers. <see cref="OwningProcess"/> is the first (lowest pid). Empty when no owner is known.
        /// </summary>
        public SocketHolderList Holders { get; }

        /// <summary>
        /// The service the owning process runs as: on Linux its systemd unit (nginx.service, user@1000.service, a
        /// container's docker-….scope), on Windows the services it hosts ("Dnscache, LanmanWorkstation" for a svchost);
        /// empty when it runs as none, when the owner is unknown, and on macOS. Looked up when first read, once per
        /// process, so listing sockets costs nothing extra.
        /// </summary>
        public string? OwningService => _owner?.ServiceText;

        private readonly ProcessOwner? _owner;

        /// <summary>Kernel socket identifier (Linux inode); 0 where the OS has none.</summary>
        public ulong Inode { get; }

        /// <summary>
        /// The network namespace the socket is in, as -NetworkNamespace named it: a name under /run/netns or a process
        /// id. Empty for the caller's own namespace.
        /// </summary>
        public string? NetworkNamespace { get; }

        /// <summary>
        /// TCP internals (ss -tinmo: round-trip time, congestion window, retransmissions, bytes, socket memory, timer) with
        /// -Detailed; empty otherwise, and for UDP.
        /// </summary>
        public TcpDetail? Detail { get; }

        /// <summary>
        /// Service name of the local port as netstat prints it: this host's services database, else the name admins
        /// use, else IANA's. Looked up when read, so listing sockets costs nothing extra.
        /// </summary>
        public string? LocalService => Services.ServiceRegistry.NetstatName(LocalPort, Protocol);

        /// <summary>Service name of the remote port, as <see cref="LocalService"/>; empty when not connected (port 0).</summary>
        public string? RemoteService => RemotePort == 0 ? null : Services.ServiceRegistry.NetstatName(RemotePort, Protocol);

        private readonly string? _scopeName;

        /// <summary>The local end as netstat and ss write it: "127.0.0.1:22", "[::1]:22", "[fe80::1]%eth0:22".</summary>
        public string LocalEndpoint => Endpoint.Format(OnBothFamilies ? "*" : LocalAddress, LocalPort, _scopeName);

        /// <summary>The remote end as netstat writes it; "0.0.0.0:*" when not connected (port 0).</summary>
        public string RemoteEndpoint => Endpoint.Format(OnBothFamilies && RemotePort == 0 ? "*" : RemoteAddress, RemotePort);

        // A dual-stack socket on :: listens on every IPv4 and IPv6 address: ss writes it "*:22", apart from "[::]:22".
        private bool OnBothFamilies => DualStack == true && LocalAddress == "::";

        public override string ToString() => $"{Protocol} {LocalEndpoint} {RemoteEndpoint} {State}";
    }
}
