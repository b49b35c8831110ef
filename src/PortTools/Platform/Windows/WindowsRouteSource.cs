using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Query;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// Routes from GetIpForwardTable2 (what route print and Get-NetRoute read) with interface aliases from
    /// GetIfTable2; -Destination asks Windows itself through GetBestRoute2, as Find-NetRoute does.
    /// </summary>
    internal sealed class WindowsRouteSource : IRouteSource
    {
        public IEnumerable<RouteEntry> GetRoutes(RouteQuery query, ListingDiagnostics diagnostics, CancellationToken cancellation) =>
            ForwardTable2Decoder.Decode(IpHlpApi.IpForwardTable2(), Aliases()).Where(query.Matches);

        public RouteEntry? FindRoute(IPAddress destination, ListingDiagnostics diagnostics, CancellationToken cancellation)
        {
            var row = new byte[ForwardTable2Decoder.RowSize];
            var source = new byte[ForwardTable2Decoder.SockaddrInetSize];
            if (!IpHlpApi.BestRoute2(ForwardTable2Decoder.EncodeSockaddrInet(destination), row, source)) return null;
            // The row is the table entry Windows chose; each path of a Windows route is a row of its own, so
            // its next hop is the chosen one. The zone of a scoped IPv6 address travels in the SOCKADDR_INET.
            RouteEntry matched = ForwardTable2Decoder.DecodeRow(row, 0, Aliases());
            return RouteEntry.ForDestination(destination, matched, matched.NextHops.FirstOrDefault(),
                ForwardTable2Decoder.SockaddrInet(source, 0, "BestSourceAddress").ToString());
        }

        private static Dictionary<int, string> Aliases()
        {
            var aliases = new Dictionary<int, string>();
            foreach (InterfaceStatistic adapter in IfTable2Decoder.Decode(IpHlpApi.IfTable2())) aliases[adapter.InterfaceIndex] = adapter.Name;
            return aliases;
        }
    }
}
