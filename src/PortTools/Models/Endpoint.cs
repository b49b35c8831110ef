using System.Globalization;

namespace PortTools.Models
{
    /// <summary>
    /// How netstat and ss write an endpoint: IPv6 addresses in brackets, then ":port"; port 0 as "*"; a link-local
    /// address with its interface as ss writes it, "[fe80::1]%eth0:22".
    /// </summary>
    internal static class Endpoint
    {
        internal static string Format(string address, int port, string? zone = null)
        {
            string portText = port == 0 ? "*" : port.ToString(CultureInfo.InvariantCulture);
            string host = address.IndexOf(':') >= 0 ? "[" + address + "]" : address;
            return zone == null ? host + ":" + portText : host + "%" + zone + ":" + portText;
        }
    }
}
