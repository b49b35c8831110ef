using System.Globalization;

namespace PortTools
{
    /// <summary>How netstat and ss write an endpoint: IPv6 addresses in brackets, then ":port"; port 0 as "*".</summary>
    internal static class Endpoint
    {
        internal static string Format(string address, int port)
        {
            string portText = port == 0 ? "*" : port.ToString(CultureInfo.InvariantCulture);
            return address.IndexOf(':') >= 0 ? "[" + address + "]:" + portText : address + ":" + portText;
        }
    }
}
