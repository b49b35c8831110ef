using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// /proc/net/snmp and /proc/net/netstat (pairs of "Group: names" / "Group: values" lines; net/ipv4/proc.c)
    /// and /proc/net/snmp6 ("Name value" per line; net/ipv6/proc.c). Columns differ between kernels, so names
    /// are always zipped with values. Pure: text in, (group, nstat name, value) out, in file order.
    /// </summary>
    internal static class SnmpParser
    {
        private const int MaxGroupLength = 32;

        /// <summary>Parses the two-line format; the nstat name is group + column (TcpActiveOpens, TcpExtSyncookiesSent).</summary>
        internal static IEnumerable<(string Group, string Name, long Value)> ParsePairs(TextReader text)
        {
            string? header;
            while ((header = text.ReadLine()) != null)
            {
                if (header.Trim().Length == 0) continue;
                string? values = text.ReadLine();
                string[] names = header.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                string[] numbers = values?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? Array.Empty<string>();
                if (!names[0].EndsWith(":", StringComparison.Ordinal) || numbers.Length == 0 || numbers[0] != names[0])
                    throw new FormatException($"Expected a values line for '{names[0]}' after its header line.");
                if (numbers.Length != names.Length)
                    throw new FormatException($"'{names[0]}' has {names.Length - 1} names but {numbers.Length - 1} values.");
                string group = names[0].TrimEnd(':');
                // Every counter's name repeats its group, so a long group would cost its length once per column:
                // quadratic in the line. Groups are short words (the longest in Linux 6.x is MPTcpExt).
                if (group.Length > MaxGroupLength)
                    throw new FormatException($"'{group.Substring(0, MaxGroupLength)}...' ({group.Length} characters) is too long for a group name.");
                for (int i = 1; i < names.Length; i++)
                    yield return (group, group + names[i], Number(numbers[i], names[i]));
            }
        }

        /// <summary>Parses /proc/net/snmp6; the group is the name's prefix (Ip6, Icmp6, Udp6, UdpLite6).</summary>
        internal static IEnumerable<(string Group, string Name, long Value)> ParseSnmp6(TextReader text)
        {
            string? line;
            while ((line = text.ReadLine()) != null)
            {
                string[] f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (f.Length == 0) continue;
                if (f.Length != 2) throw new FormatException($"Expected 'Name value' in /proc/net/snmp6, got '{line}'.");
                int digit = f[0].IndexOf('6');
                yield return (digit > 0 ? f[0].Substring(0, digit + 1) : f[0], f[0], Number(f[1], f[0]));
            }
        }

        // Values are u64 counters, except "Tcp: MaxConn" which is -1 (RFC 4022: dynamic).
        private static long Number(string text, string name) =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value
            // Above 2^63 a u64 wraps; deltas taken modulo 2^64 stay right.
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong big) ? unchecked((long)big)
            : throw new FormatException($"Counter {name} has the value '{text}', which is not a number.");
    }
}
