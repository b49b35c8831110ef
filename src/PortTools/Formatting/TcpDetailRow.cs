using System.Globalization;
using System.Management.Automation;
using System.Text;
using System;
using PortTools.Models;

namespace PortTools.Formatting
{
    /// <summary>
    /// One line of the Detailed table (Get-PortConnection -Detailed), what ss -ti shows first when a connection is slow:
    /// round-trip time, congestion window, retransmissions now and in all, and the running timer; 80 columns. Made in
    /// one call, as <see cref="ConnectionRow"/>, for a live connection or its deserialized form.
    /// </summary>
    public static class TcpDetailRow
    {
        private const int EndpointWidth = 21, RttWidth = 6, CwndWidth = 5, RetransWidth = 7;

        /// <summary>The header, aligned with <see cref="Format"/>.</summary>
        public static string Header { get; } = Line("Local Address", "Foreign Address", "RTT ms", "Cwnd", "Retrans", "Timer");

        /// <summary>The row of one connection; the detail cells are empty when it has none (UDP, no -Detailed).</summary>
        public static string Format(object? value)
        {
            switch (value)
            {
                case PortConnection live:
                    return Line(live.LocalEndpoint, live.RemoteEndpoint, live.Detail);
                case PSObject other:
                    object? detail = other.Properties[nameof(PortConnection.Detail)]?.Value;
                    // Export-Clixml keeps the detail's properties; jobs and remoting (depth 1) keep its ss-style text only.
                    TcpDetail? cells = detail as TcpDetail
                        ?? (detail is PSObject properties && properties.Properties[nameof(TcpDetail.Timer)] != null ? FromProperties(properties) : null);
                    string row = Line(Text(other, nameof(PortConnection.LocalEndpoint)), Text(other, nameof(PortConnection.RemoteEndpoint)), cells);
                    return cells == null ? row + DisplayText.Escape(detail) : row;
                default:
                    return "";
            }
        }

        private static string Line(string local, string remote, TcpDetail? detail) => detail == null
            ? Line(local, remote, "", "", "", "")
            : Line(local, remote,
                detail.RttMilliseconds is double rtt ? Rtt(rtt) : "",
                (detail.CongestionWindowSegments ?? detail.CongestionWindowBytes)?.ToString(CultureInfo.InvariantCulture) ?? "",
                detail.RetransmittingSegments is uint now ? $"{now}/{detail.TotalRetransmits}" : detail.TotalRetransmits?.ToString(CultureInfo.InvariantCulture) ?? "",
                detail.TimerText);

        // Microseconds matter on a LAN, not beyond 100 ms: the column stays 6 wide.
        private static string Rtt(double milliseconds) =>
            milliseconds.ToString(milliseconds < 100 ? "0.###" : "0.#", CultureInfo.InvariantCulture);

        /// <summary>A TcpDetail again from its deserialized properties (Import-Clixml), for the cells above.</summary>
        private static TcpDetail FromProperties(PSObject properties)
        {
            T? Read<T>(string name) where T : struct =>
                properties.Properties[name]?.Value is object value && LanguagePrimitives.TryConvertTo(value, CultureInfo.InvariantCulture, out T converted)
                    ? converted : (T?)null;
            return new TcpDetail
            {
                RttMilliseconds = Read<double>(nameof(TcpDetail.RttMilliseconds)),
                CongestionWindowSegments = Read<uint>(nameof(TcpDetail.CongestionWindowSegments)),
                CongestionWindowBytes = Read<ulong>(nameof(TcpDetail.CongestionWindowBytes)),
                RetransmittingSegments = Read<uint>(nameof(TcpDetail.RetransmittingSegments)),
                TotalRetransmits = Read<uint>(nameof(TcpDetail.TotalRetransmits)),
                Timer = Enum.TryParse(properties.Properties[nameof(TcpDetail.Timer)]?.Value?.ToString(), out TcpTimer timer) ? timer : (TcpTimer?)null,
                TimerRemainingMilliseconds = Read<uint>(nameof(TcpDetail.TimerRemainingMilliseconds)),
            };
        }

        private static string Line(string local, string remote, string rtt, string cwnd, string retrans, string timer) =>
            new StringBuilder(80)
                .Append(DisplayText.Endpoint(local, EndpointWidth).PadRight(EndpointWidth)).Append(' ')
                .Append(DisplayText.Endpoint(remote, EndpointWidth).PadRight(EndpointWidth)).Append(' ')
                .Append(rtt.PadLeft(RttWidth)).Append(' ')
                .Append(cwnd.PadLeft(CwndWidth)).Append(' ')
                .Append(retrans.PadLeft(RetransWidth)).Append(' ')
                .Append(timer)
                .ToString();

        private static string Text(PSObject value, string name) => value.Properties[name]?.Value?.ToString() ?? "";
    }
}
