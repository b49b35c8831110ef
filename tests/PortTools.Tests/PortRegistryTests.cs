using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform.Linux;
using PortTools.Platform;
using PortTools.Services;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>The IANA data shipped in the DLL, the parsers, and the (port, protocol) index.</summary>
    public class PortRegistryTests
    {
        private const RegistryProtocol Tcp = RegistryProtocol.Tcp;
        private const RegistryProtocol Udp = RegistryProtocol.Udp;
        private const RegistryProtocol Sctp = RegistryProtocol.Sctp;

        private static readonly Lazy<List<IanaRecord>> Shipped = new Lazy<List<IanaRecord>>(ServiceRegistry.LoadIana);

        // IANA and the curated names only, so that results do not depend on this machine's /etc/services.
        private static readonly Lazy<PortRegistry> Iana =
            new Lazy<PortRegistry>(() => new PortRegistry(Shipped.Value, CommonPortNames.All, Array.Empty<HostServiceEntry>()));

        private static List<HostServiceEntry> FixtureServices() =>
            HostServicesFile.Read(Fixtures.PathOf("services/services"), CancellationToken.None).Entries;

        // Counts from shared/data/README.md, which describes the CSV copied into Services/Data.
        [Fact]
        public void ShippedRegistryParsesWhole()
        {
            List<IanaRecord> rows = Shipped.Value;
            Assert.Equal(14500, rows.Count);
            Assert.Equal(6586, rows.Count(r => r.Protocol == Tcp));
            Assert.Equal(6346, rows.Count(r => r.Protocol == Udp));
            Assert.Equal(93, rows.Count(r => r.Protocol == Sctp));
            Assert.Equal(11, rows.Count(r => r.Protocol == RegistryProtocol.Dccp));
            Assert.Equal(1464, rows.Count(r => r.Protocol == null));
            Assert.Equal(756, rows.Count(r => r.IsRange)); // the README's 762 include six written "4748-4748"
            using (TextReader text = ServiceRegistry.OpenIanaText())
                Assert.Equal(762, IanaCsvParser.ReadRows(text.ReadToEnd()).Count(row => row.Fields[1].Contains('-')));
            Assert.Equal(1056, rows.Count(r => !r.HasPort));
        }

        [Fact]
        public void ShippedRegistryKeepsMultiLineNotes()
        {
            IanaRecord wwwHttp = Shipped.Value.First(r => r.ServiceName == "www-http" && r.Protocol == Tcp);
            Assert.Equal(80, wwwHttp.FirstPort);
            Assert.Contains('\n', wwwHttp.AssignmentNotes);
            Assert.Equal("http", wwwHttp.AliasOf);
        }

        [Fact]
        public void ParserReadsRfc4180Quoting()
        {
            const string csv = "Service Name,Port Number,Transport Protocol,Description,Reference,Assignment Notes\r\n" +
                "a,1,tcp,\"says \"\"hi\"\", twice\",[RFC1],\"line one\nline two\"\r\n" +
                ",2-9,,Unassigned,,\n" +
                "\r\n" + // blank lines are skipped
                "dnssd,,,\"no port\",,";
            List<IanaRecord> rows = IanaCsvParser.Parse(new StringReader(csv));
            Assert.Equal(3, rows.Count);
            Assert.Equal("says \"hi\", twice", rows[0].Description);
            Assert.Equal("line one\nline two", rows[0].AssignmentNotes);
            Assert.Equal((2, 9, (RegistryProtocol?)null), (rows[1].FirstPort, rows[1].LastPort, rows[1].Protocol));
            Assert.False(rows[2].HasPort);
        }

        [Theory]
        [InlineData("a,1,tcp,d,r,n,extra", "line 2: 7 fields")]
        [InlineData("a,1,tcp,\"d,r,n", "never ends")]
        [InlineData("a,1,ip,d,r,n", "unknown transport protocol 'ip'")]
        [InlineData("a,65536,tcp,d,r,n", "'65536' is not a port")]
        [InlineData("a,9-3,tcp,d,r,n", "runs backwards")]
        [InlineData("\"a\"x,1,tcp,d,r,n", "unexpected character 'x'")]
        public void ParserRejectsDamagedRows(string row, string expected)
        {
            string csv = "Service Name,Port Number,Transport Protocol,Description,Reference,Assignment Notes\n" + row + "\n";
            var e = Assert.Throws<InvalidDataException>(() => IanaCsvParser.Parse(new StringReader(csv)));
            Assert.Contains(expected, e.Message);
        }

        [Fact]
        public void ParserRejectsMissingColumns()
        {
            Assert.Throws<InvalidDataException>(() => IanaCsvParser.Parse(new StringReader("")));
            var e = Assert.Throws<InvalidDataException>(() => IanaCsvParser.Parse(new StringReader("Service Name,Port\nx,1\n")));
            Assert.Contains("'Port Number'", e.Message);
        }

        // The project's own table (shared/data/README.md): what admins say, and IANA's name beside it, on the
        // protocols admins mean (UDP for DNS and DHCP, both for HTTPS's QUIC and RDP, TCP only for the rest).
        [Theory]
        [InlineData(20, "FTP", "ftp-data", false)]
        [InlineData(21, "FTP", "ftp", false)]
        [InlineData(22, "SSH", "ssh", false)]
        [InlineData(23, "TELNET", "telnet", false)]
        [InlineData(25, "SMTP", "smtp", false)]
        [InlineData(53, "DNS", "domain", true)]
        [InlineData(67, "DHCP", "bootps", true)]
        [InlineData(68, "DHCP", "bootpc", true)]
        [InlineData(69, "TFTP", "tftp", true)]
        [InlineData(80, "HTTP", "http", false)]
        [InlineData(110, "POP3", "pop3", false)]
        [InlineData(143, "IMAP", "imap", false)]
        [InlineData(194, "IRC", "irc", false)]
        [InlineData(443, "HTTPS", "https", true)]
        [InlineData(1521, "Oracle DB server", "ncube-lm", false)]
        [InlineData(3306, "MySQL server", "mysql", false)]
        [InlineData(3389, "MS Remote Desktop", "ms-wbt-server", true)]
        public void UserTableResolvesToAdminAndIanaNames(int port, string commonName, string ianaName, bool overUdp)
        {
            bool overTcp = port != 67 && port != 68 && port != 69; // DHCP and TFTP are UDP only
            WellKnownPort tcp = Iana.Value.Describe(port, Tcp, false);
            Assert.Equal(overTcp ? commonName : null, tcp.CommonName);
            Assert.Equal(ianaName, tcp.ServiceName);
            WellKnownPort udp = Iana.Value.Describe(port, Udp, false);
            Assert.Equal(overUdp ? commonName : null, udp.CommonName);
            Assert.Equal(port == 143 ? null : ianaName, udp.ServiceName); // 143/udp is Reserved
        }

        // The names admins type, and the ports they mean by them (the fidelity issue's list and more).
        [Theory]
        [InlineData("oracle", "1521/Tcp")]
        [InlineData("rdp", "3389/Tcp 3389/Udp")]
        [InlineData("mssql", "1433/Tcp")]
        [InlineData("sqlserver", "1433/Tcp")]
        [InlineData("mysql", "3306/Tcp")]
        [InlineData("mariadb", "3306/Tcp")]
        [InlineData("postgres", "5432/Tcp")]
        [InlineData("postgresql", "5432/Tcp")]
        [InlineData("redis", "6379/Tcp")]
        [InlineData("mongodb", "27017/Tcp")]
        [InlineData("mongo", "27017/Tcp")]
        [InlineData("elasticsearch", "9200/Tcp 9300/Tcp")]
        [InlineData("kafka", "9092/Tcp")]
        [InlineData("ldap", "389/Tcp 389/Udp")]
        [InlineData("ldaps", "636/Tcp")]
        [InlineData("smb", "445/Tcp")]
        [InlineData("cifs", "445/Tcp")]
        [InlineData("winrm", "5985/Tcp 5986/Tcp")]
        [InlineData("vnc", "5900/Tcp")]
        [InlineData("ssh", "22/Tcp")]
        [InlineData("dns", "53/Tcp 53/Udp")]
        [InlineData("dhcp", "67/Udp 68/Udp")]
        [InlineData("ntp", "123/Udp")]
        [InlineData("https", "443/Tcp 443/Udp")]
        [InlineData("iscsi", "3260/Tcp")]
        [InlineData("ipsec", "500/Udp 4500/Udp")]
        [InlineData("netbios", "137/Udp 138/Udp 139/Tcp")]
        [InlineData("docker", "2375/Tcp 2376/Tcp")]
        [InlineData("k8s", "6443/Tcp")]
        [InlineData("etcd", "2379/Tcp 2380/Tcp")]
        [InlineData("rabbitmq", "5672/Tcp 15672/Tcp")]
        [InlineData("wireguard", "51820/Udp")]
        [InlineData("openvpn", "1194/Udp")]
        [InlineData("radius", "1812/Udp 1813/Udp")]
        [InlineData("memcached", "11211/Tcp")]
        [InlineData("zabbix", "10050/Tcp 10051/Tcp")]
        public void AdminNamesAnswerWithTheirPortsFirst(string name, string expected)
        {
            List<(int Port, RegistryProtocol Protocol)> hits = Iana.Value.FindByName(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            string[] wanted = expected.Split(' ');
            Assert.Equal(wanted, hits.Take(wanted.Length).Select(h => $"{h.Port}/{h.Protocol}"));
        }

        [Fact]
        public void IanaAnswersForAnAdminNameStillFollow()
        {
            // IANA gives "oracle" 2005/udp and "winrm" 47001/tcp; admins mean 1521 and 5985-5986.
            Assert.Equal(new[] { (1521, Tcp), (2005, Udp) }, Iana.Value.FindByName(n => n == "oracle"));
            Assert.Equal(new[] { (5985, Tcp), (5986, Tcp), (47001, Tcp) }, Iana.Value.FindByName(n => n == "winrm"));
            // A wildcard puts every admin match ahead of IANA's, each group in port order.
            List<(int Port, RegistryProtocol Protocol)> orac = Iana.Value.FindByName(n => n.StartsWith("orac", StringComparison.OrdinalIgnoreCase));
            Assert.Equal((1521, Tcp), orac[0]);
            Assert.Contains((2005, Udp), orac);
        }

        // Every name in the curated table, checked against the table itself and against IANA's registry.
        public static IEnumerable<object[]> AdminNames() =>
            CommonPortNames.All.SelectMany(c => new[] { c.Name }.Concat(c.Aliases))
                .Distinct(StringComparer.OrdinalIgnoreCase).Select(name => new object[] { name });

        [Theory]
        [MemberData(nameof(AdminNames))]
        public void EveryAdminNameFindsItsEntriesFirstAndIanaStaysReachable(string name)
        {
            bool Exact(string n) => string.Equals(n, name, StringComparison.OrdinalIgnoreCase);
            var table = CommonPortNames.All.Where(c => Exact(c.Name) || c.Aliases.Any(Exact))
                .SelectMany(c => c.Protocols.Select(p => (c.Port, Protocol: p)))
                .OrderBy(k => k.Port).ThenBy(k => k.Protocol).ToList();
            List<(int Port, RegistryProtocol Protocol)> hits = Iana.Value.FindByName(Exact);
            Assert.Equal(table, hits.Take(table.Count));
            List<(int Port, RegistryProtocol Protocol)> ianaOnly =
                new PortRegistry(Shipped.Value, Array.Empty<CommonPortName>(), Array.Empty<HostServiceEntry>()).FindByName(Exact);
            Assert.Equal(ianaOnly.Except(table), hits.Skip(table.Count));
            Assert.Contains(name, Iana.Value.Names, StringComparer.OrdinalIgnoreCase); // -Name completes it
        }

        [Fact]
        public void CuratedTableNamesAreWhatAdminsType()
        {
            foreach (CommonPortName entry in CommonPortNames.All)
            {
                Assert.NotEmpty(entry.Protocols);
                Assert.Equal(entry.Aliases.Length, entry.Aliases.Distinct(StringComparer.OrdinalIgnoreCase).Count());
                foreach (string alias in entry.Aliases)
                {
                    // One word as typed: lower case, letters, digits and hyphens; the readable Name is matched on its own.
                    Assert.Matches("^[a-z][a-z0-9-]{1,14}$", alias);
                    Assert.NotEqual(entry.Name, alias, StringComparer.OrdinalIgnoreCase);
                }
            }
            Assert.True(AdminNames().Count(n => !((string)n[0]).Contains(' ')) >= 30);
        }

        [Fact]
        public void ShortNamesAreShownBesideTheCommonName()
        {
            WellKnownPort mysql = Iana.Value.Describe(3306, Tcp, false);
            Assert.Equal("MySQL server", mysql.CommonName);
            Assert.Equal("mysql, mariadb", mysql.CommonAliases);
            Assert.Null(Iana.Value.Describe(22, Tcp, false).CommonAliases);      // "SSH" is typed as it is
            WellKnownPort oracleUdp = Iana.Value.Describe(1521, Udp, false);     // Oracle's listener is TCP only
            Assert.Null(oracleUdp.CommonName);
            Assert.Null(oracleUdp.CommonAliases);
            Assert.Equal("ncube-lm", oracleUdp.ServiceName);
        }

        [Fact]
        public void HttpsSaysWhatIanaSays()
        {
            Assert.Equal(new[] { Tcp, Udp, Sctp }, Iana.Value.KnownProtocols(443));
            WellKnownPort https = Iana.Value.Describe(443, Tcp, false);
            Assert.Equal("http protocol over TLS/SSL", https.Description);
            Assert.Equal(PortCategory.WellKnown, https.Category);
            Assert.Equal("RFC9110", https.Reference);
            Assert.Null(https.PortRange);
        }

        [Theory]
        [InlineData(6000)]
        [InlineData(6031)]
        [InlineData(6063)]
        public void RangeRowsMatchEveryPortInside(int port)
        {
            WellKnownPort x11 = Iana.Value.Describe(port, Tcp, false);
            Assert.Equal("x11", x11.ServiceName);
            Assert.Equal("6000-6063", x11.PortRange);
            Assert.Equal(port, x11.Port);
        }

        [Fact]
        public void RangeEndsAreExact()
        {
            Assert.NotEqual("x11", Iana.Value.Describe(5999, Tcp, false).ServiceName);
            Assert.NotEqual("x11", Iana.Value.Describe(6064, Tcp, false).ServiceName);
            Assert.Equal(new[] { (6000, Tcp), (6000, Udp) }, Iana.Value.FindByName(n => n == "x11"));
        }

        [Fact]
        public void RowsWithoutProtocolApplyToTcpAndUdp()
        {
            Assert.Equal("boe-cms", Iana.Value.Describe(6400, Tcp, false).ServiceName);
            Assert.Equal("boe-cms", Iana.Value.Describe(6400, Udp, false).ServiceName);
            Assert.Null(Iana.Value.Describe(6400, Sctp, false).ServiceName);
        }

        [Fact]
        public void AliasesFollowThePreferredName()
        {
            WellKnownPort http = Iana.Value.Describe(80, Tcp, false);
            Assert.Equal("http", http.ServiceName);
            Assert.Equal("www, www-http", http.Aliases);

            WellKnownPort whois = Iana.Value.Describe(63, Tcp, false);
            Assert.Equal("whoispp", whois.ServiceName);
            Assert.Equal("whois++ (historic)", whois.Aliases);
            Assert.Equal(new[] { (63, Tcp), (63, Udp) }, Iana.Value.FindByName(n => n == "whois++"));
            Assert.Equal(new[] { (80, Tcp), (80, Udp) }, Iana.Value.FindByName(n => n == "www"));
        }

        [Fact]
        public void SeveralNamesOnOnePortKeepIanaOrder()
        {
            WellKnownPort smtps = Iana.Value.Describe(465, Tcp, false);
            Assert.Equal("urd", smtps.ServiceName);
            Assert.Equal("submissions", smtps.Aliases);
            Assert.Equal("SMTPS", smtps.CommonName);
            Assert.Equal("igmpv3lite", Iana.Value.Describe(465, Udp, false).ServiceName);
        }

        // RFC 6335, section 6.
        [Theory]
        [InlineData(0, PortCategory.WellKnown)]
        [InlineData(1023, PortCategory.WellKnown)]
        [InlineData(1024, PortCategory.Registered)]
        [InlineData(49151, PortCategory.Registered)]
        [InlineData(49152, PortCategory.Dynamic)]
        [InlineData(65535, PortCategory.Dynamic)]
        public void CategoryBoundaries(int port, PortCategory expected)
        {
            Assert.Equal(expected, PortRegistry.CategoryOf(port));
            Assert.Equal(expected, Iana.Value.Describe(port, null, false).Category);
        }

        [Fact]
        public void UnassignedReservedAndDynamicPortsStillDescribe()
        {
            Assert.Empty(Iana.Value.KnownProtocols(49200));
            WellKnownPort dynamic = Iana.Value.Describe(49200, null, true);
            Assert.Null(dynamic.ServiceName);
            Assert.Null(dynamic.Protocol);
            Assert.Equal(PortRegistry.DynamicDescription, dynamic.Description);
            Assert.True(dynamic.InEphemeralRange);

            WellKnownPort reserved = Iana.Value.Describe(1023, Tcp, false);
            Assert.Null(reserved.ServiceName);
            Assert.Equal("Reserved", reserved.Description);
            Assert.Equal("RFC6335", reserved.Reference);

            // 8 is Unassigned in IANA's table, as a row rather than by omission.
            Assert.Equal("Unassigned", Iana.Value.Describe(8, Tcp, false).Description);
        }

        [Fact]
        public void ServicesFileParserReadsEveryValidLine()
        {
            List<HostServiceEntry> entries = FixtureServices();
            Assert.Equal(
                new[] { "tcpmux 1/Tcp", "smtp 25/Tcp", "http 80/Tcp", "myapp 8123/Tcp", "sctpsvc 9900/Sctp", "http-alt 8080/Udp", "mail-alt 25/Tcp" },
                entries.Select(e => $"{e.Name} {e.Port}/{e.Protocol}"));
            Assert.Equal(new[] { "mail" }, entries[1].Aliases);
            Assert.Equal(new[] { "myapp-admin", "my-app" }, entries[3].Aliases); // the CRLF line, up to its comment
            Assert.Empty(entries[0].Aliases);
        }

        private static void AssertNoSourceNoProblem(HostServicesFile.Result result)
        {
            Assert.Empty(result.Entries);
            Assert.Null(result.Problem);
        }

        [Fact]
        public void MissingServicesFileIsNoSource()
        {
            AssertNoSourceNoProblem(HostServicesFile.Read(Fixtures.PathOf("services/no-such-file"), CancellationToken.None));
            AssertNoSourceNoProblem(HostServicesFile.Read(null, CancellationToken.None));
        }

        [Fact]
        public void HostServicesAreAThirdSourceAndWinForNetstat()
        {
            var registry = new PortRegistry(Shipped.Value, CommonPortNames.All, FixtureServices());

            // A site's own name where IANA has another.
            WellKnownPort myapp = registry.Describe(8123, Tcp, false);
            Assert.Equal("myapp", myapp.HostServiceName);
            Assert.Equal(Iana.Value.Describe(8123, Tcp, false).ServiceName, myapp.ServiceName);
            Assert.Contains("myapp-admin", myapp.Aliases);
            Assert.Equal("myapp", registry.NetstatName(8123, Tcp));
            Assert.Equal(new[] { (8123, Tcp) }, registry.FindByName(n => n == "my-app"));

            // The first line for a port wins, as getservbyport(3) answers; later names are aliases.
            WellKnownPort smtp = registry.Describe(25, Tcp, false);
            Assert.Equal("smtp", smtp.HostServiceName);
            Assert.Equal("mail", smtp.Aliases);
            Assert.Equal(new[] { (25, Tcp) }, registry.FindByName(n => n == "mail-alt"));

            // Without a host name, admins' name comes before IANA's; with none at all, nothing.
            Assert.Equal("Oracle DB server", registry.NetstatName(1521, Tcp));
            Assert.Equal("mysqlx", registry.NetstatName(33060, Tcp));
            Assert.Null(registry.NetstatName(49200, Tcp));
            Assert.Null(registry.NetstatName(8, Udp));
        }

        [Fact]
        public void WildcardSearchCoversIanaCommonAndHostNames()
        {
            var registry = new PortRegistry(Shipped.Value, CommonPortNames.All, FixtureServices());
            // The cmdlet passes WildcardPattern.IsMatch; PowerShellStandard here is reference-only, so a plain predicate.
            List<(int Port, RegistryProtocol Protocol)> hits = registry.FindByName(n => n.IndexOf("sql", StringComparison.OrdinalIgnoreCase) >= 0);
            Assert.Contains((3306, Tcp), hits);          // mysql
            Assert.Contains((5432, Tcp), hits);          // postgresql
            Assert.Contains((1433, Tcp), hits);          // ms-sql-s, "MS SQL Server"
            // Admins' matches first (mysql, postgres, mssql...), then the rest; each group in port order, no repeats.
            int admins = hits.TakeWhile(h => registry.Describe(h.Port, h.Protocol, false).CommonName != null).Count();
            Assert.True(admins >= 3);
            Assert.Equal(hits.Take(admins).OrderBy(h => h.Port).ThenBy(h => h.Protocol), hits.Take(admins));
            Assert.Equal(hits.Skip(admins).OrderBy(h => h.Port).ThenBy(h => h.Protocol), hits.Skip(admins));
            Assert.Equal(hits.Count, hits.Distinct().Count());
            Assert.True(registry.MatchesPortlessName(n => n == "airplay" || n == "adisk"));
        }

        [Fact]
        public void CuratedTableHasNoDuplicates()
        {
            var keys = CommonPortNames.All.SelectMany(c => c.Protocols.Select(p => (c.Port, p))).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
        }

        [Theory]
        [InlineData("32768\t60999\n", 32768, 60999)]
        [InlineData("1024 65535", 1024, 65535)]
        public void EphemeralRangeParses(string text, int first, int last)
        {
            EphemeralPortRange? range = LinuxEphemeralPorts.Parse(text);
            Assert.Equal((first, last), (range!.Value.First, range.Value.Last));
        }

        [Theory]
        [InlineData("")]
        [InlineData("32768")]
        [InlineData("60999 32768")]
        [InlineData("1 70000")]
        [InlineData("a b")]
        public void EphemeralRangeRejectsGarbage(string text) => Assert.Null(LinuxEphemeralPorts.Parse(text));

        [Fact]
        public void LinuxEphemeralRangeComesFromProcSys()
        {
            var source = new LinuxEphemeralPorts(new ProcFs(Fixtures.PathOf("linux/proc"), "/nonexistent"));
            EphemeralPortRange range = source.GetRange()!.Value;
            Assert.Equal("32768-60999", range.ToString());
            Assert.True(range.Contains(32768) && range.Contains(60999));
            Assert.False(range.Contains(32767) || range.Contains(61000));
            Assert.Null(new LinuxEphemeralPorts(new ProcFs(Fixtures.PathOf("none"), "/nonexistent")).GetRange());
        }
    }
}
