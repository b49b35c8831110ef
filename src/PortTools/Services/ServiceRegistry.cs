using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace PortTools.Services
{
    /// <summary>
    /// The session's <see cref="PortRegistry"/>: the IANA registry shipped in the DLL, the curated names and
    /// this host's services database, read on first use and kept, so each lookup afterwards costs a dictionary probe.
    /// </summary>
    internal static class ServiceRegistry
    {
        /// <summary>Set by PortTools.csproj, which gzips Services/Data/iana-service-names-port-numbers.csv at build time.</summary>
        internal const string IanaResourceName = "PortTools.iana-services.csv.gz";

        private static readonly Lazy<PortRegistry> DefaultRegistry = new Lazy<PortRegistry>(() =>
            new PortRegistry(LoadIana(), CommonPortNames.All, LoadHostServices(Backends.HostServicesPath)));

        internal static PortRegistry Default => DefaultRegistry.Value;

        /// <summary>Get-PortConnection's LocalService and RemoteService: what netstat without -n prints.</summary>
        internal static string? NetstatName(int port, TransportProtocol protocol) =>
            Default.NetstatName(port, protocol == TransportProtocol.Tcp ? RegistryProtocol.Tcp : RegistryProtocol.Udp);

        internal static List<IanaRecord> LoadIana()
        {
            using TextReader reader = OpenIanaText();
            return IanaCsvParser.Parse(reader);
        }

        /// <summary>The CSV text as IANA published it, unzipped from the DLL.</summary>
        internal static TextReader OpenIanaText()
        {
            Stream stream = typeof(ServiceRegistry).Assembly.GetManifestResourceStream(IanaResourceName)
                ?? throw new InvalidDataException($"The module has no embedded resource '{IanaResourceName}'; it was built incorrectly.");
            return new StreamReader(new GZipStream(stream, CompressionMode.Decompress), Encoding.UTF8);
        }

        /// <summary>The host's services(5) file, or nothing when it is missing or unreadable: it is an optional source.</summary>
        internal static List<HostServiceEntry> LoadHostServices(string? path)
        {
            if (path == null) return new List<HostServiceEntry>();
            try
            {
                using var reader = new StreamReader(path, Encoding.UTF8);
                return ServicesFileParser.Parse(reader);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return new List<HostServiceEntry>();
            }
        }
    }
}
