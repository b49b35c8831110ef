using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using PortTools.Models;
using PortTools.Query;

namespace PortTools.Platform.MacOS
{
    /// <summary>
    /// Routes from the NET_RT_DUMP2 sysctl, as netstat -rn reads them, named from NET_RT_IFLIST2. A lookup picks from
    /// that dump by longest prefix, the rule the kernel's radix tree applies, since no lookup call is made.
    /// </summary>
    internal sealed class MacRouteSource : IRouteSource
    {
        private readonly Func<int[], (byte[] Buffer, int Length)> _readSysctl;

        /// <summary>The source that calls the OS.</summary>
        internal MacRouteSource() : this(Darwin.Sysctl)
        {
        }

        /// <param name="readSysctl">Reads a sysctl by its numbers: buffer and byte count.</param>
        internal MacRouteSource(Func<int[], (byte[] Buffer, int Length)> readSysctl) => _readSysctl = readSysctl;

        public IEnumerable<RouteEntry> GetRoutes(RouteQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
            Table().Where(r => !r.IsProtocolClone).Select(r => r.Entry).Where(query.Matches);

        public RouteEntry? FindRoute(IPAddress destination, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            diagnostics.Verbose($"The route to {destination} was chosen by longest prefix from the routing table (NET_RT_DUMP2), not asked of the kernel.");
            return Lookup(Table(), destination);
        }

        /// <summary>
        /// The route to <paramref name="destination"/> by longest prefix, as xnu's rt_lookup_common matches: an address
        /// without a zone only among routes not bound to an interface (RTF_IFSCOPE), as its unscoped search; a zoned IPv6
        /// address (fe80::1%4) only among the routes of that interface, as its scoped search. Equal prefixes: the first
        /// in the dump. Pure (docs/dev/platform-layouts.md, "Routes: NET_RT_DUMP2").
        /// </summary>
        /// <exception cref="NoRouteException">The matching route rejects or discards the packet (RTF_REJECT, RTF_BLACKHOLE).</exception>
        internal static RouteEntry? Lookup(IEnumerable<MacRoute> table, IPAddress destination)
        {
            long zone = destination.AddressFamily == AddressFamily.InterNetworkV6 ? destination.ScopeId : 0;
            IEnumerable<RouteEntry> candidates = table
                .Where(r => !r.IsProtocolClone && (zone != 0 ? r.Entry.InterfaceIndex == zone : !r.IsInterfaceScoped))
                .Select(r => r.Entry);
            // Not RouteQuery.LongestPrefixMatch: xnu's broadcast and multicast routes (224.0.0.0/4 has RTF_MULTICAST) are
            // the ones its lookup finds for such addresses, and it has no local table to try first. Stable sort: ties keep dump order.
            RouteEntry? matched = RouteQuery.Containing(candidates, destination).OrderByDescending(r => r.PrefixLength).FirstOrDefault();
            if (matched == null) return null;
            // What ip_output answers for such a route: EHOSTUNREACH for a reject route, a silent drop for a blackhole.
            if (matched.Type == RouteType.Unreachable || matched.Type == RouteType.Blackhole)
                throw new NoRouteException($"the route {matched.DestinationPrefix} {(matched.Type == RouteType.Blackhole ? "discards" : "rejects")} it");
            return RouteEntry.ForDestination(destination, matched, matched.NextHops.FirstOrDefault(), null);
        }

        private List<MacRoute> Table()
        {
            var (interfaces, interfacesLength) = _readSysctl(RoutingMessages.Mib(RoutingMessages.NET_RT_IFLIST2));
            var names = new Dictionary<int, string>();
            foreach (InterfaceStatistic adapter in InterfaceListDecoder.Decode(interfaces, interfacesLength)) names[adapter.InterfaceIndex] = adapter.Name;
            var (routes, routesLength) = _readSysctl(RoutingMessages.Mib(RoutingMessages.NET_RT_DUMP2));
            return RouteDumpDecoder.Decode(routes, routesLength, names);
        }
    }
}
