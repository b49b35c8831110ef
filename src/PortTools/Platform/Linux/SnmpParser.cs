using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// /proc/net/snmp and /proc/net/netstat (pairs of "Group: names" / "Group: values" lines; net/ipv4/proc.c)
    /// and /proc/net/snmp6 ("Name value" per line; net/ipv6/proc.c). Columns differ between kernels, so names
    /// are always zipped with values. Pure: text in, (group, nstat name, value) out, in file order, by the policy of
    /// <see cref="ProcText"/> (these files have no header: a pair or line that cannot be read is left out and counted).
    /// </summary>
    internal static class SnmpParser
    {
        private const int MaxGroupLength = 32;

        /// <summary>Parses the two-line format; the nstat name is group + column (TcpActiveOpens, TcpExtSyncookiesSent).</summary>
        internal static IEnumerable<(string Group, string Name, long Value)> ParsePairs(TextReader text, string file, ListingDiagnostics diagnostics) =>
            ProcText.ParseEach(Pairs(ProcText.Lines(text)), file, diagnostics, ParsePair).SelectMany(counters => counters);

        /// <summary>Parses /proc/net/snmp6; the group is the name's prefix (Ip6, Icmp6, Udp6, UdpLite6).</summary>
        internal static IEnumerable<(string Group, string Name, long Value)> ParseSnmp6(TextReader text, string file, ListingDiagnostics diagnostics) =>
            ProcText.ParseEach(ProcText.Lines(text), file, diagnostics, line =>
            {
                string[] f = ProcText.Words(line);
                if (f.Length != 2) throw new FormatException($"{ProcText.Quote(line)} is not 'Name value'.");
                int digit = f[0].IndexOf('6');
                return (digit > 0 ? f[0].Substring(0, digit + 1) : f[0], f[0], Number(f[1], line));
            });

        // Each names line joined with the values line after it when both start with the same "Group:"; a line
        // without its partner (a file cut short) comes alone, and ParsePair rejects it.
        private static IEnumerable<string> Pairs(IEnumerable<string> lines)
        {
            string? pending = null;
            foreach (string line in lines)
            {
                if (pending != null && FirstWord(line) == FirstWord(pending))
                {
                    yield return pending + "\n" + line;
                    pending = null;
                    continue;
                }
                if (pending != null) yield return pending;
                pending = line;
            }
            if (pending != null) yield return pending;
        }

        private static List<(string Group, string Name, long Value)> ParsePair(string pair)
        {
            string[] lines = pair.Split('\n');
            string[] names = ProcText.Words(lines[0]);
            if (lines.Length != 2 || !names[0].EndsWith(":", StringComparison.Ordinal))
                throw new FormatException($"{ProcText.Quote(lines[0])} is not a 'Group: names' line followed by its values.");
            string[] numbers = ProcText.Words(lines[1]);
            if (numbers.Length != names.Length)
                throw new FormatException($"{ProcText.Quote(lines[0])} has {names.Length - 1} names but {numbers.Length - 1} values.");
            string group = names[0].TrimEnd(':');
            // Every counter's name repeats its group, so a long group would cost its length once per column:
            // quadratic in the line. Groups are short words (the longest in Linux 6.x is MPTcpExt).
            if (group.Length > MaxGroupLength)
                throw new FormatException($"{ProcText.Quote(group)} ({group.Length} characters) is too long for a group name.");
            var counters = new List<(string, string, long)>(names.Length - 1);
            for (int i = 1; i < names.Length; i++) counters.Add((group, group + names[i], Number(numbers[i], lines[1])));
            return counters;
        }

        private static string FirstWord(string line) => ProcText.Words(line).FirstOrDefault() ?? "";

        // Values are u64 counters, except "Tcp: MaxConn" which is -1 (RFC 4022: dynamic).
        private static long Number(string text, string line) =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value
            // Above 2^63 a u64 wraps; deltas taken modulo 2^64 stay right.
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong big) ? unchecked((long)big)
            : throw new FormatException($"{ProcText.Quote(line)} has {ProcText.Quote(text)}, which is not a number.");
    }
}
