using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.NetworkInformation;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Counters from /proc/net/dev; index, MTU, state and rx_nohandler from /sys/class/net/NAME
    /// (Documentation/ABI/testing/sysfs-class-net). Both are per network namespace (sysfs as mounted for it).
    /// </summary>
    internal sealed class LinuxInterfaceStatisticSource : IInterfaceStatisticSource
    {
        private readonly ProcFs _proc;

        internal LinuxInterfaceStatisticSource(ProcFs proc) => _proc = proc;

        public IReadOnlyList<InterfaceStatistic> GetStatistics(ListingDiagnostics diagnostics)
        {
            string path = _proc.NetFile("dev");
            using TextReader? text = _proc.OpenText(path);
            if (text == null) throw new FileNotFoundException($"{path} cannot be read.", path);
            var result = new List<InterfaceStatistic>();
            foreach (var (name, counters) in ProcNetDevParser.Parse(text, path, diagnostics))
            {
                // Newer than /proc/net/dev (kernel 4.6); left out where it is missing.
                if (ReadNumber(name, "statistics/rx_nohandler") is long noHandler) counters["rx_nohandler"] = (ulong)noHandler;
                result.Add(Build(name, counters, (int)(ReadNumber(name, "ifindex") ?? 0), (int?)ReadNumber(name, "mtu"),
                    OperState(_proc.ReadText(_proc.InterfaceFile(name, "operstate")))));
            }
            return result;
        }

        /// <summary>The interface with the typed netstat -e counters made from the raw ones. Pure.</summary>
        internal static InterfaceStatistic Build(string name, Dictionary<string, ulong> counters, int index = 0, int? mtu = null,
            OperationalStatus state = OperationalStatus.Unknown)
        {
            ulong? Get(string key) => counters.TryGetValue(key, out ulong value) ? value : (ulong?)null;
            ulong packets = counters["rx_packets"], multicast = counters["rx_multicast"];
            return new InterfaceStatistic(name, counters)
            {
                InterfaceIndex = index,
                Mtu = mtu,
                State = state,
                ReceivedBytes = Get("rx_bytes"),
                ReceivedPackets = packets,
                // Linux counts received multicast (with broadcast, for most drivers) but not sent.
                ReceivedNonUnicastPackets = multicast,
                ReceivedUnicastPackets = packets >= multicast ? packets - multicast : 0,
                ReceivedDiscardedPackets = Get("rx_drop"),
                ReceivedPacketErrors = Get("rx_errs"),
                ReceivedUnknownProtocols = Get("rx_nohandler"),
                SentBytes = Get("tx_bytes"),
                SentPackets = Get("tx_packets"),
                SentDiscardedPackets = Get("tx_drop"),
                SentPacketErrors = Get("tx_errs"),
            };
        }

        /// <summary>operstate (RFC 2863 names, lower case) to .NET's OperationalStatus.</summary>
        internal static OperationalStatus OperState(string? text) => text?.Trim() switch
        {
            "up" => OperationalStatus.Up,
            "down" => OperationalStatus.Down,
            "testing" => OperationalStatus.Testing,
            "dormant" => OperationalStatus.Dormant,
            "notpresent" => OperationalStatus.NotPresent,
            "lowerlayerdown" => OperationalStatus.LowerLayerDown,
            _ => OperationalStatus.Unknown,
        };

        private long? ReadNumber(string name, string file) =>
            long.TryParse(_proc.ReadText(_proc.InterfaceFile(name, file))?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value)
                ? value : (long?)null;
    }
}
