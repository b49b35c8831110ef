using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System;
using PortTools.Models;

namespace PortTools.Services
{
    /// <summary>
    /// Everything known about port numbers, indexed by (port, protocol): IANA's registry, the names admins use,
    /// and this host's services database. Built once; every lookup after that is a dictionary probe.
    /// </summary>
    internal sealed class PortRegistry
    {
        internal const string DynamicDescription = "Dynamic (private) port: never assigned";
        internal const string UnassignedDescription = "Unassigned";

        private static readonly RegistryProtocol[] AllProtocols =
            { RegistryProtocol.Tcp, RegistryProtocol.Udp, RegistryProtocol.Sctp, RegistryProtocol.Dccp };

        // Old IANA rows without a protocol (boe-cms 6400, x11-era ranges) were assignments for both TCP and UDP.
        internal static readonly RegistryProtocol[] TcpAndUdp = { RegistryProtocol.Tcp, RegistryProtocol.Udp };

        private readonly Dictionary<int, List<IanaRecord>> _named = new Dictionary<int, List<IanaRecord>>();
        private readonly Dictionary<int, IanaRecord> _status = new Dictionary<int, IanaRecord>();
        private readonly List<IanaRecord> _statusRanges = new List<IanaRecord>();
        private readonly Dictionary<int, CommonPortName> _common = new Dictionary<int, CommonPortName>();
        private readonly Dictionary<int, HostServiceEntry> _host = new Dictionary<int, HostServiceEntry>();
        private readonly Dictionary<string, HashSet<int>> _byName = new Dictionary<string, HashSet<int>>(StringComparer.OrdinalIgnoreCase);
        // The names admins use, apart: a match there is the answer they mean and comes first.
        private readonly Dictionary<string, HashSet<int>> _byAdminName = new Dictionary<string, HashSet<int>>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _portlessNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly NetstatNames _netstat;

        internal PortRegistry(IEnumerable<IanaRecord> iana, IEnumerable<CommonPortName> common, IEnumerable<HostServiceEntry> host)
        {
            foreach (IanaRecord record in iana)
            {
                if (!record.HasPort)
                {
                    if (record.IsNamed) _portlessNames.Add(record.ServiceName);
                }
                else if (record.IsNamed)
                {
                    foreach (RegistryProtocol protocol in ProtocolsOf(record, TcpAndUdp))
                    {
                        AddName(record.ServiceName, Key(record.FirstPort, protocol));
                        for (int port = record.FirstPort; port <= record.LastPort; port++)
                            GetOrAdd(_named, Key(port, protocol)).Add(record);
                    }
                }
                else if (record.IsRange)
                {
                    _statusRanges.Add(record);
                }
                else
                {
                    foreach (RegistryProtocol protocol in ProtocolsOf(record, AllProtocols))
                        _status[Key(record.FirstPort, protocol)] = record;
                }
            }
            // IANA lists the preferred name first; keep aliases and duplicates behind it even if a row is out of order.
            foreach (List<IanaRecord> rows in _named.Values)
            {
                if (rows.Count < 2) continue;
                List<IanaRecord> ordered = rows.OrderBy(r => r.AliasOf != null).ToList(); // OrderBy is stable
                rows.Clear();
                rows.AddRange(ordered);
            }
            foreach (CommonPortName entry in common)
            {
                foreach (RegistryProtocol protocol in entry.Protocols)
                {
                    int key = Key(entry.Port, protocol);
                    _common[key] = entry;
                    foreach (string name in new[] { entry.Name }.Concat(entry.Aliases))
                    {
                        AddName(name, key);
                        GetOrAdd(_byAdminName, name).Add(key);
                    }
                }
            }
            foreach (HostServiceEntry entry in host)
            {
                int key = Key(entry.Port, entry.Protocol);
                if (!_host.ContainsKey(key)) _host[key] = entry; // getservbyport(3) answers with the first line
                AddName(entry.Name, key);
                foreach (string alias in entry.Aliases) AddName(alias, key);
            }
            _netstat = new NetstatNames(key => _named.TryGetValue(key, out List<IanaRecord>? rows) ? rows[0].ServiceName : null, common, host);
        }

        /// <summary>RFC 6335, section 6: System 0-1023, User 1024-49151, Dynamic 49152-65535.</summary>
        internal static PortCategory CategoryOf(int port) =>
            port <= 1023 ? PortCategory.WellKnown : port <= 49151 ? PortCategory.Registered : PortCategory.Dynamic;

        /// <summary>The name netstat would print: this host's services database first, then admins' name, then IANA's.</summary>
        internal string? NetstatName(int port, RegistryProtocol protocol) => _netstat.Lookup(port, protocol);

        /// <summary>The protocols some source names this port for, in Tcp, Udp, Sctp, Dccp order.</summary>
        internal IEnumerable<RegistryProtocol> KnownProtocols(int port) =>
            AllProtocols.Where(p => _named.ContainsKey(Key(port, p)) || _common.ContainsKey(Key(port, p)) || _host.ContainsKey(Key(port, p)));

        /// <summary>
        /// The (first port, protocol) of every assignment whose name <paramref name="matches"/>: first the ports
        /// admins mean by a matching name of theirs (oracle: 1521/tcp), then every other match (IANA's oracle,
        /// 2005/udp); each group sorted by port and protocol.
        /// </summary>
        internal List<(int Port, RegistryProtocol Protocol)> FindByName(Func<string, bool> matches)
        {
            List<int> admins = KeysMatching(_byAdminName, matches);
            return admins.Concat(KeysMatching(_byName, matches).Except(admins))
                .Select(key => (key >> 2, (RegistryProtocol)(key & 3)))
                .ToList();
        }

        private static List<int> KeysMatching(Dictionary<string, HashSet<int>> byName, Func<string, bool> matches) =>
            byName.Where(pair => matches(pair.Key)).SelectMany(pair => pair.Value).Distinct().OrderBy(key => key).ToList();

        /// <summary>Every name some source gives a port: IANA's (aliases too), admins' (short names too), the host's.</summary>
        internal IEnumerable<string> Names => _byName.Keys;

        /// <summary>Whether a name IANA registered without a port (DNS-SD only) matches.</summary>
        internal bool MatchesPortlessName(Func<string, bool> matches) => _portlessNames.Any(matches);

        /// <summary>All that is known about <paramref name="port"/> for <paramref name="protocol"/> (null: any protocol).</summary>
        internal WellKnownPort Describe(int port, RegistryProtocol? protocol, bool inEphemeralRange)
        {
            int key = Key(port, protocol ?? RegistryProtocol.Tcp);
            List<IanaRecord>? rows = protocol == null ? null : Find(_named, key);
            IanaRecord? preferred = rows?[0];
            IanaRecord? status = preferred == null ? FindStatus(port, key) : null;
            HostServiceEntry? host = protocol == null ? null : Find(_host, key);
            CommonPortName? common = protocol == null ? null : Find(_common, key);

            var aliases = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (preferred != null) seen.Add(preferred.ServiceName);
            foreach (IanaRecord row in rows?.Skip(1) ?? Enumerable.Empty<IanaRecord>())
            {
                if (seen.Add(row.ServiceName)) aliases.Add(row.IsHistoric ? row.ServiceName + " (historic)" : row.ServiceName);
            }
            foreach (string name in host == null ? Enumerable.Empty<string>() : new[] { host.Name }.Concat(host.Aliases))
            {
                if (seen.Add(name)) aliases.Add(name);
            }

            string description = (preferred ?? status)?.Description is { Length: > 0 } text ? text
                : preferred != null ? preferred.ServiceName
                : port >= 49152 ? DynamicDescription
                : UnassignedDescription;
            return new WellKnownPort(
                port,
                preferred != null && preferred.IsRange ? $"{preferred.FirstPort}-{preferred.LastPort}" : null,
                protocol,
                preferred?.ServiceName,
                aliases.Count == 0 ? null : string.Join(", ", aliases),
                common?.Name,
                common == null || common.Aliases.Length == 0 ? null : string.Join(", ", common.Aliases),
                host?.Name,
                description,
                CategoryOf(port),
                CleanReference((preferred ?? status)?.Reference),
                inEphemeralRange);
        }

        // "[RFC2818][RFC9110]" reads better as "RFC2818, RFC9110".
        private static string? CleanReference(string? reference)
        {
            if (string.IsNullOrEmpty(reference)) return null;
            string[] parts = reference!.Split(new[] { '[', ']' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
            return parts.Length == 0 ? null : string.Join(", ", parts);
        }

        private IanaRecord? FindStatus(int port, int key)
        {
            if (_status.TryGetValue(key, out IanaRecord? status)) return status;
            var protocol = (RegistryProtocol)(key & 3);
            return _statusRanges.FirstOrDefault(r => r.FirstPort <= port && port <= r.LastPort && (r.Protocol == null || r.Protocol == protocol));
        }

        private void AddName(string name, int key) => GetOrAdd(_byName, name).Add(key);

        private static IEnumerable<RegistryProtocol> ProtocolsOf(IanaRecord record, RegistryProtocol[] whenNone) =>
            record.Protocol is RegistryProtocol protocol ? new[] { protocol } : whenNone;

        internal static int Key(int port, RegistryProtocol protocol) => (port << 2) | (int)protocol;

        private static TValue? Find<TValue>(Dictionary<int, TValue> map, int key) where TValue : class =>
            map.TryGetValue(key, out TValue? value) ? value : null;

        private static TValue GetOrAdd<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key) where TValue : new()
        {
            if (!map.TryGetValue(key, out TValue? value)) map[key] = value = new TValue();
            return value;
        }
    }
}
