using System;

namespace PortTools.Models
{
    /// <summary>
    /// One change seen by Watch-PortConnection. The connection's main properties are repeated flat, so that
    /// Export-Csv and Where-Object read them without a nested object; <see cref="Connection"/> has the rest.
    /// </summary>
    public sealed class PortConnectionChange
    {
        internal PortConnectionChange(DateTime time, ConnectionChangeKind change, PortConnection connection, TcpState? previousState)
        {
            Time = time;
            Change = change;
            Connection = connection;
            PreviousState = previousState;
        }

        /// <summary>When the refresh that saw the change read the sockets (local time).</summary>
        public DateTime Time { get; }

        /// <summary>Opened, Closed or StateChanged.</summary>
        public ConnectionChangeKind Change { get; }

        /// <summary>The connection as last seen: after the change, or, when closed, as it was before.</summary>
        public PortConnection Connection { get; }

        /// <summary>The TCP state before a StateChanged; empty for Opened and Closed.</summary>
        public TcpState? PreviousState { get; }

        /// <summary>The TCP state now (for Closed: the last state seen); empty for UDP.</summary>
        public TcpState? State => Connection.State;

        /// <summary>Tcp or Udp.</summary>
        public TransportProtocol Protocol => Connection.Protocol;

        /// <summary>Local address.</summary>
        public string LocalAddress => Connection.LocalAddress;

        /// <summary>Local port.</summary>
        public int LocalPort => Connection.LocalPort;

        /// <summary>Remote address.</summary>
        public string RemoteAddress => Connection.RemoteAddress;

        /// <summary>Remote port; 0 when not connected.</summary>
        public int RemotePort => Connection.RemotePort;

        /// <summary>Host name of the remote address, with -ResolveHostName.</summary>
        public string? RemoteHostName => Connection.RemoteHostName;

        /// <summary>Process id of the owner, where known.</summary>
        public int? OwningProcess => Connection.OwningProcess;

        /// <summary>Name of the owning process.</summary>
        public string? ProcessName => Connection.ProcessName;

        /// <summary>The local end as netstat writes it.</summary>
        public string LocalEndpoint => Connection.LocalEndpoint;

        /// <summary>The remote end as netstat writes it.</summary>
        public string RemoteEndpoint => Connection.RemoteEndpoint;

        public override string ToString() => $"{Time:HH:mm:ss} {Change} {Connection}";
    }
}
