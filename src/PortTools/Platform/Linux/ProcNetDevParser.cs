using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// /proc/net/dev (net/core/net-procfs.c, dev_seq_printf_stats): two header lines, then per interface
    /// "name: 8 receive counters | 8 transmit counters". Pure: text in, (name, counters) out.
    /// </summary>
    internal static class ProcNetDevParser
    {
        /// <summary>The columns in file order, named after the header ("rx_" or "tx_" + column), which is checked to name them so.</summary>
        internal static readonly string[] Columns =
        {
            "rx_bytes", "rx_packets", "rx_errs", "rx_drop", "rx_fifo", "rx_frame", "rx_compressed", "rx_multicast",
            "tx_bytes", "tx_packets", "tx_errs", "tx_drop", "tx_fifo", "tx_colls", "tx_carrier", "tx_compressed",
        };

        /// <summary>
        /// Each interface with its counters, by the policy of <see cref="ProcText"/>: header lines that do not name these
        /// columns in this order throw <see cref="InvalidDataException"/>; a line that cannot be read is left out and counted.
        /// </summary>
        internal static IEnumerable<(string Name, Dictionary<string, ulong> Counters)> Parse(TextReader text, string file, ListingDiagnostics diagnostics)
        {
            // "Inter-|   Receive ... |  Transmit", then the line that names the columns.
            bool hasRows = text.ReadLine() != null && ProcText.ReadHeader(text, file, NamesTheColumns,
                "face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed");
            return hasRows ? ProcText.ParseEach(ProcText.Lines(text), file, diagnostics, ParseLine)
                : Enumerable.Empty<(string, Dictionary<string, ulong>)>();
        }

        // " face |bytes ... multicast|bytes ... compressed": the receive columns, then the transmit ones, as Columns names them.
        private static bool NamesTheColumns(string header)
        {
            string[] parts = header.Split('|');
            return parts.Length == 3 &&
                ProcText.Words(parts[1]).Select(w => "rx_" + w).Concat(ProcText.Words(parts[2]).Select(w => "tx_" + w)).SequenceEqual(Columns);
        }

        private static (string Name, Dictionary<string, ulong> Counters) ParseLine(string line)
        {
            // Split on the first ':' only: a large first counter can touch it ("eth0:1234567890").
            int colon = line.IndexOf(':');
            if (colon < 0) throw new FormatException($"{ProcText.Quote(line)} has no ':'.");
            string name = line.Substring(0, colon).Trim();
            string[] values = ProcText.Words(line.Substring(colon + 1));
            if (values.Length < Columns.Length)
                throw new FormatException($"{ProcText.Quote(line)} has {values.Length} counters, expected {Columns.Length}.");
            var counters = new Dictionary<string, ulong>();
            for (int i = 0; i < Columns.Length; i++)
            {
                if (!ulong.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
                    throw new FormatException($"{ProcText.Quote(line)} has '{values[i]}' for {Columns[i]}.");
                counters[Columns[i]] = value;
            }
            return (name, counters);
        }
    }
}
