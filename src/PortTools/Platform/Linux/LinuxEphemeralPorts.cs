using System.Globalization;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>Reads net.ipv4.ip_local_port_range, which also governs IPv6 (Documentation/networking/ip-sysctl.rst).</summary>
    internal sealed class LinuxEphemeralPorts : IEphemeralPortSource
    {
        private readonly ProcFs _procFs;

        internal LinuxEphemeralPorts(ProcFs procFs) => _procFs = procFs;

        public EphemeralPortRange? GetRange() => _procFs.ReadText(_procFs.LocalPortRangeFile) is string text ? Parse(text) : null;

        /// <summary>Two numbers separated by blanks ("32768\t60999\n"); null for anything else.</summary>
        internal static EphemeralPortRange? Parse(string text)
        {
            string[] words = text.Split(new[] { ' ', '\t', '\n' }, System.StringSplitOptions.RemoveEmptyEntries);
            return words.Length == 2
                && int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                && int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                && first <= last && last <= 65535
                ? new EphemeralPortRange(first, last)
                : (EphemeralPortRange?)null;
        }
    }
}
