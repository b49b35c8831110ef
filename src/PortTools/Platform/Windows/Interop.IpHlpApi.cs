using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// The IP Helper calls the Windows backend needs (iphlpapi.h). Only I/O: each call returns the table's raw
    /// bytes, copied out of native memory, for the pure decoders.
    /// </summary>
    internal static class IpHlpApi
    {
        private const string Library = "iphlpapi.dll";

        internal const uint AF_INET = 2;
        internal const uint AF_INET6 = 23;
        internal const int TCP_TABLE_OWNER_PID_LISTENER = 3;
        internal const int TCP_TABLE_OWNER_PID_ALL = 5;
        internal const int UDP_TABLE_OWNER_PID = 1;

        private const uint NO_ERROR = 0;
        private const uint ERROR_INSUFFICIENT_BUFFER = 122;
        private const uint ERROR_NO_DATA = 232;
        private const uint STATUS_UNSUCCESSFUL = 0xC0000001;

        /// <summary>DWORD GetExtendedTcpTable(PVOID, PDWORD, BOOL bOrder, ULONG ulAf, TCP_TABLE_CLASS, ULONG Reserved)</summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetExtendedTcpTable(IntPtr table, ref uint size, bool order, uint family, int tableClass, uint reserved);

        /// <summary>DWORD GetExtendedUdpTable(PVOID, PDWORD, BOOL bOrder, ULONG ulAf, UDP_TABLE_CLASS, ULONG Reserved)</summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetExtendedUdpTable(IntPtr table, ref uint size, bool order, uint family, int tableClass, uint reserved);

        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetIpStatisticsEx(byte[] stats, uint family);

        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetIcmpStatisticsEx(byte[] stats, uint family);

        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetTcpStatisticsEx(byte[] stats, uint family);

        /// <summary>Windows 10 1709 and later: 64-bit segment counts.</summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetTcpStatisticsEx2(byte[] stats, uint family);

        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetUdpStatisticsEx(byte[] stats, uint family);

        /// <summary>Windows 10 1709 and later: 64-bit datagram counts.</summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetUdpStatisticsEx2(byte[] stats, uint family);

        private const uint ERROR_NOT_SUPPORTED = 50;

        internal static byte[] IpStatistics(uint family) => Statistics(GetIpStatisticsEx, StatisticsDecoder.IpStatsLength, family);

        internal static byte[] IcmpStatistics(uint family) => Statistics(GetIcmpStatisticsEx, StatisticsDecoder.IcmpExLength, family);

        internal static byte[] TcpStatistics(uint family) =>
            StatisticsOrOlder(GetTcpStatisticsEx2, StatisticsDecoder.TcpStats2Length, GetTcpStatisticsEx, StatisticsDecoder.TcpStatsLength, family);

        internal static byte[] UdpStatistics(uint family) =>
            StatisticsOrOlder(GetUdpStatisticsEx2, StatisticsDecoder.UdpStats2Length, GetUdpStatisticsEx, StatisticsDecoder.UdpStatsLength, family);

        private static byte[] Statistics(Func<byte[], uint, uint> call, int length, uint family)
        {
            var stats = new byte[length];
            uint rc = call(stats, family);
            if (rc != NO_ERROR) throw new Win32Exception((int)rc);
            return stats;
        }

        /// <summary>The *Ex2 structure where Windows has it, else the older 32-bit one.</summary>
        private static byte[] StatisticsOrOlder(Func<byte[], uint, uint> call2, int length2, Func<byte[], uint, uint> call, int length, uint family)
        {
            try
            {
                var stats = new byte[length2];
                uint rc = call2(stats, family);
                if (rc == NO_ERROR) return stats;
                if (rc != ERROR_NOT_SUPPORTED) throw new Win32Exception((int)rc);
            }
            catch (EntryPointNotFoundException)
            {
                // before Windows 10 1709
            }
            return Statistics(call, length, family);
        }

        /// <summary>
        /// ULONG GetPerTcpConnectionEStats(PMIB_TCPROW Row, TCP_ESTATS_TYPE, PUCHAR Rw, ULONG RwVersion, ULONG RwSize,
        /// PUCHAR Ros, ULONG RosVersion, ULONG RosSize, PUCHAR Rod, ULONG RodVersion, ULONG RodSize)
        /// </summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetPerTcpConnectionEStats(byte[] row, int type, byte[] rw, uint rwVersion, uint rwSize,
            IntPtr ros, uint rosVersion, uint rosSize, byte[] rod, uint rodVersion, uint rodSize);

        /// <summary>The same for an IPv6 connection (PMIB_TCP6ROW).</summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetPerTcp6ConnectionEStats(byte[] row, int type, byte[] rw, uint rwVersion, uint rwSize,
            IntPtr ros, uint rosVersion, uint rosSize, byte[] rod, uint rodVersion, uint rodSize);

        /// <summary>
        /// One kind of extended statistics of the connection <paramref name="row"/> names: its ROD bytes, or null when
        /// Windows does not collect that kind for it (collection is off unless an administrator turned it on with
        /// SetPerTcpConnectionEStats) or the call fails (the connection is gone). The Rw answer, a BOOLEAN
        /// EnableCollection for every kind read here, tells the two apart from a ROD of zeros.
        /// </summary>
        internal static byte[]? TcpEStats(byte[] row, bool ipv6, int type, int rodLength)
        {
            var rw = new byte[1];
            var rod = new byte[rodLength];
            uint rc = ipv6
                ? GetPerTcp6ConnectionEStats(row, type, rw, 0, 1, IntPtr.Zero, 0, 0, rod, 0, (uint)rodLength)
                : GetPerTcpConnectionEStats(row, type, rw, 0, 1, IntPtr.Zero, 0, 0, rod, 0, (uint)rodLength);
            return rc == NO_ERROR && rw[0] != 0 ? rod : null;
        }

        /// <summary>NETIO_STATUS GetIfTable2(PMIB_IF_TABLE2 *Table): the table is allocated by the call.</summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetIfTable2(out IntPtr table);

        /// <summary>VOID FreeMibTable(PVOID Memory)</summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern void FreeMibTable(IntPtr memory);

        /// <summary>NETIO_STATUS GetIpForwardTable2(ADDRESS_FAMILY Family, PMIB_IPFORWARD_TABLE2 *Table)</summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetIpForwardTable2(ushort family, out IntPtr table);

        /// <summary>
        /// NETIO_STATUS GetBestRoute2(NET_LUID *InterfaceLuid, NET_IFINDEX InterfaceIndex, const SOCKADDR_INET *SourceAddress,
        /// const SOCKADDR_INET *DestinationAddress, ULONG AddressSortOptions, PMIB_IPFORWARD_ROW2 BestRoute, SOCKADDR_INET *BestSourceAddress)
        /// </summary>
        [DllImport(Library, ExactSpelling = true)]
        private static extern uint GetBestRoute2(IntPtr interfaceLuid, uint interfaceIndex, IntPtr sourceAddress, byte[] destinationAddress,
            uint addressSortOptions, byte[] bestRoute, byte[] bestSourceAddress);

        private const uint ERROR_NOT_FOUND = 1168, ERROR_NETWORK_UNREACHABLE = 1231;

        /// <summary>MIB_IPFORWARD_TABLE2 of both families, copied out before the native table is freed.</summary>
        internal static byte[] IpForwardTable2() =>
            CopyMibTable((out IntPtr table) => GetIpForwardTable2(0 /* AF_UNSPEC */, out table), ForwardTable2Decoder.RowsOffset, ForwardTable2Decoder.RowSize);

        /// <summary>
        /// The route and source address Windows picks for a destination (what Find-NetRoute reports); false when
        /// there is none.
        /// </summary>
        internal static bool BestRoute2(byte[] destination, byte[] bestRoute, byte[] bestSource)
        {
            uint rc = GetBestRoute2(IntPtr.Zero, 0, IntPtr.Zero, destination, 0, bestRoute, bestSource);
            if (rc == ERROR_NOT_FOUND || rc == ERROR_NETWORK_UNREACHABLE) return false;
            // FormatMessage's text ends in a period; the cmdlet ends the sentence itself, as after strerror's text.
            if (rc != NO_ERROR) throw new Win32Exception((int)rc, new Win32Exception((int)rc).Message.TrimEnd('.', ' '));
            return true;
        }

        private delegate uint MibTableCall(out IntPtr table);

        /// <summary>Copies a table the call allocated (ULONG NumEntries, rows from rowsOffset) and frees it with FreeMibTable.</summary>
        private static byte[] CopyMibTable(MibTableCall call, int rowsOffset, int rowSize)
        {
            uint rc = call(out IntPtr table);
            if (rc != NO_ERROR) throw new Win32Exception((int)rc);
            try
            {
                int length = rowsOffset + Marshal.ReadInt32(table) * rowSize;
                var copy = new byte[length];
                Marshal.Copy(table, copy, 0, length);
                return copy;
            }
            finally
            {
                FreeMibTable(table);
            }
        }

        /// <summary>MIB_IF_TABLE2, copied out (header + NumEntries rows) before the native table is freed.</summary>
        internal static byte[] IfTable2() => CopyMibTable(GetIfTable2, IfTable2Decoder.RowsOffset, IfTable2Decoder.RowSize);

        internal static byte[] TcpTable(uint family, int tableClass) =>
            ReadTable((IntPtr buffer, ref uint size) => GetExtendedTcpTable(buffer, ref size, false, family, tableClass, 0));

        internal static byte[] UdpTable(uint family) =>
            ReadTable((IntPtr buffer, ref uint size) => GetExtendedUdpTable(buffer, ref size, false, family, UDP_TABLE_OWNER_PID, 0));

        private delegate uint TableCall(IntPtr buffer, ref uint size);

        /// <summary>
        /// Asks for the size, then for the table, with 25 % slack: the table can grow between the two calls,
        /// so a bounded retry as psutil does (socks.c); STATUS_UNSUCCESSFUL is retried too.
        /// </summary>
        private static byte[] ReadTable(TableCall call)
        {
            uint size = 0;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                uint rc = call(IntPtr.Zero, ref size);
                if (rc == ERROR_NO_DATA) return new byte[4]; // dwNumEntries = 0
                if (rc != ERROR_INSUFFICIENT_BUFFER && rc != NO_ERROR) throw new Win32Exception((int)rc);
                uint allocated = size + size / 4;
                IntPtr buffer = Marshal.AllocHGlobal((int)allocated);
                try
                {
                    size = allocated;
                    rc = call(buffer, ref size);
                    if (rc == NO_ERROR)
                    {
                        var copy = new byte[allocated];
                        Marshal.Copy(buffer, copy, 0, copy.Length);
                        return copy; // the decoder trusts dwNumEntries and checks it against this length
                    }
                    if (rc != ERROR_INSUFFICIENT_BUFFER && rc != STATUS_UNSUCCESSFUL) throw new Win32Exception((int)rc);
                }
                finally
                {
                    Marshal.FreeHGlobal(buffer);
                }
            }
            throw new Win32Exception((int)ERROR_INSUFFICIENT_BUFFER, "The socket table kept growing while it was read.");
        }
    }
}
