using PortTools.Platform;

namespace PortTools.Platform.MacOS
{
    /// <summary>sysctl net.inet.ip.portrange.first / .last (default 49152-65535). Untested off macOS.</summary>
    internal sealed class MacEphemeralPorts : IEphemeralPortSource
    {
        public EphemeralPortRange? GetRange() =>
            Darwin.TrySysctlInt("net.inet.ip.portrange.first", out int first) && Darwin.TrySysctlInt("net.inet.ip.portrange.last", out int last) && first <= last
                ? new EphemeralPortRange(first, last)
                : (EphemeralPortRange?)null;
    }
}
