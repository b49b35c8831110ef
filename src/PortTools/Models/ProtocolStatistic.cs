using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace PortTools.Models
{
    /// <summary>The protocols whose counters Get-ProtocolStatistic reports.</summary>
    public enum NetworkProtocol
    {
        Ip,
        Icmp,
        Tcp,
        Udp,
        UdpLite,
        MPTcp,
        /// <summary>A counter group this version does not know yet; its counters are still reported.</summary>
        Other,
    }

    /// <summary>
    /// The counters of one protocol (netstat -s, nstat). The common MIB-II counters (RFC 4293 IP and ICMP,
    /// RFC 4022 TCP, RFC 4113 UDP) are typed properties with the same names on every OS, empty where the
    /// protocol or OS has no such counter; <see cref="Counters"/> keeps every raw counter under the OS's own
    /// name (on Linux the nstat name: TcpActiveOpens, TcpExtTCPSackRecovery, Ip6InReceives).
    /// </summary>
    public sealed class ProtocolStatistic
    {
        private readonly IReadOnlyDictionary<string, string> _common;

        /// <summary>
        /// <paramref name="common"/> maps each typed property to the OS's raw counter name, for the counters this OS has.
        /// </summary>
        internal ProtocolStatistic(NetworkProtocol protocol, IPVersion? family, IDictionary<string, long> counters,
            IReadOnlyDictionary<string, string> common)
        {
            Protocol = protocol;
            AddressFamily = family;
            Counters = new ReadOnlyDictionary<string, long>(counters);
            _common = common;
        }

        // This reading with its change over an interval.
        private ProtocolStatistic(ProtocolStatistic reading, CounterChange change)
            : this(reading.Protocol, reading.AddressFamily, reading.Counters, reading._common) => _change = change;

        private readonly CounterChange? _change;

        public NetworkProtocol Protocol { get; }

        /// <summary>IPv4 or IPv6; empty when the OS counts both families together (Linux TCP).</summary>
        public IPVersion? AddressFamily { get; }

        /// <summary>Every counter the OS exposes for this protocol, by raw name, in the OS's order.</summary>
        public ReadOnlyDictionary<string, long> Counters { get; }

        /// <summary>With -Interval: the seconds between the two readings.</summary>
        public double? IntervalSeconds => _change?.Seconds;

        /// <summary>
        /// With -Interval: how much each counter changed over the interval, signed (see CounterChange): a gauge such
        /// as CurrEstab may fall, and so does a counter that restarted.
        /// </summary>
        public ReadOnlyDictionary<string, long>? Delta => _change?.Delta;

        /// <summary>With -Interval: each change divided by the interval.</summary>
        public ReadOnlyDictionary<string, double>? PerSecond => _change?.PerSecond;

        // IP (RFC 4293 ipSystemStatsTable)
        public long? InReceives => Common(nameof(InReceives));
        public long? InHeaderErrors => Common(nameof(InHeaderErrors));
        public long? InAddressErrors => Common(nameof(InAddressErrors));
        public long? ForwardedDatagrams => Common(nameof(ForwardedDatagrams));
        public long? InUnknownProtocols => Common(nameof(InUnknownProtocols));
        public long? InDiscards => Common(nameof(InDiscards));
        public long? InDelivers => Common(nameof(InDelivers));
        public long? OutRequests => Common(nameof(OutRequests));
        public long? OutDiscards => Common(nameof(OutDiscards));
        public long? OutNoRoutes => Common(nameof(OutNoRoutes));
        public long? ReassemblyRequired => Common(nameof(ReassemblyRequired));
        public long? ReassemblyOk => Common(nameof(ReassemblyOk));
        public long? ReassemblyFailed => Common(nameof(ReassemblyFailed));
        public long? FragmentsOk => Common(nameof(FragmentsOk));
        public long? FragmentsFailed => Common(nameof(FragmentsFailed));
        public long? FragmentsCreated => Common(nameof(FragmentsCreated));

        // ICMP (RFC 4293 icmpStatsTable, icmpMsgStatsTable)
        public long? InMessages => Common(nameof(InMessages));
        public long? OutMessages => Common(nameof(OutMessages));
        public long? OutErrors => Common(nameof(OutErrors));
        public long? InDestinationUnreachable => Common(nameof(InDestinationUnreachable));
        public long? OutDestinationUnreachable => Common(nameof(OutDestinationUnreachable));
        public long? InEchos => Common(nameof(InEchos));
        public long? InEchoReplies => Common(nameof(InEchoReplies));
        public long? OutEchos => Common(nameof(OutEchos));
        public long? OutEchoReplies => Common(nameof(OutEchoReplies));

        // TCP (RFC 4022)
        public long? ActiveOpens => Common(nameof(ActiveOpens));
        public long? PassiveOpens => Common(nameof(PassiveOpens));
        public long? AttemptFails => Common(nameof(AttemptFails));
        public long? EstablishedResets => Common(nameof(EstablishedResets));
        public long? CurrentEstablished => Common(nameof(CurrentEstablished));
        public long? InSegments => Common(nameof(InSegments));
        public long? OutSegments => Common(nameof(OutSegments));
        public long? SegmentsRetransmitted => Common(nameof(SegmentsRetransmitted));
        public long? OutResets => Common(nameof(OutResets));

        // UDP (RFC 4113); InErrors is shared with ICMP and TCP.
        public long? InDatagrams => Common(nameof(InDatagrams));
        public long? OutDatagrams => Common(nameof(OutDatagrams));
        public long? NoPorts => Common(nameof(NoPorts));
        public long? InErrors => Common(nameof(InErrors));
        public long? ReceiveBufferErrors => Common(nameof(ReceiveBufferErrors));
        public long? SendBufferErrors => Common(nameof(SendBufferErrors));

        private long? Common(string property) =>
            _common.TryGetValue(property, out string? raw) && Counters.TryGetValue(raw, out long value) ? value : (long?)null;

        /// <summary>
        /// This reading with its change since <paramref name="earlier"/>, <paramref name="seconds"/> before: a new object,
        /// by the rule <see cref="CounterChange"/> sets for both statistics.
        /// </summary>
        internal ProtocolStatistic WithChangeSince(ProtocolStatistic? earlier, double seconds) =>
            new ProtocolStatistic(this, CounterChange.Between(Counters, earlier?.Counters, seconds));

        public override string ToString() => AddressFamily is IPVersion family ? $"{Protocol} ({family})" : Protocol.ToString();
    }
}
