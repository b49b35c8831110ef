using System.Collections.Generic;
using System.IO;
using System;
using PortTools.Formatting;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// The one parse policy of the /proc text tables (/proc/net/tcp and kin, route, ipv6_route, dev, snmp, netstat,
    /// snmp6). A header that is not the one this version reads means the file is in a format it does not know: the
    /// listing stops with <see cref="InvalidDataException"/> (a ReadError), since every row would be misread. A line
    /// that cannot be read is left out and counted, and the listing warns once per file with the count and the first
    /// reason: one odd line does not make the rest of the table wrong. An empty file is an empty table.
    /// </summary>
    internal static class ProcText
    {
        // What a message quotes of a line read from the system: escaped, and cut to stay readable.
        private const int MaxQuoted = 120;

        /// <summary>
        /// Parses each record (a line, or the two lines of a /proc/net/snmp pair) with <paramref name="parse"/>, which
        /// throws <see cref="FormatException"/> for one it cannot read; those are left out and, once the file is read
        /// to its end, reported in one warning.
        /// </summary>
        internal static IEnumerable<T> ParseEach<T>(IEnumerable<string> records, string file, ListingDiagnostics diagnostics, Func<string, T> parse)
        {
            int skipped = 0;
            string? firstReason = null;
            foreach (string record in records)
            {
                T item;
                try
                {
                    item = parse(record);
                }
                catch (FormatException e)
                {
                    if (skipped++ == 0) firstReason = e.Message;
                    continue;
                }
                yield return item;
            }
            if (skipped > 0)
            {
                diagnostics.WarnOnce("MalformedLines " + file, (skipped == 1 ? $"1 line of {file} could not be read and was" : $"{skipped} lines of {file} could not be read and were") +
                    $" left out; the rest of the table is listed. The first: {firstReason}");
            }
        }

        /// <summary>The lines that follow, without blank ones.</summary>
        internal static IEnumerable<string> Lines(TextReader text)
        {
            string? line;
            while ((line = text.ReadLine()) != null)
            {
                if (line.Trim().Length > 0) yield return line;
            }
        }

        /// <summary>
        /// Reads the header line; throws <see cref="InvalidDataException"/> unless <paramref name="expected"/> accepts it.
        /// False at the end of the file (an empty file: no header, no rows).
        /// </summary>
        internal static bool ReadHeader(TextReader text, string file, Func<string, bool> expected, string described)
        {
            string? header = text.ReadLine();
            if (header == null) return false;
            if (!expected(header))
                throw new InvalidDataException($"{file} does not start with the header this version reads ({described}) but with {Quote(header)}.");
            return true;
        }

        /// <summary>A line split on blanks.</summary>
        internal static string[] Words(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

        /// <summary>A line read from the system, for a message: quoted, escaped (interface names may hold control characters), cut.</summary>
        internal static string Quote(string line) =>
            "'" + DisplayText.Escape(line.Length > MaxQuoted ? line.Substring(0, MaxQuoted) + "..." : line) + "'";
    }
}
