using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net.NetworkInformation;
using System.Net;
using System.Threading;
using System;
using PortTools.Formatting;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Platform.Linux;
using PortTools.Query;

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
        internal const string LookupWithFilterErrorId = "LookupWithListFilter";

        private readonly RouteQuery _query = new RouteQuery();
        private ListingDiagnostics? _diagnostics;
        // Bare addresses given to -DestinationPrefix (or positionally): looked up instead of listed.
        private readonly List<string> _positionalLookups = new List<string>();

        /// <summary>IPv4, IPv6, or both (the default).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public IPVersion[]? AddressFamily { get; set; }

        /// <summary>
        /// Destination prefixes: CIDR (10.0.0.0/24, ::/0) for that exact prefix, or wildcards (10.99.*). An address
        /// without a /length is looked up instead, as -Destination (ip route get): Get-RouteTable 8.8.8.8.
        /// </summary>
        [Parameter(ParameterSetName = ListSet, Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? DestinationPrefix { get; set; }

        /// <summary>Names of the outgoing interfaces; wildcards allowed.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InterfaceNameCompleter))]
        public string[]? InterfaceAlias { get; set; }

        /// <summary>Routing tables by name (main, local, default) or number; all tables by default.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TableCompleter))]
        public string[]? Table { get; set; }

        /// <summary>
        /// Addresses to look up: the route the kernel would use for each (ip route get, Find-NetRoute). Binds the
        /// RemoteAddress of Get-PortConnection output from the pipeline.
        /// </summary>
        [Parameter(ParameterSetName = LookupSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("RemoteAddress", "IPAddress")]
        [ValidateNotNullOrEmpty]
        public string[]? Destination { get; set; }

        /// <summary>
        /// The interface index that IPv6 addresses of -Destination are scoped to, as the zone of fe80::1%2 and
        /// `ip route get ... oif` do; binds the ScopeId of Get-PortConnection output. 0 means none.
        /// </summary>
        [Parameter(ParameterSetName = LookupSet, ValueFromPipelineByPropertyName = true)]
        public uint ScopeId { get; set; }

        /// <summary>
        /// Another network namespace (Linux; a container's): a name under /run/netns (ip -n NAME route) or the id of a
        /// process in it (nsenter -n -t PID ip route). With -Destination it binds the NetworkNamespace of
        /// Get-PortConnection output, so that each peer is looked up in the routes of its connection's namespace.
        /// </summary>
        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = LookupSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
        public string? NetworkNamespace { get; set; }

        // Each namespace named so far, opened once: piped connections may come from several.
        private readonly Dictionary<string, NetworkNamespaceHandle> _namespaces = new Dictionary<string, NetworkNamespaceHandle>(StringComparer.Ordinal);

        /// <summary>The namespace -NetworkNamespace names now; null for the caller's own.</summary>
        private NetworkNamespaceHandle? Namespace()
        {
            // A piped object of the caller's own namespace has none: null, or "" from Import-Csv.
            string? name = NetworkNamespace;
            if (name == null || name.Length == 0) return null;
            if (!_namespaces.TryGetValue(name, out NetworkNamespaceHandle? netns)) _namespaces[name] = netns = OpenNetworkNamespace(name);
            return netns;
        }

        /// <summary>Where routes are read: the caller's network namespace, or the one -NetworkNamespace names now.</summary>
        private IRouteSource Routes() => Namespace() is NetworkNamespaceHandle netns ? Backends.RoutesIn(netns) : Backends.Routes;

        protected override void BeginProcessing()
        {
            _diagnostics = NewDiagnostics();
            // Given on the command line: opened now, so that a bad one ('' too) fails before anything is read.
            if (NetworkNamespace != null) _namespaces[NetworkNamespace] = OpenNetworkNamespace(NetworkNamespace);
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
                // An address without /length is what `ip route get` takes: look it up rather than list its host prefix.
                if (!text.Contains("/") && AddressText.TryParse(text, out _)) _positionalLookups.Add(text);
                else if (WildcardPattern.ContainsWildcardCharacters(text)) patterns.Add(ParseWildcard(text, nameof(DestinationPrefix)));
                else if (AddressPrefix.TryParse(text, out AddressPrefix? prefix)) _query.Prefixes.Add(prefix!);
                else ThrowInvalidArgument(
                        $"{Quote(text)} is not a valid destination prefix. Give a CIDR prefix (10.0.0.0/24, fd00::/64; at most /32 for IPv4 and /128 " +
                        "for IPv6), an address to look up, or a wildcard pattern (10.99.*).",
                        InvalidPrefixErrorId, nameof(DestinationPrefix), text);
            }
            if (_positionalLookups.Count > 0 && (_positionalLookups.Count < DestinationPrefix!.Length || AddressFamily != null || InterfaceAlias != null || Table != null))
            {
                string first = _positionalLookups[0];
                ThrowInvalidArgument(
                    $"{Quote(first)} is an address, so Get-RouteTable looks up the route the kernel uses for it (as ip route get does); a lookup " +
                    "cannot be combined with prefixes, patterns, -Table, -InterfaceAlias or -AddressFamily. To list the routes for the host " +
                    $"prefix itself, give it with its length ({DisplayText.Escape(first)}{(first.Contains(":") ? "/128" : "/32")}).",
                    LookupWithFilterErrorId, nameof(DestinationPrefix), first);
            }
            if (patterns.Count > 0) _query.PrefixMatches = text => patterns.Any(p => p.IsMatch(text));
            _query.InterfaceMatches = WildcardMatcher(InterfaceAlias, nameof(InterfaceAlias));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != LookupSet) return;
            foreach (string text in Destination!)
                if (!LookUp(text, ScopeId, nameof(Destination))) return;
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName != ListSet) return;
            if (_positionalLookups.Count > 0)
            {
                foreach (string text in _positionalLookups)
                    if (!LookUp(text, 0, nameof(DestinationPrefix))) return;
                return;
            }
            var usedInterfaces = new HashSet<string>(StringComparer.Ordinal);
            IRouteSource routes = Routes();
            if (!Run(() =>
                {
                    foreach (RouteEntry route in routes.GetRoutes(_query, _diagnostics!, StopToken))
                    {
                        foreach (RouteNextHop hop in route.NextHops)
                            if (hop.InterfaceAlias != null) usedInterfaces.Add(hop.InterfaceAlias);
                        WriteObject(route);
                    }
                })) return;
            ReportUnmatchedNames(InterfaceAlias, usedInterfaces,
                name => $"No route uses an interface named {name}. Get-InterfaceStatistic lists the interfaces.", InterfaceNotFoundErrorId);
        }

        /// <summary>
        /// Looks up one address (with its zone, or else <paramref name="scopeId"/>), writing the route or a
        /// non-terminating error; false when the pipeline was stopped.
        /// </summary>
        private bool LookUp(string text, uint scopeId, string parameter)
        {
            if (!AddressText.TryParse(text, out IPAddress? address, out string? zone))
                return InvalidDestination(text, $"{Quote(text)} is not an IPv4 or IPv6 address; -{parameter} takes an address such as 192.0.2.1, 2001:db8::1 or fe80::1%eth0.", parameter);
            if (address!.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
                return InvalidDestination(text, $"{Quote(text)} is the unspecified address, which no route leads to (a listening socket has it as its remote address).", parameter);
            // Dual-stack sockets show IPv4 peers as ::ffff:a.b.c.d; the kernel routes those by the IPv4 table.
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            if (zone != null)
            {
                uint index = InterfaceIndexOf(zone);
                if (index == 0)
                {
                    string where = NetworkNamespace == null ? "this computer" : $"network namespace {Quote(NetworkNamespace)}";
                    WriteError(new ErrorRecord(
                        new ItemNotFoundException($"{Quote(text)} names the interface {Quote(zone)}, which {where} does not have. Get-InterfaceStatistic lists the interfaces."),
                        InterfaceNotFoundErrorId, ErrorCategory.ObjectNotFound, text));
                    return true;
                }
                if (scopeId != 0 && scopeId != index)
                    return InvalidDestination(text, $"{Quote(text)} is scoped to interface {index}, but -ScopeId says {scopeId}.", parameter);
                scopeId = index;
            }
            if (scopeId != 0)
            {
                // sockaddr_in has no scope: only an IPv6 address names its interface (a zone, sin6_scope_id).
                if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                    return InvalidDestination(text, $"{Quote(text)} is an IPv4 address, which has no scope; a zone or -ScopeId applies to IPv6 addresses (fe80::1%eth0).", parameter);
                address = new IPAddress(address.GetAddressBytes(), scopeId);
            }
            IRouteSource routes = Routes();
            return Run(() => WriteLookup(routes, address, text));
        }

        private bool InvalidDestination(string text, string message, string parameter)
        {
            WriteError(new ErrorRecord(new ArgumentException(message, parameter), InvalidDestinationErrorId, ErrorCategory.InvalidArgument, text));
            return true;
        }

        /// <summary>The index of the interface a zone names (a number or a name); 0 when there is none.</summary>
        private uint InterfaceIndexOf(string zone)
        {
            if (uint.TryParse(zone, NumberStyles.None, CultureInfo.InvariantCulture, out uint number)) return number;
            if (Namespace() is NetworkNamespaceHandle netns) return (uint)netns.InterfaceNames().IndexOf(zone);
            foreach (NetworkInterface adapter in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (!string.Equals(adapter.Name, zone, StringComparison.Ordinal)) continue;
                try
                {
                    return (uint)(adapter.GetIPProperties().GetIPv6Properties()?.Index ?? 0);
                }
                catch (NetworkInformationException)
                {
                    return 0; // IPv6 is off on that interface (Windows): nothing to scope to
                }
            }
            return 0;
        }

        private void WriteLookup(IRouteSource routes, IPAddress address, string text)
        {
            string? reason = null;
            RouteEntry? route;
            try
            {
                route = routes.FindRoute(address, _diagnostics!, StopToken);
            }
            catch (NoRouteException e)
            {
                // The OS's answer for this address; any other failure ends the cmdlet as RouteListingFailed (Run).
                route = null;
                reason = e.Message;
            }
            if (route != null) WriteObject(route);
            else WriteError(new ErrorRecord(new ItemNotFoundException(NoRouteMessage(address, reason)), NoRouteErrorId, ErrorCategory.ObjectNotFound, text));
        }

        /// <summary>The NoRoute message; one full stop whether or not the OS's reason ends with one (Windows' do).</summary>
        internal static string NoRouteMessage(IPAddress address, string? reason)
        {
            string why = reason?.Trim().TrimEnd('.', ' ') ?? "";
            return $"There is no usable route to {address}" + (why.Length == 0 ? "." : $": {why}.");
        }

        /// <summary>Runs a listing step, turning the backend's typed failures into error records; false when cancelled.</summary>
        private bool Run(Action action) => RunBackend(action, RouteListingFailedErrorId, "The routing table");

        /// <summary>Completes -Table with the tables that hold routes now, by name where they have one.</summary>
        private sealed class TableCompleter : IArgumentCompleter
        {
            public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
            {
                try
                {
                    return Backends.Routes.GetRoutes(new RouteQuery(), ListingDiagnostics.Silent, CancellationToken.None)
                        .Select(route => route.TableName)
                        .OfType<string>()
                        .Distinct()
                        .Where(name => name.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                        .OrderBy(name => name, StringComparer.Ordinal)
                        .Select(name => CompletionText.For(name))
                        .ToList();
                }
                catch (Exception e) when (BackendFailure.IsBackendFailure(e))
                {
                    return Enumerable.Empty<CompletionResult>();
                }
            }
        }
    }
}
