using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;

namespace PortTools.Services
{
    /// <summary>
    /// Reads this host's services(5) database with bounds: whoever controls the file (or a path swapped for a pipe
    /// or a device) must not hang a cmdlet, exhaust memory, or fail every later lookup of the session.
    /// </summary>
    internal static class HostServicesFile
    {
        // Debian's file is 13 KB, Fedora's (all of IANA) 0.7 MB and 11,000 lines; anything far beyond is not a services file.
        internal const long MaxBytes = 2 * 1024 * 1024;
        internal const int MaxLines = 100_000;
        // The longest real line is under 200 characters; longer lines are skipped as getservent(3) skips bad ones.
        internal const int MaxLineLength = 1024;

        /// <summary>What was read: the entries, and why the file was not used (null when it was, or is simply absent).</summary>
        internal readonly struct Result
        {
            internal Result(List<HostServiceEntry> entries, string? problem)
            {
                Entries = entries;
                Problem = problem;
            }

            internal List<HostServiceEntry> Entries { get; }
            internal string? Problem { get; }
        }

        /// <summary>
        /// The entries of <paramref name="path"/>. A missing file is no source and no problem (containers often have
        /// none). Only a file of 1 byte to <see cref="MaxBytes"/> is opened: pipes and devices report size 0 (stat(2)),
        /// so a FIFO, /dev/zero or /dev/urandom is never read; those, an oversized or unreadable file give a problem.
        /// </summary>
        internal static Result Read(string? path, CancellationToken cancellation)
        {
            var none = new List<HostServiceEntry>();
            if (path == null) return new Result(none, null);
            try
            {
                var file = new FileInfo(path);
                if (!file.Exists) return new Result(none, null);
                if (file.Length == 0) return new Result(none, $"{path} is empty or is not a regular file (a pipe or a device); it was not read.");
                if (file.Length > MaxBytes) return new Result(none, $"{path} is {file.Length:N0} bytes, more than a services file can be ({MaxBytes:N0}); it was not read.");
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan);
                // At most the size seen above: a file that grows meanwhile is read as it was.
                var bytes = new byte[file.Length];
                int length = 0;
                for (int read; length < bytes.Length && (read = stream.Read(bytes, length, bytes.Length - length)) > 0; length += read)
                    cancellation.ThrowIfCancellationRequested();
                var lines = new BoundedLineReader(new StringReader(Encoding.UTF8.GetString(bytes, 0, length)), cancellation);
                List<HostServiceEntry> entries = ServicesFileParser.Parse(lines);
                return lines.TooManyLines
                    ? new Result(none, $"{path} has more than {MaxLines:N0} lines, more than a services file can have; it was not used.")
                    : new Result(entries, null);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                return new Result(none, $"{path} could not be read: {e.Message}");
            }
        }

        /// <summary>Lines of at most <see cref="MaxLineLength"/> characters (longer ones skipped), at most <see cref="MaxLines"/>, cancellable.</summary>
        private sealed class BoundedLineReader : TextReader
        {
            private readonly TextReader _inner;
            private readonly CancellationToken _cancellation;
            private int _lines;

            internal BoundedLineReader(TextReader inner, CancellationToken cancellation)
            {
                _inner = inner;
                _cancellation = cancellation;
            }

            internal bool TooManyLines => _lines > MaxLines;

            public override string? ReadLine()
            {
                string? line;
                do
                {
                    _cancellation.ThrowIfCancellationRequested();
                    line = _inner.ReadLine();
                    if (line != null && ++_lines > MaxLines) return null;
                }
                while (line != null && line.Length > MaxLineLength);
                return line;
            }
        }
    }
}
