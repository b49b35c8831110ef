namespace PortTools.Tests
{
    /// <summary>
    /// A statistics struct as the kernel copies it out, built at the sizes and offsets of docs/dev/platform-layouts.md
    /// (macOS "Statistics"), which came from offsetof() over the xnu headers, not from the decoder's field lists.
    /// </summary>
    internal sealed class MacStatisticsBuilder
    {
        // sizeof() per release: xnu-8019 (macOS 12), xnu-8792 (13, same in 10002 and 10063), xnu-11215 (15, same in 11417).
        internal const int Tcpstat8019 = 960, Tcpstat8792 = 976, Tcpstat11215 = 992;
        internal const int Udpstat = 88, Ipstat8019 = 184, Ipstat11215 = 196, Icmpstat = 368, Ip6stat = 3592, Icmp6stat = 4344;

        internal MacStatisticsBuilder(int size) => Bytes = new byte[size];

        internal byte[] Bytes { get; }

        internal MacStatisticsBuilder U32(int offset, uint value)
        {
            for (int i = 0; i < 4; i++) Bytes[offset + i] = (byte)(value >> (8 * i));
            return this;
        }

        internal MacStatisticsBuilder U64(int offset, ulong value)
        {
            for (int i = 0; i < 8; i++) Bytes[offset + i] = (byte)(value >> (8 * i));
            return this;
        }

        /// <summary>Every 4-byte word set to its own index + 1, so a field read from the wrong place shows.</summary>
        internal static MacStatisticsBuilder Numbered(int size)
        {
            var builder = new MacStatisticsBuilder(size);
            for (int offset = 0; offset + 4 <= size; offset += 4) builder.U32(offset, (uint)(offset / 4 + 1));
            return builder;
        }
    }
}
