using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace PortTools.Services
{
    /// <summary>
    /// Reads IANA's service-names-port-numbers.csv: RFC 4180 quoting, fields that span lines, IANA's own
    /// column names. Pure: text in, records out; anything malformed is an <see cref="InvalidDataException"/>
    /// naming the line, so a damaged registry fails the build's test instead of silently losing rows.
    /// </summary>
    internal static class IanaCsvParser
    {
        private static readonly string[] RequiredColumns =
            { "Service Name", "Port Number", "Transport Protocol", "Description", "Reference", "Assignment Notes" };

        internal static List<IanaRecord> Parse(TextReader reader) => Parse(reader.ReadToEnd());

        internal static List<IanaRecord> Parse(string text)
        {
            var records = new List<IanaRecord>(16384);
            using IEnumerator<(string[] Fields, int Line)> rows = ReadRows(text).GetEnumerator();
            if (!rows.MoveNext()) throw new InvalidDataException("The IANA registry is empty: no header row.");
            string[] header = rows.Current.Fields;
            int[] column = Array.ConvertAll(RequiredColumns, name =>
            {
                int index = Array.IndexOf(header, name);
                return index >= 0 ? index : throw new InvalidDataException($"The IANA registry has no '{name}' column.");
            });
            while (rows.MoveNext())
            {
                (string[] fields, int line) = rows.Current;
                if (fields.Length != header.Length)
                    throw new InvalidDataException($"IANA registry line {line}: {fields.Length} fields, expected {header.Length}.");
                (int first, int last) = ParsePorts(fields[column[1]], line);
                records.Add(new IanaRecord(fields[column[0]].Trim(), first, last, ParseProtocol(fields[column[2]], line),
                    fields[column[3]].Trim(), fields[column[4]].Trim(), fields[column[5]]));
            }
            return records;
        }

        /// <summary>"" (no port), "443", or a range "6000-6063".</summary>
        private static (int First, int Last) ParsePorts(string text, int line)
        {
            text = text.Trim();
            if (text.Length == 0) return (-1, -1);
            int dash = text.IndexOf('-');
            int first = ParsePort(dash < 0 ? text : text.Substring(0, dash), line);
            int last = dash < 0 ? first : ParsePort(text.Substring(dash + 1), line);
            if (last < first) throw new InvalidDataException($"IANA registry line {line}: port range '{text}' runs backwards.");
            return (first, last);
        }

        private static int ParsePort(string text, int line) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535
                ? port
                : throw new InvalidDataException($"IANA registry line {line}: '{text}' is not a port number.");

        private static RegistryProtocol? ParseProtocol(string text, int line) =>
            text.Trim().ToLowerInvariant() switch
            {
                "" => null,
                "tcp" => RegistryProtocol.Tcp,
                "udp" => RegistryProtocol.Udp,
                "sctp" => RegistryProtocol.Sctp,
                "dccp" => RegistryProtocol.Dccp,
                _ => throw new InvalidDataException($"IANA registry line {line}: unknown transport protocol '{text}'."),
            };

        private static readonly char[] FieldEnds = { ',', '\r', '\n' };

        /// <summary>
        /// RFC 4180 records with the line each starts on; CRLF or LF ends a record outside quotes. Scans one string
        /// with IndexOf rather than a reader char by char: the registry is 1.1 MB and is parsed once per session.
        /// </summary>
        internal static IEnumerable<(string[] Fields, int Line)> ReadRows(string text)
        {
            var fields = new List<string>(12);
            int pos = 0, line = 1, length = text.Length;
            while (pos < length)
            {
                if (text[pos] == '\n' || (text[pos] == '\r' && pos + 1 < length && text[pos + 1] == '\n'))
                {
                    pos += text[pos] == '\r' ? 2 : 1; // a blank line
                    line++;
                    continue;
                }
                int recordLine = line;
                fields.Clear();
                while (true)
                {
                    if (pos < length && text[pos] == '"')
                    {
                        fields.Add(ReadQuoted(text, ref pos, ref line, recordLine));
                    }
                    else
                    {
                        int end = text.IndexOfAny(FieldEnds, pos);
                        if (end < 0) end = length;
                        fields.Add(text.Substring(pos, end - pos));
                        pos = end;
                    }
                    if (pos >= length) break;
                    char next = text[pos];
                    if (next == ',') { pos++; continue; }
                    if (next == '\n') { pos++; line++; break; }
                    if (next == '\r' && pos + 1 < length && text[pos + 1] == '\n') { pos += 2; line++; break; }
                    throw new InvalidDataException($"IANA registry line {line}: unexpected character '{next}' after a field.");
                }
                yield return (fields.ToArray(), recordLine);
            }
        }

        /// <summary>A field in quotes, from its opening quote; "" inside stands for one quote, line breaks are kept.</summary>
        private static string ReadQuoted(string text, ref int pos, ref int line, int recordLine)
        {
            StringBuilder? unescaped = null;
            int start = ++pos;
            while (true)
            {
                int quote = text.IndexOf('"', pos);
                if (quote < 0) throw new InvalidDataException($"IANA registry line {recordLine}: a quoted field never ends.");
                for (int i = pos; i < quote; i++)
                {
                    if (text[i] == '\n') line++;
                }
                if (quote + 1 < text.Length && text[quote + 1] == '"')
                {
                    (unescaped ??= new StringBuilder()).Append(text, start, quote + 1 - start);
                    pos = start = quote + 2;
                    continue;
                }
                pos = quote + 1;
                return unescaped == null ? text.Substring(start, quote - start) : unescaped.Append(text, start, quote - start).ToString();
            }
        }
    }
}
