using PortTools.Platform.Linux;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// The systemd unit of a process from its /proc/pid/cgroup, by systemd's rules (cg_pid_get_unit, cg_path_get_unit in
    /// src/basic/cgroup-util.c): real captures of both layouts, and the paths systemd makes for services, user managers,
    /// sessions, containers and escaped names.
    /// </summary>
    public class CgroupUnitTests
    {
        private static string? Unit(string cgroup, string? init = null) => CgroupUnit.Of(cgroup, init);

        [Fact]
        public void ReadsTheUnitFromTheCgroupV2Line()
        {
            // Captured: the v2 line names the unit, the named v1 hierarchy is at its root.
            Assert.Equal("nginx.service", Unit(Fixtures.Text("linux/proc-pid-cgroup-unified.txt"), Fixtures.Text("linux/proc-1-cgroup-no-systemd.txt")));
        }

        [Fact]
        public void ReadsTheUnitFromTheNamedV1HierarchyInTheLegacyLayout()
        {
            // Captured: the v2 line is the unused root "0::/", so the name=systemd line holds the unit.
            Assert.Equal("user@1000.service", Unit(Fixtures.Text("linux/proc-pid-cgroup-legacy.txt"), Fixtures.Text("linux/proc-1-cgroup-no-systemd.txt")));
        }

        [Fact]
        public void NoSystemdIsNoUnit()
        {
            Assert.Null(Unit(Fixtures.Text("linux/proc-1-cgroup-no-systemd.txt")));
            Assert.Null(Unit("0::/\n"));
            Assert.Null(Unit("0::/docker/4f2a9c\n")); // the cgroupfs driver: "docker" is no unit name
            Assert.Null(Unit("0::/process_api/73a6\n"));
            Assert.Null(Unit(""));
            Assert.Null(CgroupUnit.Of(null, null));
        }

        [Theory]
        [InlineData("/system.slice/nginx.service", "nginx.service")]
        [InlineData("/system.slice/nginx.service/worker", "nginx.service")] // a sub-cgroup the service made for itself
        [InlineData("/init.scope", "init.scope")]
        [InlineData("/user.slice/user-1000.slice/user@1000.service/app.slice/x.service", "user@1000.service")]
        [InlineData("/user.slice/user-1000.slice/session-3.scope", "session-3.scope")]
        [InlineData("/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope",
            "docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope")]
        [InlineData("/machine.slice/libpod-4f2a.scope/container", "libpod-4f2a.scope")]
        [InlineData("/system.slice/system-getty.slice/getty@tty1.service", "getty@tty1.service")]
        [InlineData("/system.slice/system-openvpn\\x2dclient.slice/openvpn-client@vpn\\x2dhome.service", "openvpn-client@vpn\\x2dhome.service")]
        [InlineData("/system.slice/_cpu.service", "cpu.service")] // cg_escape's '_' before a controller's name
        [InlineData("//system.slice///nginx.service", "nginx.service")]
        public void FindsTheFirstUnitBelowTheSlices(string path, string unit)
        {
            Assert.Equal(unit, Unit($"0::{path}\n"));
            Assert.Equal(unit, Unit($"1:name=systemd:{path}\n0::/\n"));
        }

        [Theory]
        [InlineData("/")]
        [InlineData("/system.slice")]
        [InlineData("/user.slice/user-1000.slice")]
        [InlineData("/system.slice/getty@.service")] // a template names no running unit
        [InlineData("/system.slice/@x.service")]
        [InlineData("/system.slice/nginx.conf")] // no unit type
        [InlineData("/system.slice/.service")]
        [InlineData("/system.slice/my app.service")]
        [InlineData("/system.slice/nginx\u00e9.service")]
        [InlineData("/system.slice/x.slice.d")]
        [InlineData("/ab")]
        public void IsNullWhenTheFirstComponentBelowTheSlicesIsNoUnit(string path)
        {
            Assert.Null(Unit($"0::{path}\n"));
        }

        [Fact]
        public void RefusesNamesOfSystemdsMaximumLengthOrMore()
        {
            string longest = new string('a', 255 - ".service".Length) + ".service";
            Assert.Equal(longest, Unit($"0::/system.slice/{longest}"));
            Assert.Null(Unit($"0::/system.slice/a{longest}"));
        }

        [Fact]
        public void PrefersTheV2LineWhenItNamesAUnitAsSystemdDoesInTheHybridLayout()
        {
            Assert.Equal("a.service", Unit("1:name=systemd:/system.slice/b.service\n0::/system.slice/a.service\n"));
            Assert.Equal("b.service", Unit("1:name=systemd:/system.slice/b.service\n0::/\n"));
            // A v1 line of other controllers is never read.
            Assert.Null(Unit("3:cpu,cpuacct:/system.slice/c.service\n0::/\n"));
            Assert.Equal("d.service", Unit("3:cpu,name=systemd:/system.slice/d.service\n"));
        }

        [Fact]
        public void SkipsGarbageLinesAndStripsTheZombieSuffix()
        {
            Assert.Equal("nginx.service", Unit("garbage\n\n::\n7\n0::/system.slice/nginx.service (deleted)\n"));
            Assert.Equal("x.service", Unit("0:/system.slice/ignored.service\n0::/system.slice/x.service"));
            Assert.Null(Unit("\0\0\0"));
        }

        [Fact]
        public void ShiftsPathsBelowPid1sCgroupAsInAContainer()
        {
            // In a container without its own cgroup namespace, systemd inside names units below its PID 1's cgroup.
            const string init = "0::/machine.slice/libpod-4f2a.scope/init.scope\n";
            Assert.Equal("nginx.service", Unit("0::/machine.slice/libpod-4f2a.scope/system.slice/nginx.service\n", init));
            Assert.Null(Unit("0::/machine.slice/libpod-4f2a.scope\n", init));
            // A host's PID 1 in /init.scope shifts nothing; nor does a path outside the root.
            Assert.Equal("nginx.service", Unit("0::/system.slice/nginx.service\n", "0::/init.scope\n"));
            Assert.Equal("libpod-99.scope", Unit("0::/machine.slice/libpod-99.scope\n", init));
            Assert.Equal("libpod-4f2ab.scope", Unit("0::/machine.slice/libpod-4f2ab.scope\n", "0::/machine.slice/libpod-4f2a\n"));
        }
    }
}
