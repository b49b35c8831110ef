using PortTools.Models;

namespace PortTools.Formatting
{
    /// <summary>The cells of Resolve-WellKnownPort's table, live or deserialized.</summary>
    public static class PortText
    {
        /// <summary>The Port column: the whole range of a range assignment ("6000-6063"), else the port.</summary>
        public static string Port(object? port)
        {
            string range = DisplayText.Escape(ViewProperty.Get(port, nameof(WellKnownPort.PortRange)));
            return range.Length > 0 ? range : ViewProperty.Text(port, nameof(WellKnownPort.Port));
        }

        /// <summary>The Service column: IANA's name, else this host's (/etc/services).</summary>
        public static string Service(object? port)
        {
            string iana = DisplayText.Escape(ViewProperty.Get(port, nameof(WellKnownPort.ServiceName)));
            return iana.Length > 0 ? iana : DisplayText.Escape(ViewProperty.Get(port, nameof(WellKnownPort.HostServiceName)));
        }

        /// <summary>The Eph column: "yes" when this host hands the port out as a client's source port.</summary>
        public static string Ephemeral(object? port) =>
            ViewProperty.Text(port, nameof(WellKnownPort.InEphemeralRange)) == bool.TrueString ? "yes" : "";
    }
}
