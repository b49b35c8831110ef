using System;
using System.IO;
using System.Text.RegularExpressions;

namespace PortTools.Tests
{
    /// <summary>Reads the captured inputs under tests/Fixtures (copied beside the test assembly), one folder per OS.</summary>
    internal static class Fixtures
    {
        internal static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

        internal static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

        internal static string Text(string relative) => File.ReadAllText(PathOf(relative));

        /// <summary>A hand-written golden record, Fixtures/macos/*.hex: hex pairs, whitespace ignored, '#' comments to the line's end.</summary>
        internal static byte[] MacHex(string name) =>
            Convert.FromHexString(Regex.Replace(Regex.Replace(Text("macos/" + name), "#.*", ""), @"\s", ""));

        internal static string Linux(string name) => PathOf("linux/" + name);

        internal static byte[] LinuxBytes(string name) => Bytes("linux/" + name);

        internal static StringReader LinuxText(string name) => new StringReader(Text("linux/" + name));
    }
}
