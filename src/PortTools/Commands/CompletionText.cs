using System.Globalization;
using System.Linq;
using System.Management.Automation.Language;
using System.Management.Automation;
using System.Text;
using PortTools.Formatting;

namespace PortTools.Commands
{
    /// <summary>
    /// What every completer of the module inserts. Completed values come from other users (any user can name a
    /// process "$(gci|ri)"), and the admin presses Enter on them: the text must read back as exactly one literal
    /// argument, whatever the value holds.
    /// </summary>
    internal static class CompletionText
    {
        /// <summary>
        /// A completion for <paramref name="value"/>; for a parameter that takes wildcards, its wildcard characters
        /// are escaped too, so that it matches only itself. The menu shows the value with control characters escaped.
        /// </summary>
        internal static CompletionResult For(string value, bool wildcard = false)
        {
            string argument = wildcard ? WildcardPattern.Escape(value) : value;
            string shown = DisplayText.Escape(value);
            return new CompletionResult(Quote(argument), shown, CompletionResultType.ParameterValue, shown);
        }

        /// <summary>
        /// The text PowerShell parses back as exactly <paramref name="value"/>: bare when it is a plain word,
        /// else in single quotes, or in double quotes with each unsafe character as a $([char]0xNN) subexpression
        /// when it holds characters a command line must not carry raw (control, bidi, separators). Works in
        /// Windows PowerShell 5.1 too, which has no `e or `u{} escapes.
        /// </summary>
        internal static string Quote(string value)
        {
            if (IsPlainWord(value)) return value;
            if (DisplayText.IsSafe(value)) return "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
            var quoted = new StringBuilder("\"");
            foreach (char c in value)
            {
                if (!DisplayText.IsSafe(c.ToString()))
                    quoted.Append("$([char]0x").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append(')');
                else
                {
                    // In double quotes these start an escape, a variable or end the string (PowerShell also reads
                    // the typographic double quotes as quotes); the backtick makes each one literal.
                    if (c == '`' || c == '$' || c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E') quoted.Append('`');
                    quoted.Append(c);
                }
            }
            return quoted.Append('"').ToString();
        }

        /// <summary>
        /// A word PowerShell reads back unchanged without quotes: a decimal number without leading zeros (a port),
        /// or an ASCII letter or '_' first (a digit could make a number of "1kb" or "0x10", a '-' a parameter
        /// name), then only ASCII letters, digits, '_', '.' and '-'.
        /// </summary>
        private static bool IsPlainWord(string value)
        {
            if (value.Length > 0 && value.Length < 10 && value[0] != '0' && value.All(c => c >= '0' && c <= '9')) return true;
            if (value.Length == 0 || !(IsAsciiLetter(value[0]) || value[0] == '_')) return false;
            foreach (char c in value)
            {
                if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) return false;
            }
            return true;
        }

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
