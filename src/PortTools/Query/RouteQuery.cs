using System.Collections.Generic;
using System.Linq;
using System.Net;
using System;
using PortTools.Models;

namespace PortTools.Query
{
    /// <summary>
    /// What the user asked Get-RouteTable for. Filters combine with AND, the values inside one filter with OR;
    /// an empty filter accepts everything. The one place that says what each route filter means.
    /// </summary>
    internal sealed class RouteQuery
    {
        internal ISet<IPVersion> Families { get; } = new HashSet<IPVersion>();
        internal ISet<uint> Tables { get; } = new HashSet<uint>();

        /// <summary>Exact prefixes ("10.0.0.0/24"; an address alone means the host prefix).</summary>
        internal IList<AddressPrefix> Prefixes { get; } = new List<AddressPrefix>();

        /// <summary>Wildcard test on the DestinationPrefix text (from the cmdlet); null when no pattern was given.</summary>
        internal Func<string, bool>? PrefixMatches { get; set; }

        /// <summary>Interface-name test (wildcards, from the cmdlet); null accepts every interface.</summary>
        internal Func<string, bool>? InterfaceMatches { get; set; }

        internal bool Includes(IPVersion family) => Families.Count == 0 || Families.Contains(family);

        internal bool Matches(RouteEntry route) =>
            Includes(route.AddressFamily)
            && (Tables.Count == 0 || (route.Table is uint table && Tables.Contains(table)))
            && MatchesPrefix(route)
            && (InterfaceMatches == null || route.NextHops.Any(h => h.InterfaceAlias != null && InterfaceMatches(h.InterfaceAlias)));

        private bool MatchesPrefix(RouteEntry route)
        {
            if (Prefixes.Count == 0 && PrefixMatches == null) return true;
            if (PrefixMatches != null && PrefixMatches(route.DestinationPrefix)) return true;
            return AddressPrefix.TryParse(route.DestinationPrefix, out AddressPrefix? own)
                && Prefixes.Any(p => p.Length == own!.Length && p.Contains(own.Network));
        }

        /// <summary>
        /// The route for <paramref name="destination"/> by longest prefix, then lowest metric, with the local
        /// table first (as the kernel's default rule order has it). For sources without the kernel's own lookup:
        /// it knows no policy rules.
        /// </summary>
        internal static RouteEntry? LongestPrefixMatch(IEnumerable<RouteEntry> routes, IPAddress destination) =>
            Containing(routes.Where(r => r.Type != RouteType.Broadcast && r.Type != RouteType.Multicast), destination)
                .OrderByDescending(r => r.Table == RouteTables.Local || r.Type == RouteType.Local)
                .ThenByDescending(r => r.PrefixLength)
                .ThenBy(r => r.RouteMetric)
                .FirstOrDefault();

        /// <summary>The routes of <paramref name="destination"/>'s family whose prefix holds it, in their order.</summary>
        internal static IEnumerable<RouteEntry> Containing(IEnumerable<RouteEntry> routes, IPAddress destination) =>
            routes.Where(r => AddressPrefix.TryParse(r.DestinationPrefix, out AddressPrefix? prefix)
                && prefix!.Network.AddressFamily == destination.AddressFamily && prefix.Contains(destination));
    }
}
