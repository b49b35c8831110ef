using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace PortTools.Tests
{
    /// <summary>
    /// How long to fuzz, from the environment: a bounded run by default (part of every test run), a longer one
    /// on demand (build.ps1 -Task Fuzz sets PORTTOOLS_FUZZ_SECONDS).
    /// </summary>
    internal sealed class FuzzSettings
    {
        // 1000 mutated cases per decoder keeps the whole suite to about 10 s on a 2-core machine.
        private const int DefaultCases = 1000;
        private const ulong DefaultSeed = 20251201;

        /// <summary>Mutated cases per decoder (PORTTOOLS_FUZZ_CASES), unless <see cref="Budget"/> is set.</summary>
        internal int Cases { get; private set; } = DefaultCases;

        /// <summary>Time per decoder (PORTTOOLS_FUZZ_SECONDS): run rounds of cases until it is spent.</summary>
        internal TimeSpan? Budget { get; private set; }

        /// <summary>PORTTOOLS_FUZZ_SEED: fixed, so that a failure reproduces; change it to explore other inputs.</summary>
        internal ulong Seed { get; private set; } = DefaultSeed;

        /// <summary>PORTTOOLS_FUZZ_REPORT: a file that gets one line of figures per decoder.</summary>
        internal string? ReportPath { get; private set; }

        internal static FuzzSettings FromEnvironment()
        {
            var settings = new FuzzSettings();
            if (Environment.GetEnvironmentVariable("PORTTOOLS_FUZZ_CASES") is string cases) settings.Cases = int.Parse(cases, CultureInfo.InvariantCulture);
            if (Environment.GetEnvironmentVariable("PORTTOOLS_FUZZ_SECONDS") is string seconds)
                settings.Budget = TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture));
            if (Environment.GetEnvironmentVariable("PORTTOOLS_FUZZ_SEED") is string seed) settings.Seed = ulong.Parse(seed, CultureInfo.InvariantCulture);
            settings.ReportPath = Environment.GetEnvironmentVariable("PORTTOOLS_FUZZ_REPORT");
            return settings;
        }

        public override string ToString() =>
            $"PORTTOOLS_FUZZ_SEED={Seed}, " + (Budget is TimeSpan budget ? $"PORTTOOLS_FUZZ_SECONDS={budget.TotalSeconds}" : $"PORTTOOLS_FUZZ_CASES={Cases}");
    }

    /// <summary>What one decoder's run tried, for the test output and the Fuzz task's report.</summary>
    internal sealed class FuzzReport
    {
        internal FuzzReport(string name) => Name = name;

        internal string Name { get; }
        internal int Truncations { get; set; }
        internal int Mutated { get; set; }
        internal int Rejected { get; set; }
        internal long MostAllocated { get; set; }

        /// <summary>The most bytes one decode allocated per byte of its input (plus 1 KB, so tiny inputs do not dominate).</summary>
        internal double AllocationRatio { get; set; }
        internal TimeSpan Elapsed { get; set; }
        internal TimeSpan Slowest { get; set; }

        public override string ToString()
        {
            int inputs = Truncations + Mutated;
            return string.Format(CultureInfo.InvariantCulture,
                "{0}: {1} inputs ({2} truncations of the seeds, {3} mutated) in {4:F1} s, {5:F0}/s; {6} rejected cleanly; slowest {7:F1} ms; most allocated {8} KB, at most {9:F1} bytes per input byte",
                Name, inputs, Truncations, Mutated, Elapsed.TotalSeconds, inputs / Math.Max(Elapsed.TotalSeconds, 0.001), Rejected,
                Slowest.TotalMilliseconds, MostAllocated / 1024, AllocationRatio);
        }
    }

    /// <summary>One input breaking the contract: <see cref="Signature"/> tells a crash from the same crash.</summary>
    internal sealed class FuzzViolation : Exception
    {
        internal FuzzViolation(string signature, string message) : base(message) => Signature = signature;

        internal string Signature { get; }
    }

    /// <summary>A decoder returned something no input can make true (a 17-bit port); thrown by the target, never a clean rejection.</summary>
    internal sealed class ImpossibleValueException : Exception
    {
        internal ImpossibleValueException(string what) : base($"Decoded {what}.") { }
    }

    /// <summary>A decoder as the fuzz tests see it, whatever its input.</summary>
    internal interface IFuzzTarget
    {
        string Name { get; }

        FuzzReport Fuzz(FuzzSettings settings);

        /// <summary>The contract violated by a saved input, or null when the decoder keeps it.</summary>
        FuzzViolation? Replay(byte[] file);
    }

    /// <summary>
    /// The property every decoder is held to: on any input it returns (fully enumerated) or throws one of its
    /// documented rejections, which the cmdlets turn into a clean error record (Commands/BackendFailure.cs maps
    /// FormatException, the InvalidDataException of a /proc table with an unknown header and of the macOS statistics
    /// structs' rejection, to ReadError;
    /// Resolve-WellKnownPort maps the IANA parser's InvalidDataException; the /proc tables without a header skip
    /// what they cannot read and have none). Any other exception is a bug, and so are one
    /// input taking more than <see cref="TimeBound"/>, allocations beyond <see cref="AllocationBound"/>, and a
    /// result no input can make true (<see cref="ImpossibleValueException"/>, thrown by the target's checks).
    /// </summary>
    internal sealed class FuzzTarget<T> : IFuzzTarget
    {
        private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(1);
        // A decoder stuck in a loop never returns to be timed: the watchdog gives up on it after this.
        private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(15);
        private const int BatchSize = 500;

        private readonly IReadOnlyList<(string Name, T[] Data)> _seeds;
        private readonly FuzzMutator<T> _mutator;
        private readonly Func<T[], Action> _bind;
        private readonly Type[] _rejections;
        private readonly Func<T[], byte[]> _toFile;
        private readonly Func<byte[], T[]> _fromFile;
        private readonly Func<T[], string> _describe;
        private readonly int _bytesPerElement;
        private readonly string _extension;
        private readonly Predicate<T>? _lineEnd;
        private volatile InFlight? _inFlight;
        private (T[] Input, FuzzViolation Violation)? _smallestFailure;

        internal FuzzTarget(string name, IReadOnlyList<(string Name, T[] Data)> seeds, FuzzMutator<T> mutator, Func<T[], Action> bind,
            Type[] rejections, Func<T[], byte[]> toFile, Func<byte[], T[]> fromFile, Func<T[], string> describe, int bytesPerElement, string extension,
            Predicate<T>? lineEnd = null)
        {
            _lineEnd = lineEnd;
            Name = name;
            _seeds = seeds;
            _mutator = mutator;
            _bind = bind;
            _rejections = rejections;
            _toFile = toFile;
            _fromFile = fromFile;
            _describe = describe;
            _bytesPerElement = bytesPerElement;
            _extension = extension;
        }

        public string Name { get; }

        public override string ToString() => Name;

        /// <summary>
        /// The allowance for one decode. A decoder copies what it reads a bounded number of times: the line, the
        /// fields split from it (a string object and an array slot each), the decoded objects. Measured over
        /// millions of mutated inputs: at most 32 bytes per input byte on large inputs (passwd split into 100,000
        /// empty fields; /proc/net/snmp reached 40 before its group names were capped, see SnmpParser), and fixed
        /// costs up to 160 KB on small ones (the ICMP statistics' 512 named counters, the IANA parser's
        /// 16384-record list).
        /// What the bound is for: a length or count field trusted for an allocation, which costs what the field
        /// says (megabytes to gigabytes), and anything quadratic in the input.
        /// </summary>
        private long AllocationBound(int elements) => 64L * elements * _bytesPerElement + 256 * 1024;

        public FuzzReport Fuzz(FuzzSettings settings)
        {
            var report = new FuzzReport(Name);
            var clock = Stopwatch.StartNew();
            RunGuarded(() =>
            {
                try
                {
                    // Every seed cut at every position: truncation at each record, field and byte boundary.
                    foreach ((string _, T[] data) in _seeds)
                    {
                        foreach (int cut in Cuts(data.Length))
                        {
                            Verify(data.Take(cut).ToArray(), report);
                            report.Truncations++;
                        }
                    }
                    Arbitrary<FuzzCase> cases = Arb.From(_mutator.Cases(), c => c.Shrink());
                    for (int round = 0; settings.Budget is TimeSpan budget ? clock.Elapsed < budget : report.Mutated < settings.Cases; round++)
                    {
                        int batch = settings.Budget != null ? BatchSize : Math.Min(BatchSize, settings.Cases - report.Mutated);
                        Config config = Config.QuickThrowOnFailure.WithQuietOnSuccess(true).WithMaxTest(batch)
                            .WithReplay(FSharpOption<Replay>.Some(new Replay(RoundSeed(settings.Seed, round), FSharpOption<int>.None)));
                        try
                        {
                            FsCheck.Check.One(config, Prop.ForAll(cases, (FuzzCase c) =>
                            {
                                report.Mutated++;
                                Verify(_mutator.Apply(c), report);
                            }));
                        }
                        catch (Exception e) when (_smallestFailure != null)
                        {
                            throw Finding($"FsCheck round {round} ({settings}): {e.Message}");
                        }
                    }
                }
                catch (FuzzViolation e) // a truncated seed
                {
                    throw Finding($"{e.Message} ({settings})");
                }
            });
            report.Elapsed = clock.Elapsed;
            return report;
        }

        public FuzzViolation? Replay(byte[] file) => Check(_fromFile(file), null);

        /// <summary>Every cut of a seed, or about a thousand evenly spread over a long one (the IANA slices).</summary>
        private static IEnumerable<int> Cuts(int length)
        {
            int step = Math.Max(1, length / 1024);
            return Enumerable.Range(0, length + 1).Where(i => i % step == 0 || i == length);
        }

        private void Verify(T[] input, FuzzReport report)
        {
            if (Check(input, report) is FuzzViolation violation)
            {
                if (_smallestFailure is not { } smallest || input.Length < smallest.Input.Length) _smallestFailure = (input, violation);
                throw violation;
            }
        }

        /// <summary>Runs the decoder once on <paramref name="input"/>, timed and with its allocations counted.</summary>
        private FuzzViolation? Check(T[] input, FuzzReport? report)
        {
            Action decode = _bind(input);
            _inFlight = new InFlight(input, Stopwatch.GetTimestamp());
            Exception? thrown = null;
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            try
            {
                decode();
            }
            catch (Exception e)
            {
                thrown = e;
            }
            clock.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            _inFlight = null;
            if (report != null)
            {
                if (thrown != null) report.Rejected++;
                if (clock.Elapsed > report.Slowest) report.Slowest = clock.Elapsed;
                report.MostAllocated = Math.Max(report.MostAllocated, allocated);
                report.AllocationRatio = Math.Max(report.AllocationRatio, allocated / (input.Length * (double)_bytesPerElement + 1024));
            }

            if (thrown != null && !_rejections.Any(type => type.IsInstanceOfType(thrown)))
                return new FuzzViolation(thrown.GetType().Name, $"{Name} threw {thrown.GetType().Name}, not a clean rejection, on {_describe(input)}:\n{thrown}");
            if (clock.Elapsed > TimeBound)
                return new FuzzViolation("Slow", $"{Name} took {clock.Elapsed.TotalMilliseconds:F0} ms (bound {TimeBound.TotalSeconds} s) on {_describe(input)}");
            if (allocated > AllocationBound(input.Length))
                return new FuzzViolation("Allocation", $"{Name} allocated {allocated} bytes (bound {AllocationBound(input.Length)}) on {_describe(input)}");
            return null;
        }

        /// <summary>The smallest failing input, cut down further and saved beside the test assembly, as a test failure.</summary>
        private Exception Finding(string message)
        {
            (T[] input, FuzzViolation violation) = _smallestFailure!.Value;
            T[] minimal = Minimize(input, violation.Signature);
            string saved = Save(minimal, violation.Signature);
            return new Exception($"{Check(minimal, null)?.Message ?? violation.Message}\n\nSaved as {saved}: copy it to tests/Fixtures/fuzz/{Name}/ "
                + $"once fixed.\n\n{message}");
        }

        /// <summary>
        /// Drops whole lines, then ever smaller chunks, as long as the decoder still fails the same way (ddmin,
        /// greedily). Lines first: a chunk that cuts a line in two turns a valid record into a rejected one.
        /// </summary>
        private T[] Minimize(T[] input, string signature)
        {
            int attempts = signature == "Slow" ? 20 : 5000;
            T[] current = input;
            for (int end = current.Length; end > 0 && _lineEnd != null && attempts-- > 0;)
            {
                int start = end - 1;
                while (start > 0 && !_lineEnd(current[start - 1])) start--;
                T[] candidate = current.Take(start).Concat(current.Skip(end)).ToArray();
                if (Check(candidate, null)?.Signature == signature) current = candidate;
                end = start;
            }
            for (int chunk = Math.Max(1, current.Length / 2); chunk >= 1 && attempts > 0; chunk /= 2)
            {
                for (int start = 0; start < current.Length && attempts-- > 0;)
                {
                    int cut = Math.Min(chunk, current.Length - start);
                    var candidate = new T[current.Length - cut];
                    Array.Copy(current, 0, candidate, 0, start);
                    Array.Copy(current, start + cut, candidate, start, candidate.Length - start);
                    if (Check(candidate, null)?.Signature == signature) current = candidate;
                    else start += chunk;
                }
            }
            return current;
        }

        private string Save(T[] input, string signature)
        {
            byte[] file = _toFile(input);
            uint hash = 2166136261; // FNV-1a: the same input gets the same name
            foreach (byte b in file) hash = (hash ^ b) * 16777619;
            string folder = Path.Combine(AppContext.BaseDirectory, "fuzz-findings", Name);
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, $"{signature}-{hash:x8}{_extension}");
            File.WriteAllBytes(path, file);
            return path;
        }

        /// <summary>Runs the fuzzing on its own thread, so that a decoder that never returns fails the test instead of hanging it.</summary>
        private void RunGuarded(Action body)
        {
            Exception? error = null;
            var worker = new Thread(() =>
            {
                try { body(); }
                catch (Exception e) { error = e; }
            }) { IsBackground = true, Name = "fuzz " + Name };
            worker.Start();
            while (!worker.Join(200))
            {
                if (_inFlight is InFlight stuck && Stopwatch.GetElapsedTime(stuck.Since) > Watchdog)
                    throw new Exception($"{Name} has not returned in {Watchdog.TotalSeconds} s on {_describe(stuck.Input)}; saved as {Save(stuck.Input, "Hang")}.");
            }
            if (error != null) ExceptionDispatchInfo.Capture(error).Throw();
        }

        // One FsCheck random stream per decoder and round, so a failure names the round that replays it.
        private Rnd RoundSeed(ulong seed, int round)
        {
            ulong name = 1469598103934665603;
            foreach (char c in Name) name = (name ^ c) * 1099511628211;
            return new Rnd(seed ^ name ^ ((ulong)round * 0x9E3779B97F4A7C15));
        }

        private sealed class InFlight
        {
            internal InFlight(T[] input, long since)
            {
                Input = input;
                Since = since;
            }

            internal T[] Input { get; }
            internal long Since { get; }
        }
    }

    /// <summary>Builds the two kinds of target: byte-level decoders and text parsers.</summary>
    internal static class FuzzTarget
    {
        private const int PreviewLength = 600;

        internal static IFuzzTarget Binary(string name, IEnumerable<(string Name, byte[] Data)> seeds, Action<byte[]> decode, params Type[] rejections)
        {
            var list = seeds.ToList();
            return new FuzzTarget<byte>(name, list, new BinaryMutator(list.Select(s => s.Data).ToList()), input => () => decode(input),
                rejections, input => input, file => file, Hex, 1, ".bin");
        }

        internal static IFuzzTarget Text(string name, IEnumerable<(string Name, string Text)> seeds, Action<string> decode, params Type[] rejections)
        {
            var list = seeds.Select(s => (s.Name, s.Text.ToCharArray())).ToList();
            return new FuzzTarget<char>(name, list, new TextMutator(list.Select(s => s.Item2).ToList()),
                input => { var text = new string(input); return () => decode(text); },
                rejections, input => Encoding.UTF8.GetBytes(input), file => Encoding.UTF8.GetString(file).ToCharArray(), Escaped, 2, ".txt",
                lineEnd: c => c == '\n');
        }

        private static string Hex(byte[] input) =>
            $"{input.Length} bytes: {Convert.ToHexString(input, 0, Math.Min(input.Length, PreviewLength / 2))}{(input.Length > PreviewLength / 2 ? "..." : "")}";

        // Control and non-ASCII characters as \uXXXX, so the failure message shows exactly what the parser read.
        private static string Escaped(char[] input)
        {
            var text = new StringBuilder($"{input.Length} chars: \"");
            foreach (char c in input.Take(PreviewLength))
            {
                if (c == '\n') text.Append("\\n");
                else if (c >= 0x20 && c < 0x7F && c != '\\') text.Append(c);
                else text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            return text.Append(input.Length > PreviewLength ? "\"..." : "\"").ToString();
        }
    }
}
