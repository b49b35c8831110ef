using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace PortTools
{
    /// <summary>
    /// One line of Get-PortConnection's netstat table, made here rather than by a script block per column: PowerShell
    /// runs a format script block for every cell, and at 20,000 sockets the six of them cost more than ss itself.
    /// Takes a live PortConnection or its deserialized form (a job, a remote session, Import-Clixml).
    /// </summary>
    public static class ConnectionRow
    {
        // netstat's columns, sized so that the line fits 80 columns with room for the process name.
        private const int ProtoWidth = 5, EndpointWidth = 22, StateWidth = 11, PidWidth = 7;

        /// <summary>The header, aligned with <see cref="Format"/>.</summary>
        public static string Header { get; } = Line("Proto", "Local Address", "Foreign Address", "State", "PID", "Process");

        /// <summary>The row of one connection: endpoints cut in the address (never the port), text from other users escaped.</summary>
        public static string Format(object? value) => value switch
        {
            PortConnection live => Line(
                live.Protocol == TransportProtocol.Tcp ? "TCP" : "UDP",
                DisplayText.Endpoint(live.LocalEndpoint, EndpointWidth),
                DisplayText.Endpoint(live.RemoteEndpoint, EndpointWidth),
                StateText(live.Protocol.ToString(), live.RemotePort, live.State is TcpState state ? StateNames[state] : ""),
                live.OwningProcess is int pid ? pid.ToString(CultureInfo.InvariantCulture) : "",
                ProcessText(live.ProcessName, live.Holders.Count)),
            PSObject deserialized => Line(
                Text(deserialized, nameof(PortConnection.Protocol)).ToUpperInvariant(),
                DisplayText.Endpoint(deserialized.Properties[nameof(PortConnection.LocalEndpoint)]?.Value, EndpointWidth),
                DisplayText.Endpoint(deserialized.Properties[nameof(PortConnection.RemoteEndpoint)]?.Value, EndpointWidth),
                StateText(Text(deserialized, nameof(PortConnection.Protocol)),
                    int.TryParse(Text(deserialized, nameof(PortConnection.RemotePort)), out int port) ? port : 0,
                    Text(deserialized, nameof(PortConnection.State))),
                Text(deserialized, nameof(PortConnection.OwningProcess)),
                ProcessText(deserialized.Properties[nameof(PortConnection.ProcessName)]?.Value,
                    deserialized.Properties[nameof(PortConnection.Holders)]?.Value is ICollection holders ? holders.Count : 0)),
            _ => "",
        };

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
