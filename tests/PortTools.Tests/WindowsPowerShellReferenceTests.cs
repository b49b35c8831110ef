using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using PortTools.Models;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// Windows PowerShell 5.1 runs on .NET Framework 4.6.2+, which supplies netstandard 2.0 (its netstandard.dll
    /// facade) and System.Management.Automation, nothing else a module may assume: a reference to System.Memory,
    /// System.Runtime or any newer assembly would fail to load there without files shipped beside the module.
    /// </summary>
    public class WindowsPowerShellReferenceTests
    {
        [Fact]
        public void TheModuleReferencesOnlyNetStandard20AndSystemManagementAutomation()
        {
            string dll = typeof(PortConnection).Assembly.Location;
            using var stream = File.OpenRead(dll);
            using var pe = new PEReader(stream);
            MetadataReader metadata = pe.GetMetadataReader();
            var references = metadata.AssemblyReferences
                .Select(handle => metadata.GetAssemblyReference(handle))
                .Select(reference => (Name: metadata.GetString(reference.Name), reference.Version))
                .OrderBy(reference => reference.Name)
                .ToList();
            Assert.Equal(new[] { "netstandard", "System.Management.Automation" }, references.Select(r => r.Name));
            Assert.Equal(new System.Version(2, 0, 0, 0), references.Single(r => r.Name == "netstandard").Version);
            // PowerShellStandard.Library 5.1 is a reference assembly of 5.1's own API, version 3.0.0.0.
            Assert.True(references.Single(r => r.Name == "System.Management.Automation").Version.Major <= 3);
        }
    }
}
