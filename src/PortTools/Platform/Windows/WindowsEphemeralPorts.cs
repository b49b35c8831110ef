using PortTools.Platform;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// Windows Vista and later default to 49152-65535 (KB929851). Admins can move it with
    /// "netsh int ipv4 set dynamicport", which no simple API reads back; the default is reported.
    /// </summary>
    internal sealed class WindowsEphemeralPorts : IEphemeralPortSource
    {
        public EphemeralPortRange? GetRange() => new EphemeralPortRange(49152, 65535);
    }
}
