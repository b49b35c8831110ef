using System;
using System.IO;

namespace PortTools.Tests
{
    /// <summary>Paths of the captured inputs under tests/Fixtures (copied beside the test assembly).</summary>
    internal static class Fixture
    {
        internal static string Path(string os, string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", os, name);

        internal static string Linux(string name) => Path("linux", name);

        internal static byte[] LinuxBytes(string name) => File.ReadAllBytes(Linux(name));

        internal static StringReader LinuxText(string name) => new StringReader(File.ReadAllText(Linux(name)));
    }
}
