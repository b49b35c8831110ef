using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Services;

namespace PortTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Says what a port number is for: IANA's service name, the name admins use, this host's
    /// services database, and its RFC 6335 category (getent services, without the network).</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "WellKnownPort", DefaultParameterSetName = ByPortSet)]
    [OutputType(typeof(WellKnownPort))]
    public sealed class ResolveWellKnownPortCommand : PortToolsCmdlet
    {
        internal const string ServiceNameNotFoundErrorId = "ServiceNameNotFound";
        internal const string InvalidServiceNameErrorId = "InvalidServiceName";
        internal const string PortRegistryUnavailableErrorId = "PortRegistryUnavailable";

        private const string ByPortSet = "ByPort";
        private const string ByNameSet = "ByName";

        // Longer than any name in IANA's registry (RFC 6335 allows 15 characters) or in the curated table.
        private const int MaxNameLength = 64;

        private PortRegistry? _registry;
        private EphemeralPortRange? _ephemeral;

        /// <summary>Port numbers; from the pipeline, numbers or the Port, LocalPort or RemotePort property (in that order).</summary>
        [Parameter(ParameterSetName = ByPortSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("LocalPort", "RemotePort")]
        [ValidateRange(0, 65535)]
        public int[] Port { get; set; } = Array.Empty<int>();

        /// <summary>Service names: IANA's, aliases, admins' names or the host's; wildcards allowed.</summary>
        [Parameter(ParameterSetName = ByNameSet, Mandatory = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ServiceNameCompleter))]
        [AllowEmptyString] // an empty name gets the module's own InvalidServiceName, with what to do instead
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Only these protocols (Tcp, Udp, Sctp, Dccp); all by default. Binds the Protocol of piped sockets.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public RegistryProtocol[]? Protocol { get; set; }

        protected override void BeginProcessing()
        {
            ServiceRegistry.Snapshot snapshot;
            try
            {
                snapshot = ServiceRegistry.Current(StopToken);
            }
            catch (InvalidDataException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, PortRegistryUnavailableErrorId, ErrorCategory.ReadError, null));
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _registry = snapshot.Registry;
            // Once per call, not per port; IANA's data and the common names still answer.
            if (snapshot.HostProblem != null)
            {
                WriteError(new ErrorRecord(
                    new InvalidDataException($"This host's services database is not used: {snapshot.HostProblem} " +
                        "Service names come from IANA's registry and the common names only; fix or replace the file to use it."),
                    PortRegistryUnavailableErrorId, ErrorCategory.ReadError, Backends.HostServicesPath));
            }
            _ephemeral = Backends.EphemeralPorts.GetRange();
        }

        protected override void ProcessRecord()
        {
            if (_registry == null) return; // stopped while the services file was read
            if (ParameterSetName == ByNameSet)
            {
                foreach (string name in Name) ResolveName(name);
                return;
            }
            foreach (int port in Port)
            {
                RegistryProtocol[] protocols = Protocol ?? _registry!.KnownProtocols(port).ToArray();
                if (protocols.Length == 0) WriteObject(Describe(port, null));
                foreach (RegistryProtocol protocol in protocols.Distinct()) WriteObject(Describe(port, protocol));
            }
        }

        private void ResolveName(string name)
        {
            if (!TryGetPattern(name, out WildcardPattern? pattern, out string? problem))
            {
                WriteError(new ErrorRecord(new ArgumentException(problem, nameof(Name)), InvalidServiceNameErrorId, ErrorCategory.InvalidArgument, name));
                return;
            }
            List<(int Port, RegistryProtocol Protocol)> hits = _registry!.FindByName(pattern!.IsMatch);
            int found = 0;
            foreach ((int port, RegistryProtocol protocol) in hits)
            {
                if (Protocol != null && !Protocol.Contains(protocol)) continue;
                WriteObject(Describe(port, protocol));
                found++;
            }
            if (found > 0) return;
            string message =
                hits.Count > 0 ? $"No service named {Quote(name)} is registered for {string.Join(", ", Protocol!)}."
                : _registry.MatchesPortlessName(pattern.IsMatch) ? $"{Quote(name)} is registered with IANA for DNS-SD only, without a port number."
                : $"No service named {Quote(name)} is known to IANA's registry, to the common names or to this host's services database.";
            WriteError(new ErrorRecord(new ItemNotFoundException(message), ServiceNameNotFoundErrorId, ErrorCategory.ObjectNotFound, name));
        }

        private WellKnownPort Describe(int port, RegistryProtocol? protocol) =>
            _registry!.Describe(port, protocol, _ephemeral?.Contains(port) ?? false);

        /// <summary>Completes -Name with the service names the registry knows.</summary>
        private sealed class ServiceNameCompleter : IArgumentCompleter
        {
            public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
            {
                string prefix = wordToComplete.Trim('\'', '"');
                return ServiceRegistry.Default.Names
                    .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
                    .Take(200)
                    .Select(name => CompletionText.For(name, wildcard: true))
                    .ToList();
            }
        }

        /// <summary>Empty, overlong, numeric or unparsable names are mistakes worth naming, not searches that find nothing.</summary>
        private static bool TryGetPattern(string? name, out WildcardPattern? pattern, out string? problem)
        {
            pattern = null;
            problem =
                string.IsNullOrWhiteSpace(name) ? "A service name cannot be empty."
                : name!.Length > MaxNameLength ? $"{Quote(name)} is not a service name: it is longer than {MaxNameLength} characters."
                : name.Any(char.IsControl) ? $"{Quote(name)} is not a service name: it contains control characters."
                : name.All(char.IsDigit) ? $"{Quote(name)} is a number, not a service name (RFC 6335 names contain a letter); use -Port {name}."
                : null;
            if (problem != null) return false;
            pattern = WildcardPattern.Get(name!.Trim(), WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            try
            {
                pattern.IsMatch(""); // parses the pattern: an unclosed '[' throws here rather than mid-search
                return true;
            }
            catch (WildcardPatternException)
            {
                problem = $"{Quote(name)} is not a valid service name pattern: a [ has no closing ]. Put a backtick before a literal [ (`[).";
                return false;
            }
        }
    }
}
