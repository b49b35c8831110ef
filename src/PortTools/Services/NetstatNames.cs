using System.Collections.Generic;
using System;
using PortTools.Models;

namespace PortTools.Services
{
    /// <summary>
    /// The name netstat prints for a port: this host's services database first, then the name admins use, then
    /// IANA's preferred one. Apart from <see cref="PortRegistry"/> so that LocalService and RemoteService, read by
    /// every Export-Csv, need only three small maps and not the registry's descriptions and name indexes.
    /// </summary>
    internal sealed class NetstatNames
    {
        private readonly Func<int, string?> _iana;
        private readonly Dictionary<int, string> _common = new Dictionary<int, string>();
        private readonly Dictionary<int, string> _host = new Dictionary<int, string>();

        /// <param name="iana">IANA's preferred name for a <see cref="PortRegistry.Key"/>, or null.</param>
        /// <param name="common">The names admins use.</param>
        /// <param name="host">This host's services database, in file order.</param>
        internal NetstatNames(Func<int, string?> iana, IEnumerable<CommonPortName> common, IEnumerable<HostServiceEntry> host)
        {
            _iana = iana;
            foreach (CommonPortName entry in common)
            {
                foreach (RegistryProtocol protocol in entry.Protocols) _common[PortRegistry.Key(entry.Port, protocol)] = entry.Name;
            }
            foreach (HostServiceEntry entry in host)
            {
                int key = PortRegistry.Key(entry.Port, entry.Protocol);
                if (!_host.ContainsKey(key)) _host[key] = entry.Name; // getservbyport(3) answers with the first line
            }
        }

        internal string? Lookup(int port, RegistryProtocol protocol)
        {
            int key = PortRegistry.Key(port, protocol);
            return _host.TryGetValue(key, out string? name) || _common.TryGetValue(key, out name) ? name : _iana(key);
        }
    }
}
