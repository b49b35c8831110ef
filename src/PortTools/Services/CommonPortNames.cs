namespace PortTools.Services
{
    /// <summary>A name admins use for a port, for the protocols it is used on.</summary>
    internal sealed class CommonPortName
    {
        private static readonly RegistryProtocol[] TcpAndUdp = { RegistryProtocol.Tcp, RegistryProtocol.Udp };

        internal CommonPortName(int port, string name, params RegistryProtocol[] protocols)
        {
            Port = port;
            Name = name;
            Protocols = protocols.Length == 0 ? TcpAndUdp : protocols;
        }

        internal int Port { get; }
        internal string Name { get; }
        internal RegistryProtocol[] Protocols { get; }
    }

    /// <summary>
    /// The names admins say where IANA's differ or are not what people type (DNS for "domain", Oracle DB server
    /// for 1521, which IANA assigns to ncube-lm but Oracle's listener uses de facto). Hand-kept and short on
    /// purpose: the IANA registry and the host's services file answer everything else.
    /// </summary>
    internal static class CommonPortNames
    {
        private const RegistryProtocol Tcp = RegistryProtocol.Tcp;
        private const RegistryProtocol Udp = RegistryProtocol.Udp;

        internal static readonly CommonPortName[] All =
        {
            // The project's own table (shared/data/README.md).
            new CommonPortName(20, "FTP"),
            new CommonPortName(21, "FTP"),
            new CommonPortName(22, "SSH"),
            new CommonPortName(23, "TELNET"),
            new CommonPortName(25, "SMTP"),
            new CommonPortName(53, "DNS"),
            new CommonPortName(67, "DHCP"),
            new CommonPortName(68, "DHCP"),
            new CommonPortName(69, "TFTP"),
            new CommonPortName(80, "HTTP"),
            new CommonPortName(110, "POP3"),
            new CommonPortName(143, "IMAP"),
            new CommonPortName(194, "IRC"),
            new CommonPortName(443, "HTTPS"),
            new CommonPortName(1521, "Oracle DB server"),
            new CommonPortName(3306, "MySQL server"),
            new CommonPortName(3389, "MS Remote Desktop"),

            // Mail, directory, name and time services.
            new CommonPortName(88, "Kerberos"),
            new CommonPortName(123, "NTP"),
            new CommonPortName(161, "SNMP"),
            new CommonPortName(162, "SNMP trap"),
            new CommonPortName(389, "LDAP"),
            new CommonPortName(465, "SMTPS", Tcp),
            new CommonPortName(514, "Syslog", Udp),
            new CommonPortName(587, "SMTP submission"),
            new CommonPortName(636, "LDAPS"),
            new CommonPortName(993, "IMAPS"),
            new CommonPortName(995, "POP3S"),
            new CommonPortName(3268, "LDAP Global Catalog"),
            new CommonPortName(5353, "mDNS"),
            new CommonPortName(5355, "LLMNR"),

            // File sharing and Windows.
            new CommonPortName(111, "RPC portmapper"),
            new CommonPortName(135, "MS RPC endpoint mapper"),
            new CommonPortName(137, "NetBIOS name service"),
            new CommonPortName(138, "NetBIOS datagram"),
            new CommonPortName(139, "NetBIOS session"),
            new CommonPortName(445, "SMB"),
            new CommonPortName(873, "rsync"),
            new CommonPortName(2049, "NFS"),
            new CommonPortName(3260, "iSCSI"),
            new CommonPortName(5985, "WinRM HTTP"),
            new CommonPortName(5986, "WinRM HTTPS"),

            // Databases and caches.
            new CommonPortName(1433, "MS SQL Server"),
            new CommonPortName(1434, "MS SQL Server Browser"),
            new CommonPortName(5432, "PostgreSQL"),
            new CommonPortName(5984, "CouchDB"),
            new CommonPortName(6379, "Redis", Tcp),
            new CommonPortName(7687, "Neo4j Bolt", Tcp),
            new CommonPortName(9042, "Cassandra CQL", Tcp),
            new CommonPortName(9200, "Elasticsearch HTTP", Tcp),
            new CommonPortName(9300, "Elasticsearch transport", Tcp),
            new CommonPortName(11211, "Memcached"),
            new CommonPortName(27017, "MongoDB", Tcp),
            new CommonPortName(8086, "InfluxDB", Tcp),

            // Message brokers and coordination.
            new CommonPortName(1883, "MQTT"),
            new CommonPortName(8883, "MQTT over TLS"),
            new CommonPortName(2181, "ZooKeeper", Tcp),
            new CommonPortName(2379, "etcd client", Tcp),
            new CommonPortName(2380, "etcd peer", Tcp),
            new CommonPortName(4369, "Erlang port mapper", Tcp),
            new CommonPortName(5672, "AMQP (RabbitMQ)", Tcp),
            new CommonPortName(9092, "Kafka", Tcp),
            new CommonPortName(15672, "RabbitMQ management", Tcp),
            new CommonPortName(61616, "ActiveMQ", Tcp),

            // Remote access, VPN and voice.
            new CommonPortName(500, "IPsec IKE"),
            new CommonPortName(1194, "OpenVPN"),
            new CommonPortName(1723, "PPTP", Tcp),
            new CommonPortName(1812, "RADIUS"),
            new CommonPortName(1813, "RADIUS accounting"),
            new CommonPortName(4500, "IPsec NAT-T"),
            new CommonPortName(5060, "SIP"),
            new CommonPortName(5061, "SIP over TLS"),
            new CommonPortName(5222, "XMPP client", Tcp),
            new CommonPortName(5900, "VNC"),
            new CommonPortName(6667, "IRC"),
            new CommonPortName(51820, "WireGuard", Udp),

            // Web alternates, proxies and container platforms.
            new CommonPortName(1080, "SOCKS proxy"),
            new CommonPortName(3128, "Squid proxy", Tcp),
            new CommonPortName(8000, "HTTP alternate", Tcp),
            new CommonPortName(8080, "HTTP alternate", Tcp),
            new CommonPortName(8443, "HTTPS alternate", Tcp),
            new CommonPortName(2375, "Docker API", Tcp),
            new CommonPortName(2376, "Docker API over TLS", Tcp),
            new CommonPortName(6443, "Kubernetes API", Tcp),
            new CommonPortName(10250, "Kubelet API", Tcp),
            new CommonPortName(5601, "Kibana", Tcp),
            new CommonPortName(9418, "Git", Tcp),
            new CommonPortName(179, "BGP", Tcp),
            new CommonPortName(1900, "SSDP (UPnP)", Udp),
        };
    }
}
