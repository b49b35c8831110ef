using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace PortTools.Platform.Linux
{
    /// <summary>User names by uid from /etc/passwd (passwd(5): name:password:uid:...). Pure parser.</summary>
    internal static class PasswdFile
    {
        internal static Dictionary<uint, string> Parse(TextReader? text)
        {
            var names = new Dictionary<uint, string>();
            string? line;
            while (text != null && (line = text.ReadLine()) != null)
            {
                string[] fields = line.Split(':');
                if (fields.Length > 2 && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
                    && !names.ContainsKey(uid))
                {
                    names.Add(uid, fields[0]);
                }
            }
            return names;
        }
    }
}
