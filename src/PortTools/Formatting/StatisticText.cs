using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System;
using PortTools.Models;

namespace PortTools.Formatting
{
    /// <summary>
    /// The texts of Get-ProtocolStatistic's views (the netstat -s block, the Summary table) and of Get-InterfaceStatistic's
    /// netstat -e block, live or deserialized. Numbers are formatted as PowerShell's -f would, in the current culture.
    /// </summary>
    public static class StatisticText
    {
        /// <summary>
        /// netstat -s: "Protocol (family):", then every counter; with -Interval (as nstat) only those that changed, with
        /// their change and rate. Deserialized counters come back unordered (a Hashtable) and are listed by name.
        /// </summary>
        public static string ProtocolBlock(object? statistic)
        {
            string title = ViewProperty.Text(statistic, nameof(ProtocolStatistic.Protocol));
            string family = ViewProperty.Text(statistic, nameof(ProtocolStatistic.AddressFamily));
            if (family.Length > 0) title += " (" + family + ")";
            string computer = DisplayText.Escape(ViewProperty.Get(statistic, "PSComputerName")); // remoting: which computer
            if (computer.Length > 0) title += " on " + computer;
            IDictionary counters = ViewProperty.Dictionary(statistic, nameof(ProtocolStatistic.Counters)) ?? new Hashtable();
            IDictionary? delta = ViewProperty.Dictionary(statistic, nameof(ProtocolStatistic.Delta));
            IDictionary? rate = ViewProperty.Dictionary(statistic, nameof(ProtocolStatistic.PerSecond));
            IEnumerable<string> names = counters.Keys.Cast<object>().Select(k => k.ToString() ?? "");
            if (counters is Hashtable) names = names.OrderBy(n => n, StringComparer.CurrentCultureIgnoreCase);

            var lines = new List<string> { title + ":" };
            if (delta != null) lines.Add(Format("    {0,-32} {1,16} {2,12} {3,11}", "Counter", "Total", "Delta", "Per second"));
            foreach (string name in names)
            {
                if (delta == null) lines.Add(Format("    {0,-32} {1,16}", DisplayText.Escape(name), Number(counters[name])));
                else if (Number(delta[name]) is long change && change != 0)
                    lines.Add(Format("    {0,-32} {1,16} {2,12} {3,11:0.0}", DisplayText.Escape(name), Number(counters[name]), change,
                        ViewProperty.AsDouble(rate?[name])));
            }
            if (delta != null && lines.Count == 2) lines.Add("    (no counter changed)");
            return string.Join(Environment.NewLine, lines) + Environment.NewLine;
        }

        /// <summary>The Summary view's Family: IPv4, IPv6, or "both" where the OS counts them together (Linux TCP).</summary>
        public static string Family(object? statistic)
        {
            string family = ViewProperty.Text(statistic, nameof(ProtocolStatistic.AddressFamily));
            return family.Length > 0 ? family : "both";
        }

        /// <summary>The Summary view's In: what the protocol received (IP InReceives, ICMP InMessages, TCP InSegments, UDP InDatagrams).</summary>
        public static string In(object? statistic) => FirstOf(statistic,
            nameof(ProtocolStatistic.InReceives), nameof(ProtocolStatistic.InMessages), nameof(ProtocolStatistic.InSegments), nameof(ProtocolStatistic.InDatagrams));

        /// <summary>The Summary view's Out: what the protocol sent.</summary>
        public static string Out(object? statistic) => FirstOf(statistic,
            nameof(ProtocolStatistic.OutRequests), nameof(ProtocolStatistic.OutMessages), nameof(ProtocolStatistic.OutSegments), nameof(ProtocolStatistic.OutDatagrams));

        /// <summary>The Summary view's InErrors: the protocol's received errors (IP's header errors).</summary>
        public static string InErrors(object? statistic) =>
            FirstOf(statistic, nameof(ProtocolStatistic.InErrors), nameof(ProtocolStatistic.InHeaderErrors));

        /// <summary>The Summary view's Counters: how many counters the protocol has.</summary>
        public static string CounterCount(object? statistic) =>
            (ViewProperty.Dictionary(statistic, nameof(ProtocolStatistic.Counters))?.Count ?? 0).ToString(CultureInfo.InvariantCulture);

        /// <summary>The Summary view's Changed: with -Interval, how many counters changed; empty without.</summary>
        public static string Changed(object? statistic) =>
            ViewProperty.Dictionary(statistic, nameof(ProtocolStatistic.Delta)) is IDictionary delta
                ? delta.Values.Cast<object>().Count(d => Number(d) != 0).ToString(CultureInfo.InvariantCulture)
                : "";

        /// <summary>netstat -e: the interface's name, state and MTU, then its received and sent counters side by side.</summary>
        public static string InterfaceBlock(object? statistic)
        {
            string Row(string label, string received, string sent) => Format("{0,-24} {1,20} {2,20}", label, received, sent);
            string Pair(string label, string received, string sent) =>
                Row(label, ViewProperty.Text(statistic, received), sent.Length == 0 ? "" : ViewProperty.Text(statistic, sent));
            string[] lines =
            {
                Format("{0} ({1}, MTU {2})", DisplayText.Escape(ViewProperty.Get(statistic, nameof(InterfaceStatistic.Name))),
                    ViewProperty.Text(statistic, nameof(InterfaceStatistic.State)), ViewProperty.Text(statistic, nameof(InterfaceStatistic.Mtu))),
                Row("", "Received", "Sent"),
                Pair("Bytes", nameof(InterfaceStatistic.ReceivedBytes), nameof(InterfaceStatistic.SentBytes)),
                Pair("Unicast packets", nameof(InterfaceStatistic.ReceivedUnicastPackets), nameof(InterfaceStatistic.SentUnicastPackets)),
                Pair("Non-unicast packets", nameof(InterfaceStatistic.ReceivedNonUnicastPackets), nameof(InterfaceStatistic.SentNonUnicastPackets)),
                Pair("Discards", nameof(InterfaceStatistic.ReceivedDiscardedPackets), nameof(InterfaceStatistic.SentDiscardedPackets)),
                Pair("Errors", nameof(InterfaceStatistic.ReceivedPacketErrors), nameof(InterfaceStatistic.SentPacketErrors)),
                Pair("Unknown protocols", nameof(InterfaceStatistic.ReceivedUnknownProtocols), ""),
            };
            return string.Join(Environment.NewLine, lines) + Environment.NewLine;
        }

        private static string FirstOf(object? statistic, params string[] properties) =>
            properties.Select(p => ViewProperty.Number(statistic, p)).FirstOrDefault(v => v != null)?.ToString(CultureInfo.CurrentCulture) ?? "";

        private static long? Number(object? value) => ViewProperty.AsNumber(value);

        private static string Format(string format, params object?[] values) => string.Format(CultureInfo.CurrentCulture, format, values);
    }
}
