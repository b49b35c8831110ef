using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System;
using PortTools.Platform;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// xunit and Pester test the same DLL: the one build.ps1 -Task Build put in the module folder, which Pester
    /// imports (PortTools.Tests.csproj references it rather than compiling a copy of its own).
    /// </summary>
    public class BuiltModuleTests
    {
        private static readonly Assembly Loaded = typeof(Backends).Assembly;

        private static readonly string ModuleDll = typeof(BuiltModuleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PortToolsDll").Value!;

        [Fact]
        public void TheLoadedAssemblyIsTheModulesDll()
        {
            Assert.True(File.Exists(ModuleDll), ModuleDll);
            using (var file = new PEReader(File.OpenRead(ModuleDll)))
            {
                MetadataReader metadata = file.GetMetadataReader();
                Assert.Equal(metadata.GetGuid(metadata.GetModuleDefinition().Mvid), Loaded.ManifestModule.ModuleVersionId);
            }
            Assert.Equal(Sha256(ModuleDll), Sha256(Loaded.Location));
        }

        [Fact]
        public void ItCarriesTheModulesVersion()
        {
            string manifest = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ModuleDll)!, "PortTools.psd1"));
            var version = new Version(Regex.Match(manifest, @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value);
            Version loaded = Loaded.GetName().Version!;
            Assert.Equal((version.Major, version.Minor, version.Build), (loaded.Major, loaded.Minor, loaded.Build));
        }

        private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
    }
}
