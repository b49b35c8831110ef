namespace PortTools.Models
{
    /// <summary>
    /// What one port means for one protocol: IANA's assignment, the name admins use, this host's services
    /// database, and the RFC 6335 range. Flat text and numbers, so Export-Csv and ConvertTo-Json keep it all.
    /// </summary>
    public sealed class WellKnownPort
    {
        internal WellKnownPort(int port, string? portRange, RegistryProtocol? protocol, string? serviceName, string? aliases,
            string? commonName, string? commonAliases, string? hostServiceName, string description, PortCategory category, string? reference,
            bool inEphemeralRange)
        {
            Port = port;
            PortRange = portRange;
            Protocol = protocol;
            ServiceName = serviceName;
            Aliases = aliases;
            CommonName = commonName;
            CommonAliases = commonAliases;
            HostServiceName = hostServiceName;
            Description = description;
            Category = category;
            Reference = reference;
            InEphemeralRange = inEphemeralRange;
        }

        /// <summary>The port; for a range assignment found by name, its first port.</summary>
        public int Port { get; }

        /// <summary>The whole range when the assignment covers several ports ("6000-6063" for x11); empty otherwise.</summary>
        public string? PortRange { get; }

        /// <summary>Tcp, Udp, Sctp or Dccp; empty for a port nothing is known about on any protocol.</summary>
        public RegistryProtocol? Protocol { get; }

        /// <summary>IANA's preferred service name; empty when the port is unassigned or reserved.</summary>
        public string? ServiceName { get; }

        /// <summary>Every other name of this port: IANA's (historic ones marked), then this host's; comma-separated.</summary>
        public string? Aliases { get; }

        /// <summary>What admins call it where that differs from IANA ("Oracle DB server" for 1521/tcp).</summary>
        public string? CommonName { get; }

        /// <summary>The short names admins type for it, which -Name finds first ("oracle" for 1521/tcp); comma-separated.</summary>
        public string? CommonAliases { get; }

        /// <summary>The name in this host's services database (/etc/services), which netstat prints.</summary>
        public string? HostServiceName { get; }

        /// <summary>IANA's description, or "Unassigned", "Reserved", or the dynamic range's.</summary>
        public string Description { get; }

        /// <summary>WellKnown, Registered or Dynamic (RFC 6335, section 6).</summary>
        public PortCategory Category { get; }

        /// <summary>IANA's reference for the assignment, usually an RFC ("RFC9110").</summary>
        public string? Reference { get; }

        /// <summary>Whether this host hands the port out as a client's source port (its ephemeral range).</summary>
        public bool InEphemeralRange { get; }

        /// <summary>/etc/services style: "https 443/tcp".</summary>
        public override string ToString() =>
            $"{ServiceName ?? CommonName ?? HostServiceName ?? Description} {PortRange ?? Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}" +
            (Protocol == null ? "" : "/" + Protocol.Value.ToString().ToLowerInvariant());
    }
}
