using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace PortTools.Tests
{
    internal enum MutationKind
    {
        // Both kinds of input.
        Truncate, Delete, Duplicate, Splice, Overwrite, Insert,
        // Binary: a flipped bit, a boundary integer where a length or count field may sit.
        BitFlip, Integer,
        // Text: a boundary number or separator for a field, a very long field, whole-line edits, line endings.
        Token, LongRun, Lines, LineEnding,
    }

    /// <summary>
    /// One edit of a seed. The numbers are raw draws, reduced modulo the input when the edit is applied, so any
    /// subset of a case's mutations applies to any seed: that is what lets FsCheck shrink a case by dropping edits.
    /// </summary>
    internal readonly struct Mutation
    {
        internal Mutation(MutationKind kind, int at, int length, int value, int other)
        {
            Kind = kind;
            At = at;
            Length = length;
            Value = value;
            Other = other;
        }

        internal MutationKind Kind { get; }
        internal int At { get; }
        internal int Length { get; }
        internal int Value { get; }
        internal int Other { get; }

        public override string ToString() => $"{Kind}(at {At}, length {Length}, value {Value}, other {Other})";
    }

    /// <summary>A seed (by index) and the edits applied to it, in order.</summary>
    internal sealed class FuzzCase
    {
        internal FuzzCase(int seed, Mutation[] mutations)
        {
            Seed = seed;
            Mutations = mutations;
        }

        internal int Seed { get; }
        internal Mutation[] Mutations { get; }

        public override string ToString() => $"seed #{Seed} + [{string.Join(", ", Mutations)}]";

        /// <summary>FsCheck's shrinker: the same case with one edit fewer.</summary>
        internal IEnumerable<FuzzCase> Shrink() =>
            Enumerable.Range(0, Mutations.Length).Select(i => new FuzzCase(Seed, Mutations.Where((_, j) => j != i).ToArray()));
    }

    /// <summary>
    /// The mutation engine shared by every decoder's property: edits of real captures, structural ones (cut, drop,
    /// repeat or splice records at aligned or line boundaries) common to bytes and text, and per-kind ones.
    /// </summary>
    /// <remarks>Insertions go in as arrays: List.InsertRange takes any other sequence one element (and one shift) at a time.</remarks>
    internal abstract class FuzzMutator<T>
    {
        private readonly IReadOnlyList<T[]> _seeds;

        protected FuzzMutator(IReadOnlyList<T[]> seeds) => _seeds = seeds;

        protected abstract MutationKind[] Kinds { get; }

        /// <summary>A case: a seed and one to a dozen edits, mostly few (one good edit finds more than ten random ones).</summary>
        internal Gen<FuzzCase> Cases()
        {
            Gen<int> big = Gen.Choose(0, int.MaxValue);
            Gen<int> length = Gen.Frequency((14, Gen.Choose(0, 16)), (4, Gen.Choose(0, 256)), (2, Gen.Choose(0, 1 << 16)));
            Gen<Mutation> mutation =
                from kind in Gen.Elements(Kinds)
                from at in big
                from n in length
                from value in big
                from other in big
                select new Mutation(kind, at, n, value, other);
            Gen<int> count = Gen.Frequency((8, Gen.Choose(1, 3)), (2, Gen.Choose(4, 12)));
            return from seed in Gen.Choose(0, _seeds.Count - 1)
                   from n in count
                   from edits in Gen.ArrayOf(mutation, n)
                   select new FuzzCase(seed, edits);
        }

        internal T[] Apply(FuzzCase fuzzCase)
        {
            var data = new List<T>(_seeds[fuzzCase.Seed]);
            foreach (Mutation m in fuzzCase.Mutations) Apply(data, m);
            return data.ToArray();
        }

        private void Apply(List<T> data, Mutation m)
        {
            int at = Boundary(data, m.At, m.Value);
            int span = Math.Min(m.Length, data.Count - at);
            switch (m.Kind)
            {
                case MutationKind.Truncate:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case MutationKind.Delete:
                    data.RemoveRange(at, Math.Max(span, Math.Min(1, data.Count - at)));
                    break;
                case MutationKind.Duplicate: // a record repeated, here or elsewhere
                    data.InsertRange(Boundary(data, m.Other, m.Value >> 8), data.GetRange(at, span));
                    break;
                case MutationKind.Splice: // a piece of another capture
                    T[] donor = _seeds[m.Other % _seeds.Count];
                    int from = Boundary(donor, m.Other >> 4, m.Value);
                    data.InsertRange(at, donor.Skip(from).Take(Math.Max(1, m.Length)).ToArray());
                    break;
                case MutationKind.Overwrite:
                    if (data.Count > 0) data[Math.Min(at, data.Count - 1)] = Interesting(m.Value);
                    break;
                case MutationKind.Insert:
                    var random = new Random(m.Value);
                    data.InsertRange(at, Enumerable.Range(0, 1 + m.Length % 64).Select(_ => RandomElement(random)).ToArray());
                    break;
                default:
                    ApplySpecific(data, m, at);
                    break;
            }
        }

        /// <summary>Where an edit lands: any position, or one where a record or field may start.</summary>
        protected abstract int Boundary(IReadOnlyList<T> data, int draw, int style);

        protected abstract T Interesting(int draw);

        protected abstract T RandomElement(Random random);

        protected abstract void ApplySpecific(List<T> data, Mutation m, int at);
    }

    /// <summary>Edits of netlink datagrams, IP Helper tables and pcblist_n streams.</summary>
    internal sealed class BinaryMutator : FuzzMutator<byte>
    {
        private static readonly byte[] Bytes = { 0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE, 0x10, 0x40 };

        // Values for length, count and offset fields: zero, one, just under and over a header (4, 8, 16, 24),
        // the sign and width limits of each integer size.
        private static readonly ulong[] Integers =
        {
            0, 1, 2, 3, 4, 7, 8, 12, 15, 16, 20, 23, 24, 25, 72, 104, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF,
            0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000, long.MaxValue, ulong.MaxValue,
        };

        internal BinaryMutator(IReadOnlyList<byte[]> seeds) : base(seeds) { }

        protected override MutationKind[] Kinds { get; } =
        {
            MutationKind.Truncate, MutationKind.Delete, MutationKind.Duplicate, MutationKind.Splice, MutationKind.Overwrite,
            MutationKind.Insert, MutationKind.BitFlip, MutationKind.BitFlip, MutationKind.Integer, MutationKind.Integer, MutationKind.Integer,
        };

        // Netlink messages and attributes are 4-aligned, pcblist_n records 8-aligned: aligned edits keep the
        // framing around them intact and so reach the decoders behind it.
        protected override int Boundary(IReadOnlyList<byte> data, int draw, int style)
        {
            int alignment = new[] { 1, 4, 8, 4 }[style & 3];
            int position = draw % (data.Count + 1);
            return position - position % alignment;
        }

        protected override byte Interesting(int draw) => draw % 4 == 0 ? (byte)(draw >> 8) : Bytes[(draw >> 2) % Bytes.Length];

        protected override byte RandomElement(Random random) => (byte)random.Next(256);

        protected override void ApplySpecific(List<byte> data, Mutation m, int at)
        {
            if (data.Count == 0) return;
            if (m.Kind == MutationKind.BitFlip)
            {
                int i = Math.Min(at + m.Length % 4, data.Count - 1);
                data[i] ^= (byte)(1 << (m.Value % 8));
                return;
            }
            // Integer: 1, 2, 4 or 8 bytes, little- or big-endian, a boundary value or one relative to what follows
            // (a length field that claims exactly the rest, one byte more or less).
            int width = new[] { 1, 2, 4, 8 }[m.Value % 4];
            bool bigEndian = (m.Value >> 2) % 4 == 0;
            int choice = (m.Value >> 4) % (Integers.Length + 4);
            int rest = data.Count - at;
            ulong value = choice < Integers.Length ? Integers[choice] : (ulong)(rest + (choice - Integers.Length) - 2);
            for (int i = 0; i < width && at + i < data.Count; i++)
            {
                int shift = 8 * (bigEndian ? width - 1 - i : i);
                data[at + i] = (byte)(value >> shift);
            }
        }
    }

    /// <summary>Edits of /proc files, services(5) and the IANA CSV.</summary>
    internal sealed class TextMutator : FuzzMutator<char>
    {
        // Separators and characters the parsers split or trim on, and what breaks naive text handling:
        // NUL and other controls, non-ASCII white space, a BOM, lone surrogates, the replacement character.
        private static readonly char[] Chars =
        {
            '\0', '\t', '\n', '\r', ' ', ':', ',', '/', '-', '#', '"', '*', '+', '.', '0', '9', 'F', 'x', '\x7F', '\x85', '\xA0',
            '\u1680', '\u2028', '\u3000', '\uFEFF', '\uFFFD', '\uD800', '\uDC00', '\u0661', '\uFF11',
        };

        // Numbers at every integer width and sign limit, in decimal and hex, and shapes that are almost numbers.
        private static readonly string[] Tokens =
        {
            "", "0", "1", "-1", "+1", "-0", "00", "0000000000000000000000000000001", "127", "255", "256", "65535", "65536",
            "2147483647", "2147483648", "-2147483649", "4294967295", "4294967296", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
            "99999999999999999999999999999999", "7FFFFFFF", "80000000", "FFFFFFFF", "100000000", "FFFFFFFFFFFFFFFF",
            "ffffffffffffffffffffffffffffffff", "fffffffffffffffffffffffffffffffff", "0x10", "1e9", "1.5", "NaN", "\u0661\u0662",
            "\uFF11\uFF12", ":", "::", "/", "0/tcp", "65535/udp", "65536/tcp", "1/", "/1", "1-2", "2-1", "-", "--", "\"", "\"\"",
            "\"a\nb\"", "#", "*", "\0", " ", "\t\t", "Tcp:", "Ip:", "Udp:", "x:", "0:", "eth0:",
        };

        private static readonly char[] RunChars = { '0', 'F', '9', ' ', '\t', 'a', ':', '-', '"', ',', '\n', '#', '\0' };

        private static readonly int[] RunLengths = { 255, 256, 1024, 4097, 65536, 100_000 };

        private static readonly char[] Delimiters = { ' ', '\t', '\n', '\r', ':', ',', '/', '-', '"' };

        internal TextMutator(IReadOnlyList<char[]> seeds) : base(seeds) { }

        protected override MutationKind[] Kinds { get; } =
        {
            MutationKind.Truncate, MutationKind.Delete, MutationKind.Duplicate, MutationKind.Splice, MutationKind.Overwrite,
            MutationKind.Insert, MutationKind.Token, MutationKind.Token, MutationKind.Token, MutationKind.LongRun,
            MutationKind.Lines, MutationKind.Lines, MutationKind.LineEnding,
        };

        // Half the edits land at the start of a line, where every record of these formats starts.
        protected override int Boundary(IReadOnlyList<char> data, int draw, int style)
        {
            int position = draw % (data.Count + 1);
            if ((style & 1) == 0) return position;
            while (position > 0 && data[position - 1] != '\n') position--;
            return position;
        }

        protected override char Interesting(int draw) => draw % 5 == 0 ? (char)(draw >> 8) : Chars[(draw >> 3) % Chars.Length];

        // Mostly printable ASCII, some controls, some anywhere in the BMP (lone surrogates included).
        protected override char RandomElement(Random random) => random.Next(10) switch
        {
            < 6 => (char)random.Next(0x20, 0x7F),
            < 8 => (char)random.Next(0, 0x20),
            _ => (char)random.Next(0x80, 0x10000),
        };

        protected override void ApplySpecific(List<char> data, Mutation m, int at)
        {
            switch (m.Kind)
            {
                case MutationKind.Token:
                    ReplaceField(data, m, at);
                    break;
                case MutationKind.LongRun: // a very long line or field
                    data.InsertRange(at, Enumerable.Repeat(RunChars[m.Value % RunChars.Length], RunLengths[m.Length % RunLengths.Length]).ToArray());
                    break;
                case MutationKind.Lines:
                    EditLines(data, m);
                    break;
                case MutationKind.LineEnding: // CRLF or a bare CR for some line ends, or all; one pass, as there may be 100,000
                    char[] ending = (m.Value % 2 == 0 ? "\r\n" : "\r").ToCharArray();
                    var edited = new List<char>(data.Count * 2);
                    for (int i = 0; i < data.Count; i++)
                    {
                        if (data[i] == '\n' && i >= at && (m.Length % 3 == 0 || i == at || m.Other % 7 == i % 7)) edited.AddRange(ending);
                        else edited.Add(data[i]);
                    }
                    data.Clear();
                    data.AddRange(edited);
                    break;
            }
        }

        // The field is picked by its number in the line, not by a character in it: a short field (a metric,
        // a port) is then as likely to change as a long one (an address).
        private static void ReplaceField(List<char> data, Mutation m, int at)
        {
            int lineStart = at, lineEnd = at;
            while (lineStart > 0 && data[lineStart - 1] != '\n') lineStart--;
            while (lineEnd < data.Count && data[lineEnd] != '\n') lineEnd++;
            var fields = new List<(int Start, int End)>();
            for (int i = lineStart; i < lineEnd; i++)
            {
                if (Array.IndexOf(Delimiters, data[i]) >= 0) continue;
                int start = i;
                while (i < lineEnd && Array.IndexOf(Delimiters, data[i]) < 0) i++;
                fields.Add((start, i));
            }
            (int from, int to) = fields.Count == 0 ? (at, at) : fields[m.Other % fields.Count];
            data.RemoveRange(from, to - from);
            data.InsertRange(from, Tokens[m.Value % Tokens.Length].ToCharArray());
        }

        // Repeat, drop or swap whole lines (records), e.g. a header line twice or a values line before its header.
        private static void EditLines(List<char> data, Mutation m)
        {
            var lines = new List<List<char>>();
            var line = new List<char>();
            foreach (char c in data)
            {
                line.Add(c);
                if (c == '\n') { lines.Add(line); line = new List<char>(); }
            }
            if (line.Count > 0) lines.Add(line);
            if (lines.Count == 0) return;
            int a = m.At % lines.Count, b = m.Other % lines.Count;
            switch (m.Value % 3)
            {
                case 0: lines.Insert(b, new List<char>(lines[a])); break;
                case 1: lines.RemoveAt(a); break;
                default: (lines[a], lines[b]) = (lines[b], lines[a]); break;
            }
            data.Clear();
            foreach (List<char> l in lines) data.AddRange(l);
        }
    }
}
