using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using PortTools.Platform.Linux;
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

        // The project's own table (shared/data/README.md): what admins say, and IANA's name beside it.
        [Theory]
        [InlineData(20, "FTP", "ftp-data")]
        [InlineData(21, "FTP", "ftp")]
        [InlineData(22, "SSH", "ssh")]
        [InlineData(23, "TELNET", "telnet")]
        [InlineData(25, "SMTP", "smtp")]
        [InlineData(53, "DNS", "domain")]
        [InlineData(67, "DHCP", "bootps")]
        [InlineData(68, "DHCP", "bootpc")]
        [InlineData(69, "TFTP", "tftp")]
        [InlineData(80, "HTTP", "http")]
        [InlineData(110, "POP3", "pop3")]
        [InlineData(143, "IMAP", "imap")]
        [InlineData(194, "IRC", "irc")]
        [InlineData(443, "HTTPS", "https")]
        [InlineData(1521, "Oracle DB server", "ncube-lm")]
        [InlineData(3306, "MySQL server", "mysql")]
        [InlineData(3389, "MS Remote Desktop", "ms-wbt-server")]
        public void UserTableResolvesToAdminAndIanaNames(int port, string commonName, string ianaName)
        {
            WellKnownPort tcp = Iana.Value.Describe(port, Tcp, false);
            Assert.Equal(commonName, tcp.CommonName);
            Assert.Equal(ianaName, tcp.ServiceName);
            // UDP too, where IANA assigned the name for UDP (143/udp is Reserved).
            WellKnownPort udp = Iana.Value.Describe(port, Udp, false);
            Assert.Equal(commonName, udp.CommonName);
            Assert.Equal(port == 143 ? null : ianaName, udp.ServiceName);
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
            Assert.Equal(hits.OrderBy(h => h.Port).ThenBy(h => h.Protocol), hits);
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
