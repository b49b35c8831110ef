using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PortTools.Models;

namespace PortTools.Platform.MacOS
{
    /// <summary>A run of fields of one width (u_int32_t 4, u_quad_t 8); a name may be an array, "icps_inhist[41]".</summary>
    internal sealed class StatFields
    {
        /// <param name="width">4 or 8 bytes.</param>
        /// <param name="names">Field names in declaration order, separated by white space.</param>
        /// <param name="since">The xnu release that inserted these fields in the middle of the struct; 0 when they are in every release read.</param>
        internal StatFields(int width, string names, int since = 0)
        {
            Width = width;
            Names = names.Split(new[] { ' ', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
            Since = since;
        }

        internal int Width { get; }
        internal string[] Names { get; }
        internal int Since { get; }
    }

    /// <summary>
    /// One BSD statistics struct that a sysctl copies out whole (xnu: SYSCTL_OUT of the struct, or a zeroed copy).
    /// Structs grow across releases, mostly at the end; tcpstat also had fields inserted in the middle, so a
    /// tcpstat of a size no known release has is read only up to its first inserted field. Every field keeps its
    /// BSD name (an array element is name[i], left out when zero, as Windows leaves out ICMP types it never saw),
    /// and the MIB counters behind the typed properties are added under the names every OS uses (<see cref="CounterNames"/>).
    /// </summary>
    internal sealed class StatStruct
    {
        private readonly StatFields[] _fields;
        private readonly (string Property, Func<StatCounters, long> Value)[] _mib;

        internal StatStruct(string sysctl, string name, NetworkProtocol protocol, IPVersion? family, int minimumLength,
            StatFields[] fields, params (string Property, Func<StatCounters, long> Value)[] mib)
        {
            Sysctl = sysctl;
            Name = name;
            Protocol = protocol;
            Family = family;
            MinimumLength = minimumLength;
            _fields = fields;
            _mib = mib;
            Releases = fields.Select(f => f.Since).Distinct().OrderBy(r => r).ToArray();
        }

        internal string Sysctl { get; }
        internal string Name { get; }
        internal NetworkProtocol Protocol { get; }
        internal IPVersion? Family { get; }

        /// <summary>Its size in the oldest release read (xnu-8019, macOS 12); anything shorter is not this struct.</summary>
        internal int MinimumLength { get; }

        /// <summary>The xnu releases whose layouts differ by inserted fields (0: the base layout).</summary>
        internal int[] Releases { get; }

        /// <summary>The size of the layout of <paramref name="release"/>: every field of that release, padded to the widest.</summary>
        internal int SizeOf(int release)
        {
            var fields = Layout(release).ToList();
            int end = fields.Max(f => f.Offset + f.Width);
            int align = fields.Max(f => f.Width);
            return (end + align - 1) / align * align;
        }

        /// <summary>How many of <paramref name="length"/> bytes are read: less when a newer macOS sent fields this version does not know.</summary>
        internal int ReadLength(int length) => Readable(length).Select(f => f.Offset + f.Width).DefaultIfEmpty(0).Max();

        /// <exception cref="InvalidDataException">Shorter than <see cref="MinimumLength"/>.</exception>
        internal ProtocolStatistic Decode(byte[] buffer, int length)
        {
            if (length < 0 || length > buffer.Length) throw new ArgumentOutOfRangeException(nameof(length));
            if (length < MinimumLength)
            {
                throw new InvalidDataException(
                    $"sysctl {Sysctl} returned {length} bytes, but struct {Name} has at least {MinimumLength} (macOS 12, xnu-8019).");
            }
            var counters = new Dictionary<string, long>();
            foreach (var (name, width, offset, isElement, _) in Readable(length))
            {
                long value = width == 4
                    ? ByteReader.UInt32LittleEndian(buffer, offset)
                    : unchecked((long)ByteReader.UInt64LittleEndian(buffer, offset)); // u_quad_t above 2^63 wraps, as nstat's
                if (value != 0 || !isElement) counters[name] = value;
            }
            var read = new StatCounters(counters);
            IReadOnlyDictionary<string, string> common = CounterNames.Common(Protocol, Family);
            foreach (var (property, value) in _mib) counters[common[property]] = value(read);
            return new ProtocolStatistic(Protocol, Family, counters, common);
        }

        /// <summary>
        /// The fields to read from <paramref name="length"/> bytes: a release's whole layout when the size is that
        /// release's; otherwise those of the newest layout that fit and lie before its first inserted field.
        /// </summary>
        private IEnumerable<(string Name, int Width, int Offset, bool IsElement, int Since)> Readable(int length)
        {
            foreach (int release in Releases)
            {
                if (SizeOf(release) == length) return Layout(release);
            }
            int newest = Releases[Releases.Length - 1];
            return Layout(newest).TakeWhile(f => f.Since == 0 && f.Offset + f.Width <= length);
        }

        private IEnumerable<(string Name, int Width, int Offset, bool IsElement, int Since)> Layout(int release)
        {
            int offset = 0;
            foreach (StatFields run in _fields.Where(f => f.Since <= release))
            {
                foreach (string declared in run.Names)
                {
                    offset = (offset + run.Width - 1) / run.Width * run.Width; // natural alignment, as clang lays it out
                    int bracket = declared.IndexOf('[');
                    if (bracket < 0)
                    {
                        yield return (declared, run.Width, offset, false, run.Since);
                        offset += run.Width;
                        continue;
                    }
                    string array = declared.Substring(0, bracket);
                    int count = int.Parse(declared.Substring(bracket + 1, declared.Length - bracket - 2), System.Globalization.CultureInfo.InvariantCulture);
                    for (int i = 0; i < count; i++, offset += run.Width)
                        yield return (array + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", run.Width, offset, true, run.Since);
                }
            }
        }
    }

    /// <summary>The decoded BSD counters, for deriving the MIB ones: a missing name (a zero array element) reads 0.</summary>
    internal sealed class StatCounters
    {
        private readonly Dictionary<string, long> _counters;

        internal StatCounters(Dictionary<string, long> counters) => _counters = counters;

        internal long this[string name] => _counters.TryGetValue(name, out long value) ? value : 0;

        /// <summary>The sum of every element of an array field (icps_inhist).</summary>
        internal long SumOfArray(string array) => Total(_counters.Where(c => c.Key.StartsWith(array + "[", StringComparison.Ordinal)).Select(c => c.Value));

        /// <summary>The sum of the named counters.</summary>
        internal long Sum(params string[] names) => Total(names.Select(name => this[name]));

        // u_quad_t counters wrap past 2^63 (read as negative), so their sums wrap too, as nstat's u64 arithmetic does.
        private static long Total(IEnumerable<long> values)
        {
            long total = 0;
            foreach (long value in values) total = unchecked(total + value);
            return total;
        }

        /// <summary>A difference of u_int32_t counters, modulo 2^32 as netstat computes it, so a wrapped counter never makes it negative.</summary>
        internal static long Wrap32(long difference) => unchecked((uint)difference);
    }
}
