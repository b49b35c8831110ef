using System.Collections.Generic;
using System.Diagnostics;
using System.IO.Compression;
using System.IO;
using System.Text;
using System.Threading;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Services
{
    /// <summary>
    /// The session's <see cref="PortRegistry"/>: the IANA registry shipped in the DLL, the curated names and
    /// this host's services database. The registry is kept, so each lookup costs a dictionary probe; it is built
    /// again when the services file changes (looked at no more than once a second), and a failure is never kept:
    /// the next use tries again.
    /// </summary>
    internal static class ServiceRegistry
    {
        /// <summary>Set by PortTools.csproj, which gzips Services/Data/iana-service-names-port-numbers.csv at build time.</summary>
        internal const string IanaResourceName = "PortTools.iana-services.csv.gz";

        private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(1);
        private static readonly object Gate = new object();
        private static readonly Stopwatch SinceChecked = Stopwatch.StartNew();
        private static List<IanaRecord>? _iana; // embedded in the DLL: it cannot change
        private static HostFile? _hostFile;
        private static Snapshot? _current;
        private static NetstatCache? _netstat;

        /// <summary>The services file as read, and what tells that it changed.</summary>
        internal sealed class HostFile
        {
            internal HostFile(HostServicesFile.Result result, (bool, long, DateTime) stamp)
            {
                Result = result;
                Stamp = stamp;
            }

            internal HostServicesFile.Result Result { get; }
            internal (bool Exists, long Length, DateTime Written) Stamp { get; }
        }

        /// <summary>The registry and why the host's services file is not in it (null when it is, or is absent).</summary>
        internal sealed class Snapshot
        {
            internal Snapshot(PortRegistry registry, HostFile host)
            {
                Registry = registry;
                Host = host;
            }

            internal PortRegistry Registry { get; }
            internal string? HostProblem => Host.Result.Problem;
            internal HostFile Host { get; }
        }

        private sealed class NetstatCache
        {
            internal NetstatCache(HostFile host, NetstatNames names)
            {
                Host = host;
                Names = names;
            }

            internal HostFile Host { get; }
            internal NetstatNames Names { get; }
        }

        internal static PortRegistry Default => Current(CancellationToken.None).Registry;

        /// <summary>
        /// The registry as of now. Throws <see cref="InvalidDataException"/> when the module's own IANA data is
        /// broken (a bad build), <see cref="OperationCanceledException"/> when stopped while the file is read.
        /// </summary>
        internal static Snapshot Current(CancellationToken cancellation)
        {
            HostFile host = CurrentHostFile(cancellation);
            Snapshot? current = Volatile.Read(ref _current);
            if (current != null && current.Host == host) return current;
            lock (Gate)
            {
                if (_current != null && _current.Host == host) return _current;
                _iana ??= LoadIana();
                var snapshot = new Snapshot(new PortRegistry(_iana, CommonPortNames.All, host.Result.Entries), host);
                Volatile.Write(ref _current, snapshot);
                return snapshot;
            }
        }

        /// <summary>
        /// Get-PortConnection's LocalService and RemoteService: what netstat without -n prints. From
        /// <see cref="NetstatNames"/> and <see cref="IanaNetstatNames"/>, not the whole registry: every Export-Csv reads
        /// them, and a scheduled script starts a new session each run.
        /// </summary>
        internal static string? NetstatName(int port, TransportProtocol protocol)
        {
            HostFile host = CurrentHostFile(CancellationToken.None);
            NetstatCache? cache = Volatile.Read(ref _netstat);
            if (cache == null || cache.Host != host)
            {
                lock (Gate)
                {
                    cache = _netstat;
                    if (cache == null || cache.Host != host)
                    {
                        cache = new NetstatCache(host, new NetstatNames(IanaNetstatNames.Find, CommonPortNames.All, host.Result.Entries));
                        Volatile.Write(ref _netstat, cache);
                    }
                }
            }
            return cache.Names.Lookup(port, protocol == TransportProtocol.Tcp ? RegistryProtocol.Tcp : RegistryProtocol.Udp);
        }

        /// <summary>The services file as last read; looked at again (stat only, unless it changed) after a second.</summary>
        private static HostFile CurrentHostFile(CancellationToken cancellation)
        {
            HostFile? host = Volatile.Read(ref _hostFile);
            if (host != null && SinceChecked.Elapsed < RecheckAfter) return host;
            lock (Gate)
            {
                SinceChecked.Restart();
                (bool, long, DateTime) stamp = StampOf(Backends.HostServicesPath);
                if (_hostFile != null && _hostFile.Stamp.Equals(stamp)) return _hostFile;
                host = new HostFile(HostServicesFile.Read(Backends.HostServicesPath, cancellation), stamp);
                Volatile.Write(ref _hostFile, host);
                return host;
            }
        }

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

        /// <summary>What tells that the services file changed: whether it exists, its size and when it was written.</summary>
        private static (bool, long, DateTime) StampOf(string path)
        {
            try
            {
                var file = new FileInfo(path);
                return file.Exists ? (true, file.Length, file.LastWriteTimeUtc) : (false, 0L, default(DateTime));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return (false, -1L, default(DateTime));
            }
        }
    }
}
