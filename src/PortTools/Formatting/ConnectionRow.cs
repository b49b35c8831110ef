using System.Collections.Generic;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System;
using PortTools.Models;

namespace PortTools.Formatting
{
    /// <summary>
    /// One line of Get-PortConnection's netstat table, made here rather than by a script block per column: PowerShell
    /// runs a format script block for every cell, and at 20,000 sockets the six of them cost more than ss itself.
    /// Also the cells of the Process, Service and Wide views and Watch-PortConnection's line. Each takes a live
    /// PortConnection or its deserialized form (a job, a remote session, Import-Clixml).
    /// </summary>
    public static class ConnectionRow
    {
        // netstat's columns, sized so that the line fits 80 columns with room for the process name.
        private const int ProtoWidth = 5, EndpointWidth = 22, StateWidth = 11, PidWidth = 7;

        /// <summary>The header, aligned with <see cref="Format"/>.</summary>
        public static string Header { get; } = Line("Proto", "Local Address", "Foreign Address", "State", "PID", "Process");

        /// <summary>
        /// The row of one connection: endpoints cut in the address (never the port), text from other users escaped; with
        /// -Detailed, the connection's TCP details on the lines below, as ss -ti prints them.
        /// </summary>
        public static string Format(object? value) => value switch
        {
            PortConnection live => Line(
                live.Protocol == TransportProtocol.Tcp ? "TCP" : "UDP",
                DisplayText.Endpoint(live.LocalEndpoint, EndpointWidth),
                RemoteText(live.RemoteEndpoint, live.RemoteHostName, live.RemotePort),
                StateText(live.Protocol.ToString(), live.RemotePort, live.State is TcpState state ? StateNames[state] : ""),
                live.OwningProcess is int pid ? pid.ToString(CultureInfo.InvariantCulture) : "",
                ProcessText(live.ProcessName, live.Holders.Count)) + DetailLines(live.Detail),
            PSObject deserialized => Line(
                Text(deserialized, nameof(PortConnection.Protocol)).ToUpperInvariant(),
                DisplayText.Endpoint(deserialized.Properties[nameof(PortConnection.LocalEndpoint)]?.Value, EndpointWidth),
                RemoteText(deserialized, nameof(PortConnection.RemoteEndpoint)),
                State(deserialized),
                Text(deserialized, nameof(PortConnection.OwningProcess)),
                Process(deserialized))
                + DetailLines(deserialized.Properties[nameof(PortConnection.Detail)]?.Value), // its ss-style text, whatever the depth
            _ => "",
        };

        /// <summary>The State column: the TCP state, or for UDP whether the socket is connected (ss: UNCONN, ESTAB).</summary>
        public static string State(object? value) => StateText(
            ViewProperty.Text(value, nameof(PortConnection.Protocol)),
            (int)(ViewProperty.Number(value, nameof(PortConnection.RemotePort)) ?? 0),
            DisplayText.Escape(ViewProperty.Get(value, nameof(PortConnection.State))));

        /// <summary>The Process column: the owner's name, with "+N" for the other processes that hold the socket too.</summary>
        public static string Process(object? value) =>
            ProcessText(ViewProperty.Get(value, nameof(PortConnection.ProcessName)), ViewProperty.Items(value, nameof(PortConnection.Holders)).Length);

        /// <summary>Every holder as "name(pid)", one space apart (ss -p).</summary>
        public static string Holders(object? value) =>
            string.Join(" ", ViewProperty.Items(value, nameof(PortConnection.Holders)).Select(DisplayText.Escape));

        /// <summary>
        /// The Process view's group: "name (pid)", or "(unknown)" when no owner is known; "computer: name (pid)" for rows
        /// from remoting, since Format-Table -GroupBy PSComputerName would keep this view's group label.
        /// </summary>
        public static string Owner(object? value)
        {
            string owner = ViewProperty.Number(value, nameof(PortConnection.OwningProcess)) is long pid
                ? DisplayText.Escape(ViewProperty.Get(value, nameof(PortConnection.ProcessName))) + " (" + pid.ToString(CultureInfo.InvariantCulture) + ")"
                : "(unknown)";
            string computer = ViewProperty.Text(value, "PSComputerName");
            return computer.Length > 0 ? DisplayText.Escape(computer) + ": " + owner : owner;
        }

        /// <summary>
        /// An end as netstat without -n writes it, the port by its service name where one is known ("[::1]:ssh"), cut
        /// to the column in the address; an unconnected remote end is "0.0.0.0:*".
        /// </summary>
        public static string ServiceEndpoint(object? value, bool remote)
        {
            string address = ViewProperty.Text(value, remote ? nameof(PortConnection.RemoteAddress) : nameof(PortConnection.LocalAddress));
            long port = ViewProperty.Number(value, remote ? nameof(PortConnection.RemotePort) : nameof(PortConnection.LocalPort)) ?? 0;
            string service = ViewProperty.Text(value, remote ? nameof(PortConnection.RemoteService) : nameof(PortConnection.LocalService));
            string portText = remote && port == 0 ? "*" : service.Length > 0 ? service : port.ToString(CultureInfo.InvariantCulture);
            return DisplayText.Endpoint(Models.Endpoint.Format(address, portText), EndpointWidth);
        }

        /// <summary>The header of Watch-PortConnection's table, aligned with <see cref="FormatChange"/>.</summary>
        public static string ChangeHeader { get; } =
            "Time     Change  " + Line("Proto", "Local Address", "Foreign Address", "State".PadRight(ChangeStateWidth), "PID", "Process");

        /// <summary>
        /// The row of one PortConnectionChange, live or deserialized: the time and kind of change before the connection
        /// row, the state as "old -> new" when it changed. Read from the change's flat properties, which survive
        /// serialization whole.
        /// </summary>
        public static string FormatChange(object? value)
        {
            if (value == null) return "";
            PSObject change = PSObject.AsPSObject(value);
            string kind = Text(change, nameof(PortConnectionChange.Change));
            string state = Text(change, nameof(PortConnectionChange.State));
            string previous = Text(change, nameof(PortConnectionChange.PreviousState));
            string protocol = Text(change, nameof(PortConnectionChange.Protocol));
            int remotePort = int.TryParse(Text(change, nameof(PortConnectionChange.RemotePort)), out int port) ? port : 0;
            string time = change.Properties[nameof(PortConnectionChange.Time)]?.Value is DateTime at
                ? at.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
                : Text(change, nameof(PortConnectionChange.Time));
            return time.PadRight(8) + " " + (kind == nameof(ConnectionChangeKind.StateChanged) ? "State" : kind).PadRight(7) + " " + Line(
                protocol.ToUpperInvariant(),
                DisplayText.Endpoint(change.Properties[nameof(PortConnectionChange.LocalEndpoint)]?.Value, EndpointWidth),
                RemoteText(change, nameof(PortConnectionChange.RemoteEndpoint)),
                (previous.Length > 0 ? previous + " -> " + state : StateText(protocol, remotePort, state)).PadRight(ChangeStateWidth),
                Text(change, nameof(PortConnectionChange.OwningProcess)),
                DisplayText.Escape(change.Properties[nameof(PortConnectionChange.ProcessName)]?.Value));
        }

        // Detail lines start under the local address and end before the 80th column.
        private const string DetailIndent = "      ";
        private const int DetailWidth = 79;

        /// <summary>ss -ti's second line: the TCP details (their ss-style text), escaped and cut at spaces into lines that fit.</summary>
        private static string DetailLines(object? detail)
        {
            string text = DisplayText.Escape(detail);
            if (text.Length == 0) return "";
            var lines = new StringBuilder(text.Length + 32);
            int width = DetailWidth;
            foreach (string word in text.Split(' '))
            {
                if (width + 1 + word.Length > DetailWidth)
                {
                    lines.Append('\n').Append(DetailIndent);
                    width = DetailIndent.Length - 1; // the space below is not written at the start of a line
                }
                else
                {
                    lines.Append(' ');
                }
                lines.Append(word);
                width += 1 + word.Length;
            }
            return lines.ToString();
        }

        // "Established -> CloseWait": two state names and the arrow.
        private const int ChangeStateWidth = 2 * StateWidth + 4;

        /// <summary>The Foreign Address column: the remote host's name in place of its address once resolved (netstat -f).</summary>
        private static string RemoteText(string endpoint, string? hostName, int port) =>
            DisplayText.Endpoint(string.IsNullOrEmpty(hostName) ? endpoint : Models.Endpoint.Format(hostName!, port), EndpointWidth);

        private static string RemoteText(PSObject value, string endpointProperty) =>
            RemoteText(value.Properties[endpointProperty]?.Value?.ToString() ?? "",
                value.Properties[nameof(PortConnection.RemoteHostName)]?.Value?.ToString(),
                int.TryParse(value.Properties[nameof(PortConnection.RemotePort)]?.Value?.ToString(), out int port) ? port : 0);

        // Enum names made once: Enum.ToString on every row is a measurable share of the table.
        private static readonly Dictionary<TcpState, string> StateNames =
            Enum.GetValues(typeof(TcpState)).Cast<TcpState>().ToDictionary(state => state, state => state.ToString());

        private static string StateText(string protocol, int remotePort, string state) =>
            string.Equals(protocol, "Udp", StringComparison.OrdinalIgnoreCase)
                ? (remotePort == 0 ? "Unconnected" : "Connected") // ss: UNCONN, ESTAB
                : state;

        private static string ProcessText(object? name, int holders) =>
            holders > 1 ? DisplayText.Escape(name) + " +" + (holders - 1).ToString(CultureInfo.InvariantCulture) : DisplayText.Escape(name);

        private static string Line(string protocol, string local, string remote, string state, string pid, string process) =>
            new StringBuilder(80)
                .Append(protocol.PadRight(ProtoWidth)).Append(' ')
                .Append(local.PadRight(EndpointWidth)).Append(' ')
                .Append(remote.PadRight(EndpointWidth)).Append(' ')
                .Append(state.PadRight(StateWidth)).Append(' ')
                .Append(pid.PadLeft(PidWidth)).Append(' ')
                .Append(process)
                .ToString();

        private static string Text(PSObject value, string name) => DisplayText.Escape(value.Properties[name]?.Value);
    }
}
