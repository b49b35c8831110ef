using System.Collections.Generic;
using System.Collections;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation.Language;
using System.Management.Automation;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Query;

namespace PortTools.Commands
{
    /// <summary>
    /// The filters that Get-PortConnection and Watch-PortConnection share, and the query they build: both cmdlets
    /// take the same parameters with the same meaning, defined once here.
    /// </summary>
    public abstract class PortConnectionFilterCmdlet : PortToolsCmdlet
    {
        internal const string InvalidAddressErrorId = "InvalidAddressPrefix";
        internal const string SocketListingFailedErrorId = "SocketListingFailed";
        internal const string ConflictingFiltersErrorId = "ConflictingFilters";

        /// <summary>What the filters ask for, built in BeginProcessing and ProcessRecord.</summary>
        private protected ConnectionQuery Query { get; } = new ConnectionQuery();

        /// <summary>Tcp, Udp, or both (the default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public TransportProtocol[]? Protocol { get; set; }

        /// <summary>IPv4, IPv6, or both (the default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public IPVersion[]? AddressFamily { get; set; }

        /// <summary>
        /// Every socket waiting for peers, as ss -tuln and netstat -tuln list them: TCP listeners and UDP sockets that are
        /// not connected. Not with -State.
        /// </summary>
        [Parameter]
        public SwitchParameter Listening { get; set; }

        /// <summary>TCP states to list; UDP sockets have no state and are left out when this is given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public TcpState[]? State { get; set; }

        /// <summary>Local ports to list.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        [ArgumentCompleter(typeof(ListeningPortCompleter))]
        [ValidateNotNullOrEmpty]
        public int[]? LocalPort { get; set; }

        /// <summary>Remote ports to list.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        [ValidateNotNullOrEmpty]
        public int[]? RemotePort { get; set; }

        /// <summary>Local addresses or CIDR prefixes (127.0.0.1, 10.0.0.0/8, fe80::/10).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? LocalAddress { get; set; }

        /// <summary>Remote addresses or CIDR prefixes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? RemoteAddress { get; set; }

        /// <summary>Ids of the owning processes; binds the Id of Get-Process output from the pipeline.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "ProcessId", "PID")]
        [ValidateRange(0, int.MaxValue)]
        [ValidateNotNullOrEmpty]
        public int[]? OwningProcess { get; set; }

        /// <summary>Names of the owning processes; wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProcessNameCompleter))]
        public string[]? ProcessName { get; set; }

        /// <summary>
        /// Services the owning process runs as (OwningService): systemd units on Linux (nginx.service), service names on
        /// Windows (Dnscache); wildcards allowed.
        /// </summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ServiceNameCompleter))]
        public string[]? ServiceName { get; set; }

        /// <summary>Looks up the host name of each remote address (netstat -f) into RemoteHostName; the address stays numeric.</summary>
        [Parameter]
        public SwitchParameter ResolveHostName { get; set; }

        /// <summary>
        /// Another network namespace to list (Linux; a container's): a name under /run/netns (ip netns exec NAME ss) or
        /// the id of a process in it (nsenter -n -t PID ss).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
        public string? NetworkNamespace { get; set; }

        /// <summary>Where the sockets are read: the caller's network namespace, or the one -NetworkNamespace names.</summary>
        private protected IConnectionSource Connections => _connections ?? Backends.Connections;

        private IConnectionSource? _connections;

        // Per call: a watch asks each address once, a new call asks again (names change).
        private readonly HostNameLookup _hostNames = new HostNameLookup();

        // The progress bar of the host-name lookups: an id of its own, so that it never replaces another one.
        private const int HostNameProgressId = 0x5054;

        /// <summary>
        /// With -ResolveHostName, the connections with their RemoteHostName, in the same order, with a progress bar while
        /// the names are looked up; without it, the connections as they are.
        /// </summary>
        private protected IReadOnlyList<PortConnection> ResolveHostNames(IReadOnlyList<PortConnection> connections)
        {
            if (!ResolveHostName) return connections;
            var record = new ProgressRecord(HostNameProgressId, "Resolving host names", "Looking up the remote addresses");
            bool shown = false;
            List<PortConnection> named = _hostNames.Resolve(connections, (done, total) =>
                {
                    record.StatusDescription = $"{done} of {total} addresses";
                    record.PercentComplete = total == 0 ? 100 : done * 100 / total;
                    WriteProgress(record);
                    shown = true;
                },
                StopToken);
            if (shown)
            {
                record.RecordType = ProgressRecordType.Completed;
                WriteProgress(record);
            }
            return named;
        }

        protected override void BeginProcessing()
        {
            AddAll(Query.Protocols, Protocol);
            AddAll(Query.Families, AddressFamily);
            AddAll(Query.States, State);
            if (Listening)
            {
                if (State != null)
                    ThrowInvalidArgument("-Listening lists TCP listeners and unconnected UDP sockets; it cannot be combined with -State. " +
                        "Use -Listening alone, or -State Listen for TCP listeners only.", ConflictingFiltersErrorId, nameof(Listening), null);
                Query.ListeningOnly = true;
            }
            AddAll(Query.LocalPorts, LocalPort);
            AddAll(Query.RemotePorts, RemotePort);
            AddPrefixes(Query.LocalPrefixes, LocalAddress, nameof(LocalAddress));
            AddPrefixes(Query.RemotePrefixes, RemoteAddress, nameof(RemoteAddress));
            Query.ProcessNameMatches = WildcardMatcher(ProcessName, nameof(ProcessName));
            Query.ServiceNameMatches = WildcardMatcher(ServiceName, nameof(ServiceName));
            if (NetworkNamespace != null) _connections = Backends.ConnectionsIn(OpenNetworkNamespace(NetworkNamespace));
        }

        // Process ids may arrive one process at a time (Get-Process nginx | Get-PortConnection):
        // gather them all, then list once.
        protected override void ProcessRecord() => AddAll(Query.ProcessIds, OwningProcess);

        /// <summary>
        /// Piped processes that bound nothing (an empty Get-Process result) must not widen the listing: then there
        /// is nothing to list.
        /// </summary>
        private protected bool NothingPiped => MyInvocation.ExpectingInput && Query.ProcessIds.Count == 0 && OwningProcess == null;

        private static void AddAll<T>(ICollection<T> target, IEnumerable<T>? values)
        {
            if (values == null) return;
            foreach (T value in values) target.Add(value);
        }

        private void AddPrefixes(IList<AddressPrefix> target, string[]? texts, string parameter)
        {
            if (texts == null) return;
            foreach (string text in texts)
            {
                if (!AddressPrefix.TryParse(text, out AddressPrefix? prefix))
                {
                    ThrowInvalidArgument(
                        $"{Quote(text)} is not a valid value for -{parameter}. Give an IPv4 or IPv6 address (127.0.0.1, ::1) " +
                        "or a CIDR prefix (10.0.0.0/8, fe80::/10; at most /32 for IPv4 and /128 for IPv6).",
                        InvalidAddressErrorId, parameter, text);
                }
                target.Add(prefix!);
            }
        }

        /// <summary>
        /// Completions of a wildcard parameter from <paramref name="names"/>: those matching what was typed so far, which may
        /// itself be a pattern (*ssh; an unfinished one, '[', completes nothing), each quoted and wildcard-escaped.
        /// </summary>
        private static List<CompletionResult> CompleteNames(IEnumerable<string> names, string wordToComplete)
        {
            var typed = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            return names
                .Where(name => { try { return typed.IsMatch(name); } catch (WildcardPatternException) { return false; } })
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
                .Select(name => CompletionText.For(name, wildcard: true))
                .ToList();
        }

        /// <summary>Completes -ProcessName with the names of running processes.</summary>
        private sealed class ProcessNameCompleter : IArgumentCompleter
        {
            public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                CommandAst commandAst, IDictionary fakeBoundParameters) => CompleteNames(ProcessNames(), wordToComplete);

            private static List<string> ProcessNames()
            {
                Process[] processes = Process.GetProcesses();
                try
                {
                    return processes.Select(p => p.ProcessName).ToList();
                }
                finally
                {
                    foreach (Process process in processes) process.Dispose();
                }
            }
        }

        /// <summary>Completes -ServiceName with the services (systemd units) the processes of this host run as now.</summary>
        private sealed class ServiceNameCompleter : IArgumentCompleter
        {
            public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                CommandAst commandAst, IDictionary fakeBoundParameters)
            {
                try
                {
                    return CompleteNames(Backends.RunningServiceNames(), wordToComplete);
                }
                catch (Exception e) when (BackendFailure.IsBackendFailure(e))
                {
                    return Enumerable.Empty<CompletionResult>();
                }
            }
        }

        /// <summary>Completes -LocalPort with the ports that are listening now.</summary>
        private sealed class ListeningPortCompleter : IArgumentCompleter
        {
            public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                CommandAst commandAst, IDictionary fakeBoundParameters)
            {
                var query = new ConnectionQuery { ResolveOwners = false };
                query.States.Add(TcpState.Listen);
                try
                {
                    return Backends.Connections.GetConnections(query, ListingDiagnostics.Silent, CancellationToken.None)
                        .Select(c => c.LocalPort)
                        .Distinct()
                        .OrderBy(port => port)
                        .Select(port => port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                        .Where(port => port.StartsWith(wordToComplete, StringComparison.Ordinal))
                        .Select(port => CompletionText.For(port))
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
