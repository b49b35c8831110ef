using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Query;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Routes from rtnetlink (every table, multipath, protocol, scope) and the kernel's own lookup for one
    /// address; /proc/net/route and /proc/net/ipv6_route when netlink is refused.
    /// </summary>
    internal sealed class LinuxRouteSource : IRouteSource
    {
        private readonly ProcFs _proc;
        private readonly bool _useNetlink;
        private readonly NetworkNamespaceHandle? _namespace;

        /// <param name="proc">Where /proc is.</param>
        /// <param name="useNetlink">False reads /proc/net only; true uses rtnetlink unless PORTTOOLS_LINUX_SOURCE says proc.</param>
        /// <param name="netns">Another network namespace whose routes to read; null for the caller's.</param>
        internal LinuxRouteSource(ProcFs proc, bool useNetlink = true, NetworkNamespaceHandle? netns = null)
        {
            _proc = proc;
            _useNetlink = useNetlink;
            _namespace = netns;
        }

        /// <summary>The routes of another network namespace: rtnetlink opened inside it.</summary>
        internal static LinuxRouteSource In(NetworkNamespaceHandle netns) => new LinuxRouteSource(netns.Proc, netns: netns);

        public IEnumerable<RouteEntry> GetRoutes(RouteQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            var names = InterfaceNamesHere();
            using NetlinkSocket? netlink = TryOpenNetlink(diagnostics);
            uint sequence = 0;
            foreach (IPVersion family in new[] { IPVersion.IPv4, IPVersion.IPv6 })
            {
                if (!query.Includes(family)) continue;
                IEnumerable<RouteEntry> routes = netlink != null
                    ? ReadNetlink(netlink, family, ++sequence, names, cancellation)
                    : ReadProc(family, names, diagnostics);
                foreach (RouteEntry route in routes)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (!query.Matches(route)) continue;
                    yield return InNamespace(route)!;
                }
            }
        }

        public RouteEntry? FindRoute(IPAddress destination, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
            InNamespace(Lookup(destination, diagnostics, cancellation));

        private RouteEntry? Lookup(IPAddress destination, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            // The zone of a scoped IPv6 address (fe80::1%eth1) binds the lookup to that interface.
            int outputInterface = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? (int)destination.ScopeId : 0;
            using NetlinkSocket? netlink = TryOpenNetlink(diagnostics);
            if (netlink == null)
            {
                diagnostics.WarnOnce("LookupInMemory",
                    "The kernel's route lookup is not available; the route was chosen by longest prefix and metric from /proc/net, " +
                    "without policy rules, interface scope or multipath hashing (the first path is shown).");
                var query = new RouteQuery();
                query.Families.Add(destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IPVersion.IPv4 : IPVersion.IPv6);
                RouteEntry? matched = RouteQuery.LongestPrefixMatch(GetRoutes(query, diagnostics, cancellation).ToList(), destination);
                return matched == null ? null : RouteEntry.ForDestination(destination, matched, matched.NextHops.FirstOrDefault(), null);
            }
            var names = InterfaceNamesHere();
            // Plain `ip route get`: the kernel's own answer, with the path its multipath hash chose, the device,
            // the source address and the type (net/ipv4/route.c inet_rtm_getroute, net/ipv6/route.c
            // inet6_rtm_getroute). Its errors (unreachable, blackhole) are the lookup's.
            NetlinkMessage answer;
            try
            {
                answer = netlink.Request(RtnlRouteDecoder.LookupRequest(destination, 1, fibMatch: false, outputInterface), cancellation);
            }
            catch (NetlinkErrorException e)
            {
                throw new NoRouteException(e.Message, e); // ENETUNREACH, EHOSTUNREACH, EINVAL (blackhole), EACCES (prohibit)
            }
            RouteEntry? entry = null;
            try
            {
                // `ip route get fibmatch`: the table entry behind that answer (kernel >= 4.13).
                entry = RtnlRouteDecoder.Decode(
                    netlink.Request(RtnlRouteDecoder.LookupRequest(destination, 2, fibMatch: true, outputInterface), cancellation), names);
            }
            catch (NetlinkErrorException e)
            {
                diagnostics.Verbose($"The kernel did not tell which table entry {destination} matched: {e.Message}");
            }
            return RtnlRouteDecoder.Decode(answer, names, acceptCloned: true, matchedRoute: entry);
        }

        private static IEnumerable<RouteEntry> ReadNetlink(NetlinkSocket netlink, IPVersion family, uint sequence,
            InterfaceNames names, CancellationToken cancellation)
        {
            byte[] request = RtnlRouteDecoder.DumpRequest(family == IPVersion.IPv4 ? RtnlRouteDecoder.AF_INET : RtnlRouteDecoder.AF_INET6, sequence);
            foreach (NetlinkMessage message in netlink.Dump(request, cancellation))
            {
                RouteEntry? route = RtnlRouteDecoder.Decode(message, names);
                if (route != null) yield return route;
            }
        }

        private IEnumerable<RouteEntry> ReadProc(IPVersion family, InterfaceNames names, ListingDiagnostics diagnostics)
        {
            diagnostics.WarnOnce("ProcRoutes",
                "Routes were read from /proc/net: IPv4 shows the main table only, and protocol, scope and the IPv6 table ids are not known.");
            string path = _proc.NetFile(family == IPVersion.IPv4 ? "route" : "ipv6_route");
            using TextReader? text = _proc.OpenNetText(path);
            if (text == null)
            {
                diagnostics.Verbose($"{path} is missing (no {family} in this kernel?).");
                yield break;
            }
            IEnumerable<RouteEntry> routes = family == IPVersion.IPv4
                ? ProcRouteParser.ParseRoute(text, names, path, diagnostics)
                : ProcRouteParser.ParseIpv6Route(text, names, path, diagnostics);
            foreach (RouteEntry route in routes) yield return route;
        }

        private NetlinkSocket? TryOpenNetlink(ListingDiagnostics diagnostics) =>
            _useNetlink && LinuxSourceSetting.UseNetlink(diagnostics)
                ? NetlinkSocket.TryOpen(() => _namespace != null ? _namespace.Run(OpenRtnetlink) : OpenRtnetlink(), "route", diagnostics)
                : null;

        private static NetlinkSocket OpenRtnetlink() => NetlinkSocket.Open(Libc.NETLINK_ROUTE);

        /// <summary>Interface names as the routes' namespace knows them.</summary>
        private InterfaceNames InterfaceNamesHere() => _namespace != null ? _namespace.InterfaceNames() : InterfaceNames.FromLibc();

        /// <summary>The route (and the entry it matched) marked with the namespace it was read in, if another.</summary>
        private RouteEntry? InNamespace(RouteEntry? route) =>
            route == null || _namespace == null ? route : route.InNamespace(_namespace.Name);
    }
}
