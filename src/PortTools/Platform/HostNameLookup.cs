using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Net;
using System.Threading.Tasks;
using System.Threading;
using System;
using PortTools.Models;

namespace PortTools.Platform
{
    /// <summary>Finds the host name of an address (a reverse lookup); null when it has none.</summary>
    internal interface IHostNameResolver
    {
        Task<string?> ResolveAsync(IPAddress address);
    }

    /// <summary>The system resolver (getnameinfo: the hosts file, then DNS), as netstat -f asks it.</summary>
    internal sealed class SystemHostNameResolver : IHostNameResolver
    {
        public async Task<string?> ResolveAsync(IPAddress address)
        {
            try
            {
                IPHostEntry entry = await Dns.GetHostEntryAsync(address).ConfigureAwait(false);
                // An address without a name comes back as itself on some platforms.
                return string.IsNullOrEmpty(entry.HostName) || entry.HostName == address.ToString() ? null : entry.HostName;
            }
            catch (SocketException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The host names of -ResolveHostName: each address looked up once per cmdlet call (a watch keeps its names
    /// for the whole watch), several at a time, each given <see cref="Timeout"/> so that one silent name server
    /// does not hold up the listing; an address whose lookup timed out keeps no name.
    /// </summary>
    internal sealed class HostNameLookup
    {
        /// <summary>The resolver; tests swap in a slow or counting one.</summary>
        internal static IHostNameResolver Resolver { get; set; } = new SystemHostNameResolver();

        internal static TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

        // Lookups in flight at once: enough to hide the latency of a name server, few enough not to flood it.
        private const int Parallel = 32;

        private readonly Dictionary<string, string?> _names = new Dictionary<string, string?>(StringComparer.Ordinal);

        /// <summary>
        /// Looks up every address of <paramref name="connections"/> not yet known; returns them in the same order, each
        /// one whose address has a name as a copy with that RemoteHostName. <paramref name="progress"/> is called on the
        /// caller's thread (done, total), so a cmdlet may write progress.
        /// </summary>
        internal List<PortConnection> Resolve(IReadOnlyList<PortConnection> connections, Action<int, int> progress, CancellationToken cancellation)
        {
            var queue = new Queue<string>(connections
                .Where(c => c.RemotePort != 0 && !_names.ContainsKey(c.RemoteAddress))
                .Select(c => c.RemoteAddress)
                .Distinct(StringComparer.Ordinal));
            int total = queue.Count, done = 0;
            var running = new List<(string Address, Task<string?> Name)>();
            while (queue.Count > 0 || running.Count > 0)
            {
                while (running.Count < Parallel && queue.Count > 0)
                {
                    string address = queue.Dequeue();
                    running.Add((address, WithTimeout(address)));
                }
                progress(done, total);
                // Woken by the first lookup to end, and a few times a second to stay stoppable.
                Task.WaitAny(running.Select(r => (Task)r.Name).ToArray(), 250, cancellation);
                foreach (var finished in running.Where(r => r.Name.IsCompleted).ToList())
                {
                    _names[finished.Address] = finished.Name.Status == TaskStatus.RanToCompletion ? finished.Name.Result : null;
                    running.Remove(finished);
                    done++;
                }
            }
            if (total > 0) progress(total, total);
            return connections.Select(c => _names.TryGetValue(c.RemoteAddress, out string? name) && name != null ? c.WithRemoteHostName(name) : c).ToList();
        }

        private static async Task<string?> WithTimeout(string address)
        {
            if (!IPAddress.TryParse(address, out IPAddress? ip) || IsUnspecified(ip)) return null;
            if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4(); // a dual-stack socket's IPv4 peer has its IPv4 name
            Task<string?> lookup = Resolver.ResolveAsync(ip);
            Task first = await Task.WhenAny(lookup, Task.Delay(Timeout)).ConfigureAwait(false);
            return first == lookup ? await lookup.ConfigureAwait(false) : null;
        }

        private static bool IsUnspecified(IPAddress ip) => ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any);
    }
}
