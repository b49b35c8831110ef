using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace PortTools.Tests
{
    /// <summary>
    /// Property-based fuzzing of every decoder over mutated real captures (<see cref="FuzzTargets"/>), and the
    /// replay of every input it ever caught (tests/Fixtures/fuzz/&lt;decoder&gt;/). build.ps1 -Task Fuzz runs
    /// this class alone with a time budget per decoder.
    /// </summary>
    [Trait("Category", "Fuzz")]
    public class FuzzTests
    {
        private readonly ITestOutputHelper _output;

        public FuzzTests(ITestOutputHelper output) => _output = output;

        public static TheoryData<string> Decoders => new TheoryData<string>(FuzzTargets.All.Select(t => t.Name));

        [Theory]
        [MemberData(nameof(Decoders))]
        public void DecoderKeepsItsContractOnMutatedCaptures(string decoder)
        {
            FuzzSettings settings = FuzzSettings.FromEnvironment();
            FuzzReport report = FuzzTargets.Get(decoder).Fuzz(settings);
            _output.WriteLine(report.ToString());
            if (settings.ReportPath != null) File.AppendAllText(settings.ReportPath, report + Environment.NewLine);
            Assert.True(report.Truncations > 0 && report.Mutated >= Math.Min(settings.Cases, 1), $"{decoder} tried nothing: {report}");
        }

        [Theory]
        [MemberData(nameof(Decoders))]
        public void SavedFindingsStayFixed(string decoder)
        {
            string folder = Fixtures.PathOf("fuzz/" + decoder);
            if (!Directory.Exists(folder)) return;
            foreach (string file in Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal))
            {
                FuzzViolation? violation = FuzzTargets.Get(decoder).Replay(File.ReadAllBytes(file));
                Assert.True(violation == null, $"{Path.GetFileName(file)}: {violation?.Message}");
            }
        }

        [Fact]
        public void EveryFindingsFolderNamesADecoder()
        {
            string[] folders = Directory.GetDirectories(Fixtures.PathOf("fuzz")).Select(f => Path.GetFileName(f)).Where(f => f != "seeds").ToArray();
            Assert.All(folders, folder => Assert.Contains(folder, FuzzTargets.All.Select(t => t.Name)));
        }
    }
}
