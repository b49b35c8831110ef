using System.Globalization;

namespace PortTools.Models
{
    /// <summary>
    /// How netstat and ss write an endpoint: IPv6 addresses in brackets, then ":port"; port 0 as "*"; a link-local
    /// address with its interface as ss writes it, "[fe80::1]%eth0:22".
    /// </summary>
    internal static class Endpoint
    {
        internal static string Format(string address, int port, string? zone = null) =>
            Format(address, port == 0 ? "*" : port.ToString(CultureInfo.InvariantCulture), zone);

        /// <summary>With the port as text already: a service name ("[::1]:ssh", as netstat without -n writes it).</summary>
        internal static string Format(string address, string port, string? zone = null)
        {
            string host = address.IndexOf(':') >= 0 ? "[" + address + "]" : address;
            return zone == null ? host + ":" + port : host + "%" + zone + ":" + port;
        }
    }
}
