namespace PortTools
{
    /// <summary>How netstat and ss write an endpoint: IPv6 addresses in brackets, then ":port".</summary>
    internal static class Endpoint
    {
        internal static string Format(string address, int port) =>
            address.IndexOf(':') >= 0 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
