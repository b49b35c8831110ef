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

        internal static List<IanaRecord> Parse(TextReader reader)
        {
            var records = new List<IanaRecord>(16384);
            using IEnumerator<(string[] Fields, int Line)> rows = ReadRows(reader).GetEnumerator();
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

        /// <summary>RFC 4180 records with the line each starts on; CRLF or LF ends a record outside quotes.</summary>
        internal static IEnumerable<(string[] Fields, int Line)> ReadRows(TextReader reader)
        {
            var fields = new List<string>(12);
            var field = new StringBuilder(256);
            int line = 1, recordLine = 1, c;
            bool quoted = false, any = false;
            while ((c = reader.Read()) >= 0)
            {
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                        else quoted = false;
                    }
                    else
                    {
                        if (c == '\n') line++;
                        field.Append((char)c);
                    }
                    continue;
                }
                switch (c)
                {
                    case '"' when field.Length == 0:
                        quoted = any = true;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        any = true;
                        break;
                    case '\r' when reader.Peek() == '\n':
                        break;
                    case '\n':
                        if (any || field.Length > 0) yield return (EndRecord(fields, field), recordLine);
                        any = false;
                        recordLine = ++line;
                        break;
                    default:
                        field.Append((char)c);
                        any = true;
                        break;
                }
            }
            if (quoted) throw new InvalidDataException($"IANA registry line {recordLine}: a quoted field never ends.");
            if (any || field.Length > 0) yield return (EndRecord(fields, field), recordLine);
        }

        private static string[] EndRecord(List<string> fields, StringBuilder field)
        {
            fields.Add(field.ToString());
            field.Clear();
            string[] record = fields.ToArray();
            fields.Clear();
            return record;
        }
    }
}
