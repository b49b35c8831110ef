using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Query;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Sockets from NETLINK_SOCK_DIAG, with the state and port filters done by the kernel; /proc/net/* when
    /// netlink is refused. Owners come from one /proc/*/fd scan, made only once a socket has matched.
    /// </summary>
    internal sealed class LinuxConnectionSource : IConnectionSource
    {
        private static readonly TransportProtocol[] Protocols = { TransportProtocol.Tcp, TransportProtocol.Udp };
        private static readonly IPVersion[] Families = { IPVersion.IPv4, IPVersion.IPv6 };

        private readonly ProcFs _proc;
        private readonly Func<INetlinkDumper>? _openNetlink;
        private readonly NetworkNamespaceHandle? _namespace;

        /// <param name="proc">Where /proc and /etc/passwd are.</param>
        /// <param name="openNetlink">Opens the sock_diag socket; null reads /proc/net only.</param>
        /// <param name="netns">Another network namespace the sockets are in; null for the caller's.</param>
        internal LinuxConnectionSource(ProcFs proc, Func<INetlinkDumper>? openNetlink, NetworkNamespaceHandle? netns = null)
        {
            _proc = proc;
            _openNetlink = openNetlink;
            _namespace = netns;
        }

        internal static INetlinkDumper OpenSockDiag() => NetlinkSocket.Open(Libc.NETLINK_SOCK_DIAG);

        /// <summary>The sockets of another network namespace: sock_diag opened inside it; owners found as usual (inodes are global).</summary>
        internal static LinuxConnectionSource In(NetworkNamespaceHandle netns) =>
            new LinuxConnectionSource(netns.Proc, () => netns.Run(OpenSockDiag), netns);

        // Sockets that may wait for the owner scan: the dump goes on while /proc is scanned, in constant memory.
        private const int MaxSocketsAwaitingOwners = 32 * 1024;

        public IEnumerable<PortConnection> GetConnections(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            // Also stops the scan when the caller stops early (Select-Object -First).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            Task<SocketOwnerIndex>? scan = null;
            var awaitingOwners = new Queue<SocketEntry>();
            var userNames = new Lazy<Dictionary<uint, string>>(ReadUserNames); // per listing: users come and go
            try
            {
                foreach (SocketEntry socket in ReadSockets(query, diagnostics, cancellation))
                {
                    if (!query.MatchesSocket(socket)) continue;
                    if (!query.ResolveOwners && !query.FiltersOnOwner)
                    {
                        yield return new PortConnection(socket, null, null);
                        continue;
                    }
                    // The first match starts the scan; nothing is scanned when nothing matches.
                    scan ??= Task.Run(() => SocketOwnerIndex.Build(_proc, query, stop.Token), stop.Token);
                    awaitingOwners.Enqueue(socket);
                    if (!scan.IsCompleted && awaitingOwners.Count < MaxSocketsAwaitingOwners) continue;
                    foreach (PortConnection connection in WithOwners(awaitingOwners, scan, query, diagnostics, userNames))
                        yield return connection;
                }
                if (scan != null)
                {
                    foreach (PortConnection connection in WithOwners(awaitingOwners, scan, query, diagnostics, userNames))
                        yield return connection;
                }
            }
            finally
            {
                stop.Cancel();
            }
        }

        /// <summary>Empties the queue once the owners are known: each socket with its owner and user, unless an owner filter rules it out.</summary>
        private static IEnumerable<PortConnection> WithOwners(Queue<SocketEntry> sockets, Task<SocketOwnerIndex> scan, ConnectionQuery query,
            ListingDiagnostics diagnostics, Lazy<Dictionary<uint, string>> userNames)
        {
            SocketOwnerIndex owners = scan.GetAwaiter().GetResult();
            while (sockets.Count > 0)
            {
                if (WithOwner(sockets.Dequeue(), owners, query, diagnostics, userNames) is PortConnection connection)
                    yield return connection;
            }
        }

        /// <summary>The socket with its owner and user, or null when an owner filter rules it out.</summary>
        private static PortConnection? WithOwner(SocketEntry socket, SocketOwnerIndex owners, ConnectionQuery query,
            ListingDiagnostics diagnostics, Lazy<Dictionary<uint, string>> userNames)
        {
            ProcessOwner? owner = owners.Find(socket.Inode);
            // Said before the owner filters run: a hidden owner may be the very process asked for.
            if (owner == null && socket.Inode != 0 && owners.WhyOwnersAreHidden is string why)
            {
                diagnostics.WarnOnce("OwnerHidden",
                    $"The owning process of some sockets is not shown: {why}. Run PowerShell as root (sudo pwsh) to see every owner.");
            }
            SocketHolderList holders = owners.Holders(socket.Inode);
            if (!query.MatchesOwner(holders)) return null;
            string? userName = socket.UserId is uint uid && userNames.Value.TryGetValue(uid, out string? name) ? name : null;
            return new PortConnection(socket, owner, holders, userName);
        }

        private IEnumerable<SocketEntry> ReadSockets(ConnectionQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            uint states = LinuxTcpStates.Mask(query.States);
            foreach (TcpState state in query.States)
            {
                if (!LinuxTcpStates.Exists(state))
                    diagnostics.WarnOnce("StateNotOnLinux" + state, $"-State {state} never matches on Linux: it is a Windows state, and no Linux socket is in it.");
            }
            byte[]? portFilter = InetDiag.PortFilter(query.LocalPorts, query.RemotePorts);
            using INetlinkDumper? netlink = _openNetlink != null && LinuxSourceSetting.UseNetlink(diagnostics)
                ? NetlinkSocket.TryOpen(_openNetlink, "sock_diag", diagnostics)
                : null;
            if (query.Detailed && netlink == null)
                diagnostics.WarnOnce("DetailNeedsSockDiag", "TCP details (-Detailed) come from netlink sock_diag, which is not available here: Detail is empty.");
            var addresses = new AddressCache();
            var interfaces = new Lazy<InterfaceNames>(_namespace != null ? _namespace.InterfaceNames : InterfaceNames.FromLibc);
            uint sequence = 0;
            foreach (TransportProtocol protocol in Protocols)
            {
                if (!query.Includes(protocol) || (protocol == TransportProtocol.Tcp && states == 0)) continue;
                foreach (IPVersion family in Families)
                {
                    if (!query.Includes(family)) continue;
                    uint wanted = protocol == TransportProtocol.Udp ? (query.ListeningOnly ? LinuxTcpStates.UnconnectedUdp : LinuxTcpStates.AllStates) : states;
                    IEnumerable<SocketEntry> sockets = netlink != null
                        ? ReadNetlinkOrProc(netlink, protocol, family, wanted, portFilter, ++sequence, query.Detailed, addresses, diagnostics, cancellation)
                        : ReadProcNet(protocol, family, diagnostics, cancellation);
                    foreach (SocketEntry socket in sockets)
                    {
                        // TIME_WAIT and SYN_RECV entries are no sockets of a process (no inode): they belong to no user,
                        // though the kernel reports uid 0 for them (ss shows none).
                        if (socket.Inode == 0) socket.UserId = null;
                        if (socket.ScopeId != 0) socket.ScopeName = interfaces.Value.NameOf((int)socket.ScopeId);
                        socket.NetworkNamespace = _namespace?.Name;
                        yield return socket;
                    }
                }
            }
        }

        /// <summary>
        /// One sock_diag dump; when the kernel refuses it (no udp_diag module on a minimal kernel, a sandbox that
        /// knows TCP only), /proc/net for that protocol and family alone, as ss does. A failure after the first
        /// socket is a failure: falling back then would list sockets twice.
        /// </summary>
        private IEnumerable<SocketEntry> ReadNetlinkOrProc(INetlinkDumper netlink, TransportProtocol protocol, IPVersion family,
            uint states, byte[]? portFilter, uint sequence, bool detailed, AddressCache addresses, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            using (IEnumerator<SocketEntry> dump = ReadNetlink(netlink, protocol, family, states, portFilter, sequence, detailed, addresses, cancellation).GetEnumerator())
            {
                Win32Exception? refused = TryMoveFirst(dump, out bool any);
                if (refused == null)
                {
                    for (bool more = any; more; more = dump.MoveNext()) yield return dump.Current;
                    yield break;
                }
                diagnostics.Verbose($"The kernel refused the sock_diag dump of {protocol} over {family} ({refused.Message}); " +
                    $"reading {_proc.SocketTable(protocol, family)} for it instead.");
            }
            foreach (SocketEntry socket in ReadProcNet(protocol, family, diagnostics, cancellation)) yield return socket;
        }

        private static Win32Exception? TryMoveFirst(IEnumerator<SocketEntry> dump, out bool any)
        {
            try
            {
                any = dump.MoveNext();
                return null;
            }
            catch (Win32Exception e)
            {
                any = false;
                return e;
            }
        }

        private static IEnumerable<SocketEntry> ReadNetlink(INetlinkDumper netlink, TransportProtocol protocol, IPVersion family,
            uint states, byte[]? portFilter, uint sequence, bool detailed, AddressCache addresses, CancellationToken cancellation)
        {
            detailed &= protocol == TransportProtocol.Tcp;
            byte[] request = InetDiag.DumpRequest(
                family == IPVersion.IPv4 ? InetDiag.AF_INET : InetDiag.AF_INET6,
                protocol == TransportProtocol.Tcp ? InetDiag.IPPROTO_TCP : InetDiag.IPPROTO_UDP,
                states, sequence, portFilter, detailed ? TcpInfoDecoder.Extensions : (byte)0);
            foreach (NetlinkMessage message in netlink.Dump(request, cancellation))
            {
                if (message.Type == InetDiag.SOCK_DIAG_BY_FAMILY)
                    yield return InetDiag.Decode(message, protocol, addresses, detailed);
            }
        }

        private IEnumerable<SocketEntry> ReadProcNet(TransportProtocol protocol, IPVersion family, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            string path = _proc.SocketTable(protocol, family);
            using TextReader? text = _proc.OpenNetText(path);
            if (text == null) yield break; // e.g. no IPv6 in this kernel
            // The kernel walks its hash tables while we read, so under churn a socket can show twice: a socket is
            // known by its inode, and a TIME_WAIT or SYN_RECV entry (inode 0) by its four-tuple, unique among those.
            var seen = new HashSet<ulong>();
            var seenWithoutInode = new HashSet<(IPAddress, int, IPAddress, int)>();
            foreach (SocketEntry socket in ProcNetParser.ParseSockets(text, protocol, family, path, diagnostics))
            {
                cancellation.ThrowIfCancellationRequested();
                bool first = socket.Inode != 0
                    ? seen.Add(socket.Inode)
                    : seenWithoutInode.Add((socket.LocalAddress, socket.LocalPort, socket.RemoteAddress, socket.RemotePort));
                if (first) yield return socket;
            }
        }

        private Dictionary<uint, string> ReadUserNames()
        {
            using TextReader? passwd = _proc.OpenText(_proc.PasswdPath);
            return PasswdFile.Parse(passwd);
        }
    }
}
