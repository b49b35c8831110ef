using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Platform.Windows;
using PortTools.Query;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// Lays out what EnumServicesStatusExW(SC_ENUM_PROCESS_INFO) writes, from winsvc.h (mingw-w64-headers): an array of
    /// ENUM_SERVICE_STATUS_PROCESSW { LPWSTR lpServiceName; LPWSTR lpDisplayName; SERVICE_STATUS_PROCESS (nine DWORDs,
    /// dwProcessId the eighth) }, then the names, which the pointers address. x64: pointers at 0 and 8, the status at 16,
    /// dwProcessId at 44, 56 bytes a record (52 padded to 8); x86: 0 and 4, status at 8, dwProcessId at 36, 44 bytes.
    /// </summary>
    internal static class ServiceStatusBuffer
    {
        // Below 4 GB, so that the same buffer address serves both layouts.
        internal const ulong BaseAddress = 0x7FF6_0000;

        internal static byte[] Build(bool x64, params (string Name, string Display, uint Pid)[] services)
        {
            int record = x64 ? 56 : 44, pointer = x64 ? 8 : 4, pidAt = x64 ? 44 : 36;
            ulong address = BaseAddress;
            var names = new List<byte>();
            int stringsStart = services.Length * record;
            var buffer = new byte[stringsStart];
            for (int i = 0; i < services.Length; i++)
            {
                WritePointer(buffer, i * record, address + (ulong)(stringsStart + names.Count), pointer);
                names.AddRange(Encoding.Unicode.GetBytes(services[i].Name + "\0"));
                WritePointer(buffer, i * record + pointer, address + (ulong)(stringsStart + names.Count), pointer);
                names.AddRange(Encoding.Unicode.GetBytes(services[i].Display + "\0"));
                BitConverter.GetBytes(0x20u).CopyTo(buffer, i * record + 2 * pointer); // SERVICE_WIN32_SHARE_PROCESS
                BitConverter.GetBytes(services[i].Pid == 0 ? 1u : 4u).CopyTo(buffer, i * record + 2 * pointer + 4); // STOPPED or RUNNING
                BitConverter.GetBytes(services[i].Pid).CopyTo(buffer, i * record + pidAt);
            }
            return buffer.Concat(names).ToArray();
        }

        private static void WritePointer(byte[] buffer, int offset, ulong value, int size) =>
            (size == 8 ? BitConverter.GetBytes(value) : BitConverter.GetBytes((uint)value)).CopyTo(buffer, offset);
    }

    public class WindowsServiceDecoderTests
    {
        // Hand-written from the x64 layout: one record, Dnscache ("DNS Client") running in pid 1234, its names after it.
        private const string GoldenX64 =
            "38000000 01000000 4A000000 01000000" + // lpServiceName = base + 56, lpDisplayName = base + 74 (base 0x1_0000_0000)
            "20000000 04000000 05000000 00000000" + // SERVICE_WIN32_SHARE_PROCESS, SERVICE_RUNNING, accepts STOP | SHUTDOWN, exit 0
            "00000000 00000000 00000000 D2040000" + // service exit 0, check point 0, wait hint 0, dwProcessId 1234
            "00000000 00000000" +                   // dwServiceFlags, padding to 8
            "44006E00 73006300 61006300 68006500 0000" +                // "Dnscache"
            "44004E00 53002000 43006C00 69006500 6E007400 0000";        // "DNS Client"

        private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

        [Fact]
        public void DecodesTheGoldenX64Record()
        {
            byte[] buffer = Hex(GoldenX64);
            Assert.Equal(96, buffer.Length);
            var services = ServiceStatusProcessDecoder.Decode(buffer, buffer.Length, 0x1_0000_0000, 1, 8);
            Assert.Equal(new[] { ("Dnscache", 1234) }, services);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void DecodesEveryRunningServiceOfBothLayouts(bool x64)
        {
            byte[] buffer = ServiceStatusBuffer.Build(x64,
                ("Dnscache", "DNS Client", 1320), ("LanmanWorkstation", "Workstation", 1320), ("Spooler", "Print Spooler", 2448),
                ("wuauserv", "Windows Update", 0), ("Dhcp", "DHCP Client", 1320), ("svc\u00e9\u4e2d", "Unicode", 77));
            var services = ServiceStatusProcessDecoder.Decode(buffer, buffer.Length, ServiceStatusBuffer.BaseAddress, 6, x64 ? 8 : 4);
            Assert.Equal(new[] { ("Dnscache", 1320), ("LanmanWorkstation", 1320), ("Spooler", 2448), ("Dhcp", 1320), ("svc\u00e9\u4e2d", 77) }, services);
            Dictionary<int, string[]> byProcess = ServiceStatusProcessDecoder.ByProcess(services);
            // As tasklist /svc lists a svchost: every service it hosts, by name.
            Assert.Equal(new[] { "Dhcp", "Dnscache", "LanmanWorkstation" }, byProcess[1320]);
            Assert.Equal(new[] { "Spooler" }, byProcess[2448]);
            Assert.False(byProcess.ContainsKey(0)); // a stopped service runs nowhere
        }

        [Fact]
        public void ReadsNothingOfAnEmptyList()
        {
            Assert.Empty(ServiceStatusProcessDecoder.Decode(new byte[16], 0, ServiceStatusBuffer.BaseAddress, 0, 8));
        }

        [Theory]
        [InlineData("count beyond the buffer")]
        [InlineData("name before the buffer")]
        [InlineData("name past the buffer")]
        [InlineData("name without NUL")]
        public void RejectsABrokenBufferWithFormatException(string damage)
        {
            byte[] buffer = ServiceStatusBuffer.Build(true, ("Dnscache", "DNS Client", 1320));
            int count = 1, length = buffer.Length;
            switch (damage)
            {
                case "count beyond the buffer": count = 2; break;
                case "name before the buffer": BitConverter.GetBytes(ServiceStatusBuffer.BaseAddress - 2).CopyTo(buffer, 0); break;
                case "name past the buffer": BitConverter.GetBytes(ServiceStatusBuffer.BaseAddress + (ulong)length).CopyTo(buffer, 0); break;
                case "name without NUL": length = 56 + 8; break; // cut inside "Dnscache"
            }
            Assert.Throws<FormatException>(() => ServiceStatusProcessDecoder.Decode(buffer, length, ServiceStatusBuffer.BaseAddress, count, 8));
        }

        private int _serviceListings;

        private List<PortConnection> List(ConnectionQuery query, Func<List<(string, int)>>? services = null)
        {
            var names = new Dictionary<int, string> { [1320] = "svchost", [2448] = "spoolsv", [300] = "app" };
            var source = new WindowsConnectionSource(
                (family, _) => family == 2 ? OwnerPidTable.Tcp4((2, "0.0.0.0", 53, "0.0.0.0", 0, 1320), (2, "0.0.0.0", 515, "0.0.0.0", 0, 2448),
                    (2, "0.0.0.0", 8080, "0.0.0.0", 0, 300), (11, "127.0.0.1", 50000, "127.0.0.1", 53, 0)) : OwnerPidTable.Tcp6(),
                _ => OwnerPidTable.Udp4(),
                () => names,
                _ => null,
                () =>
                {
                    _serviceListings++;
                    return services?.Invoke() ?? new List<(string, int)> { ("LanmanWorkstation", 1320), ("Dnscache", 1320), ("Spooler", 2448) };
                });
            return source.GetConnections(query, ListingDiagnostics.Silent, CancellationToken.None).ToList();
        }

        [Fact]
        public void AsksTheServiceControlManagerOnlyWhenAServiceIsFirstRead()
        {
            List<PortConnection> all = List(new ConnectionQuery());
            Assert.Equal(0, _serviceListings); // a plain listing costs nothing extra
            Assert.Equal("Dnscache, LanmanWorkstation", all.Single(c => c.LocalPort == 53).OwningService);
            Assert.Equal("Spooler", all.Single(c => c.LocalPort == 515).OwningService);
            Assert.Null(all.Single(c => c.LocalPort == 8080).OwningService); // a process that is no service
            Assert.Null(all.Single(c => c.State == TcpState.TimeWait).OwningService); // no owner
            Assert.Equal(1, _serviceListings); // once per listing, for every process
        }

        [Fact]
        public void FiltersOnAnyOfTheServicesAProcessHosts()
        {
            var query = new ConnectionQuery { ServiceNameMatches = name => name.StartsWith("Lanman", StringComparison.OrdinalIgnoreCase) };
            Assert.Equal(new[] { 53 }, List(query).Select(c => c.LocalPort));
            Assert.Equal(1, _serviceListings);
            Assert.Empty(List(new ConnectionQuery { ServiceNameMatches = name => name == "Dnscache, LanmanWorkstation" }));
        }

        [Fact]
        public void LeavesTheServiceEmptyWhenTheServiceControlManagerRefuses()
        {
            List<PortConnection> all = List(new ConnectionQuery(), () => throw new System.ComponentModel.Win32Exception(5));
            Assert.All(all, c => Assert.Null(c.OwningService));
        }
    }
}
