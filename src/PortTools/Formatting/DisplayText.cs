using System.Globalization;
using System.Text;
using PortTools.Models;

namespace PortTools.Formatting
{
    /// <summary>
    /// Text for a terminal, from values other users choose (process names and paths, user and interface names,
    /// the services file). Control, format (bidi, zero-width) and separator characters are written visibly
    /// (\e, \n, \u202E), so a name cannot move the cursor, retitle the window, answer a terminal query or
    /// reorder what is around it. Every view cell of such text goes through here (from the format file or the other
    /// PortTools.Formatting classes); the objects keep the raw value.
    /// Not reversible (a literal backslash stays as it is): it is for reading, not for parsing.
    /// </summary>
    public static class DisplayText
    {
        /// <summary>The value as text with every unsafe character escaped; empty for null.</summary>
        public static string Escape(object? value)
        {
            string text = value?.ToString() ?? "";
            int first = FirstUnsafe(text);
            if (first < 0) return text; // the common case: nothing to copy
            var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
            for (int i = first; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    int codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                    if (IsUnsafe(text, i)) escaped.Append("\\u{").Append(codePoint.ToString("X", CultureInfo.InvariantCulture)).Append('}');
                    else escaped.Append(text, i, 2);
                    i++;
                }
                else if (IsUnsafe(text, i)) AppendEscape(escaped, text[i]);
                else escaped.Append(text[i]);
            }
            return escaped.ToString();
        }

        /// <summary>
        /// An endpoint ("address:port") escaped and cut to <paramref name="width"/> characters the way netstat cuts it: in
        /// the address, never the port, so a narrow table (80 columns, cron mail) still tells which port it is.
        /// "[2001:db8:85a3::8a2e:370:7334]:443" becomes "[2001:db8…370:7334]:443".
        /// </summary>
        public static string Endpoint(object? value, int width)
        {
            string text = Escape(value);
            int colon = text.LastIndexOf(':');
            if (text.Length <= width || colon <= 0) return text;
            string port = text.Substring(colon);
            int room = width - port.Length - 1; // what is left of the address beside the port and the ellipsis
            if (room < 2) return text;
            int head = (room + 1) / 2;
            string address = text.Substring(0, colon);
            return address.Substring(0, head) + "\u2026" + address.Substring(address.Length - (room - head)) + port;
        }

        /// <summary>Whether the text holds a character that <see cref="Escape"/> would rewrite.</summary>
        internal static bool IsSafe(string text) => FirstUnsafe(text) < 0;

        private static int FirstUnsafe(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c >= 0x20 && c < 0x7F) continue; // printable ASCII
                if (IsUnsafe(text, i)) return i;
                if (char.IsHighSurrogate(c)) i++; // a safe pair: its low half is not looked at alone
            }
            return -1;
        }

        /// <summary>
        /// C0 and C1 controls and DEL (terminal commands: ESC, CSI U+009B), format characters (Cf: bidi
        /// overrides such as U+202E, zero-width characters), line and paragraph separators, and lone surrogates.
        /// </summary>
        private static bool IsUnsafe(string text, int index)
        {
            char c = text[index];
            if (char.IsSurrogate(c))
            {
                bool paired = char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]);
                return !paired || CharUnicodeInfo.GetUnicodeCategory(text, index) == UnicodeCategory.Format;
            }
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                    return true;
                default:
                    return false;
            }
        }

        private static void AppendEscape(StringBuilder escaped, char c)
        {
            switch (c)
            {
                case '\0': escaped.Append("\\0"); break;
                case '\a': escaped.Append("\\a"); break;
                case '\b': escaped.Append("\\b"); break;
                case '\t': escaped.Append("\\t"); break;
                case '\n': escaped.Append("\\n"); break;
                case '\v': escaped.Append("\\v"); break;
                case '\f': escaped.Append("\\f"); break;
                case '\r': escaped.Append("\\r"); break;
                case '\u001B': escaped.Append("\\e"); break;
                default: escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
            }
        }
    }
}
