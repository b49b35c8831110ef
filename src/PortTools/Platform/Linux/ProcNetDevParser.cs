using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// /proc/net/dev (net/core/net-procfs.c, dev_seq_printf_stats): two header lines, then per interface
    /// "name: 8 receive counters | 8 transmit counters". Pure: text in, (name, counters) out.
    /// </summary>
    internal static class ProcNetDevParser
    {
        /// <summary>The columns in file order, named after the header ("rx_" or "tx_" + column).</summary>
        internal static readonly string[] Columns =
        {
            "rx_bytes", "rx_packets", "rx_errs", "rx_drop", "rx_fifo", "rx_frame", "rx_compressed", "rx_multicast",
            "tx_bytes", "tx_packets", "tx_errs", "tx_drop", "tx_fifo", "tx_colls", "tx_carrier", "tx_compressed",
        };

        internal static IEnumerable<(string Name, Dictionary<string, ulong> Counters)> Parse(TextReader text)
        {
            text.ReadLine();
            text.ReadLine();
            string? line;
            while ((line = text.ReadLine()) != null)
            {
                if (line.Trim().Length == 0) continue;
                // Split on the first ':' only: a large first counter can touch it ("eth0:1234567890").
                int colon = line.IndexOf(':');
                if (colon < 0) throw new FormatException($"/proc/net/dev line has no ':': '{line}'.");
                string name = line.Substring(0, colon).Trim();
                string[] values = line.Substring(colon + 1).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (values.Length < Columns.Length)
                    throw new FormatException($"/proc/net/dev line for {name} has {values.Length} counters, expected {Columns.Length}.");
                var counters = new Dictionary<string, ulong>();
                for (int i = 0; i < Columns.Length; i++)
                {
                    if (!ulong.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
                        throw new FormatException($"/proc/net/dev counter {Columns[i]} of {name} is '{values[i]}'.");
                    counters[Columns[i]] = value;
                }
                yield return (name, counters);
            }
        }
    }
}
