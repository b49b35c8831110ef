using PortTools.Models;

namespace PortTools.Services
{
    /// <summary>
    /// What admins call a port, on the protocols they mean by it: a readable name (<see cref="Name"/>, the
    /// CommonName column) and the short names they type for it (<see cref="Aliases"/>: "oracle" for 1521/tcp).
    /// </summary>
    internal sealed class CommonPortName
    {
        internal CommonPortName(int port, RegistryProtocol[] protocols, string name, params string[] aliases)
        {
            Port = port;
            Protocols = protocols;
            Name = name;
            Aliases = aliases;
        }

        internal int Port { get; }
        internal RegistryProtocol[] Protocols { get; }
        internal string Name { get; }

        /// <summary>Short names beside <see cref="Name"/>, which is typed too ("SSH", "Redis") and so never repeated here.</summary>
        internal string[] Aliases { get; }
    }

    /// <summary>
    /// The names admins say and type where IANA's differ, are missing or point elsewhere (DNS for "domain";
    /// oracle is 1521/tcp, the listener's port, though IANA gives "oracle" 2005/udp and 1521 to ncube-lm).
    /// Hand-kept and short on purpose: the IANA registry and the host's services file answer everything else.
    /// Each entry lists only the protocols admins mean (Oracle's listener is TCP only; RDP uses UDP as well);
    /// ports are vendors' defaults.
    /// </summary>
    internal static class CommonPortNames
    {
        private static readonly RegistryProtocol[] Tcp = { RegistryProtocol.Tcp };
        private static readonly RegistryProtocol[] Udp = { RegistryProtocol.Udp };
        private static readonly RegistryProtocol[] TcpUdp = { RegistryProtocol.Tcp, RegistryProtocol.Udp };

        internal static readonly CommonPortName[] All =
        {
            // The table the project began with: what admins call the most common ports.
            new CommonPortName(20, Tcp, "FTP"),
            new CommonPortName(21, Tcp, "FTP"),
            new CommonPortName(22, Tcp, "SSH"),
            new CommonPortName(23, Tcp, "TELNET"),
            new CommonPortName(25, Tcp, "SMTP"),
            new CommonPortName(53, TcpUdp, "DNS"),
            new CommonPortName(67, Udp, "DHCP"),
            new CommonPortName(68, Udp, "DHCP"),
            new CommonPortName(69, Udp, "TFTP"),
            new CommonPortName(80, Tcp, "HTTP"),
            new CommonPortName(110, Tcp, "POP3"),
            new CommonPortName(143, Tcp, "IMAP"),
            new CommonPortName(194, Tcp, "IRC"),
            new CommonPortName(443, TcpUdp, "HTTPS"), // UDP: HTTP/3 (QUIC)
            new CommonPortName(1521, Tcp, "Oracle DB server", "oracle"),
            new CommonPortName(3306, Tcp, "MySQL server", "mysql", "mariadb"),
            new CommonPortName(3389, TcpUdp, "MS Remote Desktop", "rdp"),

            // Mail, directory, name and time services.
            new CommonPortName(88, TcpUdp, "Kerberos"),
            new CommonPortName(123, Udp, "NTP"),
            new CommonPortName(161, Udp, "SNMP"),
            new CommonPortName(162, Udp, "SNMP trap", "snmptrap"),
            new CommonPortName(389, TcpUdp, "LDAP"), // UDP: CLDAP, which Active Directory's DC locator uses
            new CommonPortName(465, Tcp, "SMTPS"),
            new CommonPortName(514, Udp, "Syslog"),
            new CommonPortName(587, Tcp, "SMTP submission", "submission"),
            new CommonPortName(636, Tcp, "LDAPS"),
            new CommonPortName(853, Tcp, "DNS over TLS"),
            new CommonPortName(993, Tcp, "IMAPS"),
            new CommonPortName(995, Tcp, "POP3S"),
            new CommonPortName(3268, Tcp, "LDAP Global Catalog"),
            new CommonPortName(3269, Tcp, "LDAP Global Catalog over TLS"),
            new CommonPortName(5353, Udp, "mDNS"),
            new CommonPortName(5355, TcpUdp, "LLMNR"),
            new CommonPortName(6514, Tcp, "Syslog over TLS"),

            // File sharing, printing and Windows.
            new CommonPortName(111, TcpUdp, "RPC portmapper", "rpcbind", "portmapper"),
            new CommonPortName(135, TcpUdp, "MS RPC endpoint mapper", "msrpc"),
            new CommonPortName(137, Udp, "NetBIOS name service", "netbios"),
            new CommonPortName(138, Udp, "NetBIOS datagram", "netbios"),
            new CommonPortName(139, Tcp, "NetBIOS session", "netbios"),
            new CommonPortName(445, Tcp, "SMB", "cifs"),
            new CommonPortName(631, Tcp, "IPP (CUPS)", "ipp", "cups"),
            new CommonPortName(873, Tcp, "rsync"),
            new CommonPortName(990, Tcp, "FTPS"),
            new CommonPortName(2049, TcpUdp, "NFS"),
            new CommonPortName(3260, Tcp, "iSCSI"),
            new CommonPortName(5985, Tcp, "WinRM HTTP", "winrm"),
            new CommonPortName(5986, Tcp, "WinRM HTTPS", "winrm"),

            // Databases and caches.
            new CommonPortName(1433, Tcp, "MS SQL Server", "mssql", "sqlserver"),
            new CommonPortName(1434, Udp, "MS SQL Server Browser"),
            new CommonPortName(5432, Tcp, "PostgreSQL", "postgres"),
            new CommonPortName(6432, Tcp, "PgBouncer"),
            new CommonPortName(5984, Tcp, "CouchDB"),
            new CommonPortName(6379, Tcp, "Redis"),
            new CommonPortName(7687, Tcp, "Neo4j Bolt"),
            new CommonPortName(9042, Tcp, "Cassandra CQL", "cassandra"),
            new CommonPortName(9200, Tcp, "Elasticsearch HTTP", "elasticsearch", "opensearch"),
            new CommonPortName(9300, Tcp, "Elasticsearch transport", "elasticsearch", "opensearch"),
            new CommonPortName(11211, Tcp, "Memcached"),
            new CommonPortName(27017, Tcp, "MongoDB", "mongo"),
            new CommonPortName(8086, Tcp, "InfluxDB"),

            // Message brokers and coordination.
            new CommonPortName(1883, Tcp, "MQTT"),
            new CommonPortName(8883, Tcp, "MQTT over TLS", "mqtts"),
            new CommonPortName(2181, Tcp, "ZooKeeper"),
            new CommonPortName(2379, Tcp, "etcd client", "etcd"),
            new CommonPortName(2380, Tcp, "etcd peer", "etcd"),
            new CommonPortName(4222, Tcp, "NATS"),
            new CommonPortName(4369, Tcp, "Erlang port mapper", "epmd"),
            new CommonPortName(5671, Tcp, "AMQP over TLS", "amqps"),
            new CommonPortName(5672, Tcp, "AMQP (RabbitMQ)", "amqp", "rabbitmq"),
            new CommonPortName(9092, Tcp, "Kafka"),
            new CommonPortName(15672, Tcp, "RabbitMQ management", "rabbitmq"),
            new CommonPortName(61616, Tcp, "ActiveMQ"),

            // Remote access, VPN and voice.
            new CommonPortName(500, Udp, "IPsec IKE", "ike", "ipsec"),
            new CommonPortName(1194, Udp, "OpenVPN"),
            new CommonPortName(1723, Tcp, "PPTP"),
            new CommonPortName(1812, Udp, "RADIUS"),
            new CommonPortName(1813, Udp, "RADIUS accounting", "radius"),
            new CommonPortName(4500, Udp, "IPsec NAT-T", "ipsec"),
            new CommonPortName(5060, TcpUdp, "SIP"),
            new CommonPortName(5061, Tcp, "SIP over TLS", "sips"),
            new CommonPortName(5222, Tcp, "XMPP client", "xmpp"),
            new CommonPortName(5900, Tcp, "VNC"),
            new CommonPortName(6667, Tcp, "IRC"),
            new CommonPortName(51820, Udp, "WireGuard"),

            // Web alternates, proxies, container platforms and monitoring.
            new CommonPortName(1080, Tcp, "SOCKS proxy", "socks"),
            new CommonPortName(3128, Tcp, "Squid proxy", "squid"),
            new CommonPortName(8000, Tcp, "HTTP alternate"),
            new CommonPortName(8080, Tcp, "HTTP alternate", "http-alt"),
            new CommonPortName(8443, Tcp, "HTTPS alternate"),
            new CommonPortName(2375, Tcp, "Docker API", "docker"),
            new CommonPortName(2376, Tcp, "Docker API over TLS", "docker"),
            new CommonPortName(6443, Tcp, "Kubernetes API", "kubernetes", "k8s", "kube-apiserver"),
            new CommonPortName(10250, Tcp, "Kubelet API", "kubelet"),
            new CommonPortName(4789, Udp, "VXLAN"),
            new CommonPortName(3000, Tcp, "Grafana"),
            new CommonPortName(5044, Tcp, "Logstash Beats input", "logstash"),
            new CommonPortName(5601, Tcp, "Kibana"),
            new CommonPortName(8200, Tcp, "Vault"),
            new CommonPortName(8500, Tcp, "Consul HTTP API", "consul"),
            new CommonPortName(9090, Tcp, "Prometheus"),
            new CommonPortName(10050, Tcp, "Zabbix agent", "zabbix"),
            new CommonPortName(10051, Tcp, "Zabbix server", "zabbix"),
            new CommonPortName(9418, Tcp, "Git"),
            new CommonPortName(179, Tcp, "BGP"),
            new CommonPortName(1900, Udp, "SSDP (UPnP)", "ssdp", "upnp"),
        };
    }
}
