using System;
using System.ComponentModel;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;

namespace PortTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the routes of every routing table (netstat -r, ip route show table all), or the route for an address (ip route get).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RouteTable", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(RouteEntry))]
    public sealed class GetRouteTableCommand : PortToolsCmdlet
    {
        private const string ListSet = "List";
        private const string LookupSet = "Lookup";

        internal const string InvalidPrefixErrorId = "InvalidDestinationPrefix";
        internal const string InvalidTableErrorId = "InvalidTable";
        internal const string InvalidDestinationErrorId = "InvalidDestination";
        internal const string InterfaceNotFoundErrorId = "InterfaceNotFound";
        internal const string NoRouteErrorId = "NoRoute";
        internal const string RouteListingFailedErrorId = "RouteListingFailed";

        private readonly RouteQuery _query = new RouteQuery();
        private ListingDiagnostics? _diagnostics;

        /// <summary>IPv4, IPv6, or both (the default).</summary>
        [Parameter(ParameterSetName = ListSet)]
        public IPVersion[]? AddressFamily { get; set; }

        /// <summary>Destination prefixes: CIDR (10.0.0.0/24, ::/0) for that exact prefix, or wildcards (10.99.*).</summary>
        [Parameter(ParameterSetName = ListSet, Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? DestinationPrefix { get; set; }

        /// <summary>Names of the outgoing interfaces; wildcards allowed.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? InterfaceAlias { get; set; }

        /// <summary>Routing tables by name (main, local, default) or number; all tables by default.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Table { get; set; }

        /// <summary>
        /// Addresses to look up: the route the kernel would use for each (ip route get, Find-NetRoute). Binds the
        /// RemoteAddress of Get-PortConnection output from the pipeline.
        /// </summary>
        [Parameter(ParameterSetName = LookupSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("RemoteAddress", "IPAddress")]
        [ValidateNotNullOrEmpty]
        public string[]? Destination { get; set; }

        protected override void BeginProcessing()
        {
            _diagnostics = NewDiagnostics();
            if (ParameterSetName != ListSet) return;
            foreach (IPVersion family in AddressFamily ?? Array.Empty<IPVersion>()) _query.Families.Add(family);
            foreach (string name in Table ?? Array.Empty<string>())
            {
                if (!RouteTables.TryParse(name, out uint id))
                    ThrowInvalidArgument($"{Quote(name)} is not a routing table. Give main, local, default or a table number (1-4294967295).",
                        InvalidTableErrorId, nameof(Table), name);
                _query.Tables.Add(id);
            }
            var patterns = new List<WildcardPattern>();
            foreach (string text in DestinationPrefix ?? Array.Empty<string>())
            {
                if (WildcardPattern.ContainsWildcardCharacters(text)) patterns.Add(ParseWildcard(text, nameof(DestinationPrefix)));
                else if (AddressPrefix.TryParse(text, out AddressPrefix? prefix)) _query.Prefixes.Add(prefix!);
                else ThrowInvalidArgument(
                        $"{Quote(text)} is not a valid destination prefix. Give a CIDR prefix (10.0.0.0/24, fd00::/64; at most /32 for IPv4 and /128 " +
                        "for IPv6), an address, or a wildcard pattern (10.99.*).",
                        InvalidPrefixErrorId, nameof(DestinationPrefix), text);
            }
            if (patterns.Count > 0) _query.PrefixMatches = text => patterns.Any(p => p.IsMatch(text));
            _query.InterfaceMatches = WildcardMatcher(InterfaceAlias, nameof(InterfaceAlias));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != LookupSet) return;
            foreach (string text in Destination!)
            {
                if (!IPAddress.TryParse(text.Trim().Trim('[', ']'), out IPAddress? address))
                {
                    WriteError(new ErrorRecord(
                        new ArgumentException($"{Quote(text)} is not an IPv4 or IPv6 address; -Destination takes an address such as 192.0.2.1 or 2001:db8::1.", nameof(Destination)),
                        InvalidDestinationErrorId, ErrorCategory.InvalidArgument, text));
                    continue;
                }
                if (address!.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
                {
                    WriteError(new ErrorRecord(
                        new ArgumentException($"{Quote(text)} is the unspecified address, which no route leads to (a listening socket has it as its remote address).", nameof(Destination)),
                        InvalidDestinationErrorId, ErrorCategory.InvalidArgument, text));
                    continue;
                }
                // Dual-stack sockets show IPv4 peers as ::ffff:a.b.c.d; the kernel routes those by the IPv4 table.
                if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
                if (!Run(() => Lookup(address, text))) return;
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName != ListSet) return;
            var usedInterfaces = new HashSet<string>(StringComparer.Ordinal);
            if (!Run(() =>
                {
                    foreach (RouteEntry route in Backends.Routes.GetRoutes(_query, _diagnostics!, StopToken))
                    {
                        foreach (RouteNextHop hop in route.NextHops)
                            if (hop.InterfaceAlias != null) usedInterfaces.Add(hop.InterfaceAlias);
                        WriteObject(route);
                    }
                })) return;
            ReportUnmatchedNames(InterfaceAlias, usedInterfaces,
                name => $"No route uses an interface named {name}. Get-InterfaceStatistic lists the interfaces.", InterfaceNotFoundErrorId);
        }

        private void Lookup(IPAddress address, string text)
        {
            string? reason = null;
            RouteEntry? route;
            try
            {
                route = Backends.Routes.FindRoute(address, _diagnostics!, StopToken);
            }
            catch (Win32Exception e)
            {
                // The kernel's answer for this address: ENETUNREACH, or EINVAL/EHOSTUNREACH/EACCES for a
                // blackhole/unreachable/prohibit route (net/ipv4/route.c, inet_rtm_getroute).
                route = null;
                reason = e.Message;
            }
            if (route != null) WriteObject(route);
            else WriteError(new ErrorRecord(
                new ItemNotFoundException($"There is no usable route to {address}" + (reason == null ? "." : $": {reason}.")),
                NoRouteErrorId, ErrorCategory.ObjectNotFound, text));
        }

        /// <summary>Runs a listing step, turning the backend's typed failures into error records; false when cancelled.</summary>
        private bool Run(Action action) => RunBackend(action, RouteListingFailedErrorId, "The routing table");
    }
}
