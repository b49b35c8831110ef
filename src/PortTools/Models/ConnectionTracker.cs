using System;
using System.Collections.Generic;

namespace PortTools.Models
{
    /// <summary>
    /// What Watch-PortConnection remembers between refreshes: the connections of the last one, by identity, and
    /// the changes from one listing to the next. A connection is its protocol, endpoints and (Linux) inode; a
    /// socket entering or leaving TIME_WAIT or SYN_RECV loses or gains its inode (the kernel keeps no socket
    /// for those), so there the endpoints alone tell that it is the same connection in another state.
    /// </summary>
    internal sealed class ConnectionTracker
    {
        private Dictionary<Identity, PortConnection> _known;

        internal ConnectionTracker(IEnumerable<PortConnection> baseline) => _known = ToMap(baseline, out _);

        internal int Count => _known.Count;

        /// <summary>
        /// The readings of the last <see cref="Update"/> whose owner is still to be looked up: the sockets that opened,
        /// and those that gained an inode (accepted from a listener's queue after the reading that saw them open).
        /// </summary>
        internal List<PortConnection> NeedOwners { get; } = new List<PortConnection>();

        /// <summary>Compares a new listing with the last one and remembers the new one.</summary>
        internal List<Change> Update(IEnumerable<PortConnection> listing)
        {
            var changes = new List<Change>();
            NeedOwners.Clear();
            var next = ToMap(listing, out List<PortConnection> all);
            var opened = new List<PortConnection>();
            foreach (PortConnection now in all)
            {
                var id = new Identity(now);
                if (!_known.TryGetValue(id, out PortConnection? before))
                {
                    opened.Add(now);
                    continue;
                }
                _known.Remove(id);
                // The owner is read once, when a connection opens; later readings keep it (they are made without the /proc scan).
                next[id] = Changed(before, now, changes);
            }

            // Left over: closed, unless an opened one has the same endpoints and one of the two has no inode.
            Dictionary<Endpoints, List<PortConnection>>? gone = null;
            foreach (PortConnection now in opened)
            {
                gone ??= ByEndpoints(_known.Values);
                if (gone.TryGetValue(new Endpoints(now), out List<PortConnection>? candidates)
                    && candidates.FindIndex(c => c.Inode == 0 || now.Inode == 0) is int index && index >= 0)
                {
                    PortConnection before = candidates[index];
                    candidates.RemoveAt(index);
                    _known.Remove(new Identity(before));
                    PortConnection kept = Changed(before, now, changes);
                    if (ReferenceEquals(kept, before)) kept = now.WithOwnerOf(before); // the reading with the inode
                    next[new Identity(now)] = kept;
                    if (before.Inode == 0 && now.Inode != 0 && before.OwningProcess == null) NeedOwners.Add(kept);
                }
                else
                {
                    changes.Add(new Change(ConnectionChangeKind.Opened, now, null));
                    NeedOwners.Add(now);
                }
            }
            foreach (PortConnection before in _known.Values) changes.Add(new Change(ConnectionChangeKind.Closed, before, null));
            _known = next;
            return changes;
        }

        /// <summary>
        /// Puts the owners of <paramref name="readings"/> (a listing made with the owner scan) on <see cref="NeedOwners"/>
        /// and on their changes, and remembers them so for the next refresh.
        /// </summary>
        internal void TakeOwners(List<Change> changes, IEnumerable<PortConnection> readings)
        {
            Dictionary<Identity, PortConnection> withOwners = ToMap(readings, out _);
            var replaced = new Dictionary<PortConnection, PortConnection>(); // by reference: PortConnection keeps object equality
            foreach (PortConnection reading in NeedOwners)
            {
                var id = new Identity(reading);
                if (!withOwners.TryGetValue(id, out PortConnection? owned)) continue;
                // This listing's reading (what the change saw) with the owner of the later one.
                PortConnection withOwner = reading.WithOwnerOf(owned);
                if (_known.ContainsKey(id)) _known[id] = withOwner;
                replaced[reading] = withOwner;
            }
            foreach (Change change in changes)
            {
                if (replaced.TryGetValue(change.Connection, out PortConnection? withOwner)) change.Connection = withOwner;
            }
        }

        private static PortConnection Changed(PortConnection before, PortConnection now, List<Change> changes)
        {
            if (before.State == now.State) return before;
            PortConnection changed = now.WithOwnerOf(before);
            changes.Add(new Change(ConnectionChangeKind.StateChanged, changed, before.State));
            return changed;
        }

        private static Dictionary<Identity, PortConnection> ToMap(IEnumerable<PortConnection> listing, out List<PortConnection> distinct)
        {
            var map = new Dictionary<Identity, PortConnection>();
            distinct = new List<PortConnection>();
            foreach (PortConnection connection in listing)
            {
                // Under churn a listing may show a socket twice (the kernel walks its tables while it is read).
                var id = new Identity(connection);
                if (map.ContainsKey(id)) continue;
                map.Add(id, connection);
                distinct.Add(connection);
            }
            return map;
        }

        private static Dictionary<Endpoints, List<PortConnection>> ByEndpoints(IEnumerable<PortConnection> connections)
        {
            var map = new Dictionary<Endpoints, List<PortConnection>>();
            foreach (PortConnection connection in connections)
            {
                var key = new Endpoints(connection);
                if (!map.TryGetValue(key, out List<PortConnection>? list)) map.Add(key, list = new List<PortConnection>());
                list.Add(connection);
            }
            return map;
        }

        internal sealed class Change
        {
            internal Change(ConnectionChangeKind kind, PortConnection connection, TcpState? previousState)
            {
                Kind = kind;
                Connection = connection;
                PreviousState = previousState;
            }

            internal ConnectionChangeKind Kind { get; }
            internal PortConnection Connection { get; set; }
            internal TcpState? PreviousState { get; }
        }

        private readonly struct Endpoints : IEquatable<Endpoints>
        {
            private readonly TransportProtocol _protocol;
            private readonly string _localAddress, _remoteAddress;
            private readonly int _localPort, _remotePort;
            private readonly uint _scopeId;

            internal Endpoints(PortConnection c)
            {
                _protocol = c.Protocol;
                _localAddress = c.LocalAddress;
                _localPort = c.LocalPort;
                _remoteAddress = c.RemoteAddress;
                _remotePort = c.RemotePort;
                _scopeId = c.ScopeId;
            }

            public bool Equals(Endpoints other) =>
                _protocol == other._protocol && _localPort == other._localPort && _remotePort == other._remotePort && _scopeId == other._scopeId
                && string.Equals(_localAddress, other._localAddress, StringComparison.Ordinal)
                && string.Equals(_remoteAddress, other._remoteAddress, StringComparison.Ordinal);

            public override bool Equals(object? obj) => obj is Endpoints other && Equals(other);

            public override int GetHashCode()
            {
                unchecked
                {
                    int hash = (int)_protocol;
                    hash = hash * 31 + _localPort;
                    hash = hash * 31 + _remotePort;
                    hash = hash * 31 + StringComparer.Ordinal.GetHashCode(_localAddress);
                    hash = hash * 31 + StringComparer.Ordinal.GetHashCode(_remoteAddress);
                    return hash * 31 + (int)_scopeId;
                }
            }
        }

        private readonly struct Identity : IEquatable<Identity>
        {
            private readonly Endpoints _endpoints;
            private readonly ulong _inode;

            internal Identity(PortConnection c)
            {
                _endpoints = new Endpoints(c);
                _inode = c.Inode;
            }

            public bool Equals(Identity other) => _inode == other._inode && _endpoints.Equals(other._endpoints);

            public override bool Equals(object? obj) => obj is Identity other && Equals(other);

            public override int GetHashCode() => unchecked(_endpoints.GetHashCode() * 31 + _inode.GetHashCode());
        }
    }
}
