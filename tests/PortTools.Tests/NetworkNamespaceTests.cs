using System.Globalization;
using System.IO;
using System.Linq;
using System;
using System.Reflection;
using PortTools.Models;
using PortTools.Platform.Linux;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// -NetworkNamespace: what text names a namespace (pure), and joining one from a thread of its own against the
    /// real kernel (the caller's own namespace, so that no namespace has to be made; Pester makes real ones).
    /// </summary>
    public sealed class NetworkNamespaceTests
    {
        [Theory]
        [InlineData("blue")]
        [InlineData("my ns")]
        [InlineData("it's")]
        [InlineData("über")]
        [InlineData("-1")] // not only digits: a name
        [InlineData("12a")]
        [InlineData("...")] // iproute2 refuses only "." and ".."
        [InlineData("\u0661\u0662\u0663")] // Arabic-Indic digits are no process id
        public void ANameIsOnePathComponentUnderRunNetns(string name)
        {
            Assert.Equal("/run/netns/" + name, NetworkNamespaceHandle.PathOf(name, out int? processId));
            Assert.Null(processId);
        }

        [Theory]
        [InlineData("1", 1)]
        [InlineData("007", 7)]
        [InlineData("2147483647", int.MaxValue)]
        public void AsciiDigitsAreAProcessId(string text, int pid)
        {
            Assert.Equal($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/net", NetworkNamespaceHandle.PathOf(text, out int? processId));
            Assert.Equal(pid, processId);
        }

        [Theory]
        [InlineData("")]
        [InlineData(".")]
        [InlineData("..")]
        [InlineData("../x")]
        [InlineData("a/b")]
        [InlineData("x/")]
        [InlineData("/run/netns/x")]
        [InlineData("a\tb")]
        [InlineData("a\nb")]
        [InlineData("\0")]
        [InlineData("a\u007f")]
        [InlineData("a\u0085")]
        [InlineData("\u001b[31mred")]
        [InlineData("0")]
        [InlineData("2147483648")]
        [InlineData("99999999999999999999")]
        public void RejectsWhatIsNeitherANameNorAProcessIdWithAnEscapedMessage(string text)
        {
            var e = Assert.Throws<ArgumentException>(() => NetworkNamespaceHandle.PathOf(text, out _));
            Assert.DoesNotContain(e.Message, char.IsControl);
            Assert.Contains("-NetworkNamespace takes a name under /run/netns", e.Message);
        }

        [Fact]
        public void ANameHasAtMost255Bytes()
        {
            Assert.Equal(255, NetworkNamespaceHandle.PathOf(new string('x', 255), out _).Length - "/run/netns/".Length);
            Assert.Throws<ArgumentException>(() => NetworkNamespaceHandle.PathOf(new string('x', 256), out _));
            // Bytes, not characters: ü takes two in UTF-8.
            NetworkNamespaceHandle.PathOf(new string('ü', 127) + "x", out _);
            Assert.Throws<ArgumentException>(() => NetworkNamespaceHandle.PathOf(new string('ü', 128), out _));
        }

        [Fact]
        public void TheSnapshotNamesEveryInterfaceAsIfIndexToNameDoes()
        {
            InterfaceNames snapshot = InterfaceNames.SnapshotFromLibc();
            InterfaceNames libc = InterfaceNames.FromLibc();
            string[] interfaces = Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName).ToArray()!;
            Assert.Contains("lo", interfaces);
            foreach (string name in interfaces)
            {
                int index = int.Parse(File.ReadAllText($"/sys/class/net/{name}/ifindex").Trim(), CultureInfo.InvariantCulture);
                Assert.Equal(name, snapshot.NameOf(index));
                Assert.Equal(libc.NameOf(index), snapshot.NameOf(index));
                Assert.Equal(index, snapshot.IndexOf(name));
            }
        }

        [Fact]
        public void AMissingNamespaceOrProcessIsFileNotFound()
        {
            var missing = Assert.Throws<FileNotFoundException>(() => NetworkNamespaceHandle.Open("porttools-xunit-missing-" + Guid.NewGuid().ToString("N")));
            Assert.Contains("ip netns list", missing.Message);
            int pidMax = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture);
            string beyond = (pidMax + 1).ToString(CultureInfo.InvariantCulture);
            Assert.Equal($"There is no process {beyond}.", Assert.Throws<FileNotFoundException>(() => NetworkNamespaceHandle.Open(beyond)).Message);
        }

        [Fact]
        public void JoiningRunsOnAThreadOfItsOwnAndLeavesTheCallersThreadWhereItWas()
        {
            string self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            if (!HasCapSysAdmin())
            {
                var denied = Assert.Throws<UnauthorizedAccessException>(() => NetworkNamespaceHandle.Open(self));
                Assert.Contains("CAP_SYS_ADMIN", denied.Message);
                return;
            }
            string ownThread = ReadLink("/proc/thread-self")!;
            string ownNamespace = ReadLink("/proc/thread-self/ns/net")!;
            using NetworkNamespaceHandle netns = NetworkNamespaceHandle.Open(self);
            Assert.Equal(self, netns.Name);
            (string? thread, string? joined) = netns.Run(() => (ReadLink("/proc/thread-self"), ReadLink("/proc/thread-self/ns/net")));
            Assert.NotEqual(ownThread, thread);
            Assert.Equal(ownNamespace, joined);
            Assert.Equal(ownThread, ReadLink("/proc/thread-self"));
            // What fails inside reaches the caller as it was thrown.
            var failure = Assert.Throws<InvalidOperationException>(() => netns.Run<int>(() => throw new InvalidOperationException("inside")));
            Assert.Equal("inside", failure.Message);
        }

        private static string? ReadLink(string path) => ProcFs.Default.ReadLinkText(path);

        /// <summary>CAP_SYS_ADMIN (bit 21) in the effective set, which setns(2) needs.</summary>
        private static bool HasCapSysAdmin()
        {
            string line = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            ulong effective = ulong.Parse(line.Substring("CapEff:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return (effective & (1UL << 21)) != 0;
        }

        [Fact]
        public void ARouteMarkedWithItsNamespaceKeepsEveryOtherProperty()
        {
            // RouteEntry.InNamespace copies field by field: a property added later and not copied fails here.
            var matched = new RouteEntry { DestinationPrefix = "10.0.0.0/8", PrefixLength = 8, Table = 254 };
            var route = new RouteEntry
            {
                DestinationPrefix = "10.1.2.3/32", PrefixLength = 32, NextHop = "10.0.0.1", InterfaceAlias = "veth0",
                InterfaceIndex = 7, RouteMetric = 100, AddressFamily = IPVersion.IPv4, Protocol = RouteProtocol.Static,
                Scope = RouteScope.Link, Type = RouteType.Unicast, Table = 254, PreferredSource = "10.0.0.2",
                NextHops = new[] { new RouteNextHop("10.0.0.1", 7, "veth0", 1) }, MatchedRoute = matched,
            };
            RouteEntry marked = route.InNamespace("blue");
            Assert.Equal("blue", marked.NetworkNamespace);
            Assert.Equal("blue", marked.MatchedRoute!.NetworkNamespace);
            Assert.Null(route.NetworkNamespace); // the original is untouched
            foreach (PropertyInfo property in typeof(RouteEntry).GetProperties())
            {
                if (property.Name is nameof(RouteEntry.NetworkNamespace) or nameof(RouteEntry.MatchedRoute)) continue;
                Assert.True(property.GetValue(route) is { } value ? value.Equals(property.GetValue(marked)) : property.GetValue(marked) == null,
                    $"{property.Name} after InNamespace");
            }
            Assert.Equal(matched.DestinationPrefix, marked.MatchedRoute.DestinationPrefix);
        }
    }
}
