using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System;
using PortTools.Models;

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
            (int[] column, int width) = ReadHeader(text);
            foreach ((string[] fields, int line) in DataRows(text, width, null))
            {
                (int first, int last) = ParsePorts(fields[column[1]], line);
                records.Add(new IanaRecord(fields[column[0]].Trim(), first, last, ParseProtocol(fields[column[2]], line),
                    fields[column[3]].Trim(), fields[column[4]].Trim(), fields[column[5]]));
            }
            return records;
        }

        /// <summary>
        /// Only what netstat prints: IANA's preferred name for each (port, protocol) key (<see cref="PortRegistry.Key"/>),
        /// the first row that is no alias or duplicate, else the first row, as <see cref="PortRegistry"/> orders them.
        /// A fraction of <see cref="Parse(string)"/>'s time and memory (the other fields are skipped, not copied): LocalService
        /// is read by every Export-Csv, and a scheduled script pays this on each run.
        /// </summary>
        internal static Dictionary<int, string> ParseNetstatNames(string text)
        {
            (int[] column, int width) = ReadHeader(text);
            var keep = new bool[width];
            foreach (int index in new[] { column[0], column[1], column[2], column[5] }) keep[index] = true;
            var names = new Dictionary<int, string>(16384);
            var aliases = new HashSet<int>(); // keys whose name so far is an alias: the first preferred row replaces it
            foreach ((string[] fields, int line) in DataRows(text, width, keep))
            {
                string name = fields[column[0]].Trim();
                (int first, int last) = ParsePorts(fields[column[1]], line);
                RegistryProtocol? protocol = ParseProtocol(fields[column[2]], line);
                if (name.Length == 0 || first < 0) continue;
                bool alias = IanaRecord.ParseAliasOf(fields[column[5]]) != null;
                foreach (RegistryProtocol each in protocol is RegistryProtocol one ? new[] { one } : PortRegistry.TcpAndUdp)
                {
                    for (int port = first; port <= last; port++)
                    {
                        int key = PortRegistry.Key(port, each);
                        if (names.ContainsKey(key) && (alias || !aliases.Contains(key))) continue;
                        names[key] = name;
                        if (alias) aliases.Add(key); else aliases.Remove(key);
                    }
                }
            }
            return names;
        }

        // The columns PortTools reads, in RequiredColumns order, and how many fields every row must have.
        private static (int[] Column, int Width) ReadHeader(string text)
        {
            foreach ((string[] header, int _) in ReadRows(text))
            {
                return (Array.ConvertAll(RequiredColumns, name =>
                {
                    int index = Array.IndexOf(header, name);
                    return index >= 0 ? index : throw new InvalidDataException($"The IANA registry has no '{name}' column.");
                }), header.Length);
            }
            throw new InvalidDataException("The IANA registry is empty: no header row.");
        }

        // The rows after the header, each checked to have the header's width.
        private static IEnumerable<(string[] Fields, int Line)> DataRows(string text, int width, bool[]? keep)
        {
            bool header = true;
            foreach ((string[] fields, int line) in ReadRows(text, keep))
            {
                if (header) { header = false; continue; }
                if (fields.Length != width)
                    throw new InvalidDataException($"IANA registry line {line}: {fields.Length} fields, expected {width}.");
                yield return (fields, line);
            }
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
        /// <param name="text">The CSV text.</param>
        /// <param name="keep">Which fields to copy out (null: all); the others are only stepped over and read as null.</param>
        internal static IEnumerable<(string[] Fields, int Line)> ReadRows(string text, bool[]? keep = null)
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
                    bool copy = keep == null || fields.Count >= keep.Length || keep[fields.Count];
                    if (pos < length && text[pos] == '"')
                    {
                        fields.Add(ReadQuoted(text, ref pos, ref line, recordLine, copy));
                    }
                    else
                    {
                        int end = text.IndexOfAny(FieldEnds, pos);
                        if (end < 0) end = length;
                        fields.Add(copy ? text.Substring(pos, end - pos) : null!);
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
        private static string ReadQuoted(string text, ref int pos, ref int line, int recordLine, bool copy)
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
                    if (!copy) { pos = quote + 2; continue; }
                    (unescaped ??= new StringBuilder()).Append(text, start, quote + 1 - start);
                    pos = start = quote + 2;
                    continue;
                }
                pos = quote + 1;
                if (!copy) return null!;
                return unescaped == null ? text.Substring(start, quote - start) : unescaped.Append(text, start, quote - start).ToString();
            }
        }
    }
}
