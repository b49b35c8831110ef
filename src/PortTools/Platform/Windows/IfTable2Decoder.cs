using System.Collections.Generic;
using System.Net.NetworkInformation;
using System.Text;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// Decodes MIB_IF_TABLE2 from GetIfTable2 (netioapi.h, ifdef.h; docs/dev/platform-layouts.md, "Interfaces: MIB_IF_TABLE2"): a ULONG
    /// NumEntries, then 1352-byte MIB_IF_ROW2 rows from offset 8. Pure: bytes in, interfaces out.
    /// </summary>
    internal static class IfTable2Decoder
    {
        internal const int RowsOffset = 8, RowSize = 1352;
        private const int AliasOffset = 28, AliasBytes = 514; // WCHAR Alias[IF_MAX_STRING_SIZE + 1]
        private const byte FilterInterfaceFlag = 0x02;         // InterfaceAndOperStatusFlags.FilterInterface

        // The 64-bit counters from InOctets (offset 1208) to OutQLen (1344), in row order.
        private static readonly string[] Counters =
        {
            "InOctets", "InUcastPkts", "InNUcastPkts", "InDiscards", "InErrors", "InUnknownProtos",
            "InUcastOctets", "InMulticastOctets", "InBroadcastOctets",
            "OutOctets", "OutUcastPkts", "OutNUcastPkts", "OutDiscards", "OutErrors",
            "OutUcastOctets", "OutMulticastOctets", "OutBroadcastOctets", "OutQLen",
        };

        /// <summary>
        /// One statistic per interface. Filter interfaces (LWF drivers stacked on a miniport) are left out:
        /// they repeat their miniport's counters, and netstat -e counts each adapter once.
        /// </summary>
        internal static List<InterfaceStatistic> Decode(byte[] table)
        {
            ByteReader.Require(table.Length, 0, RowsOffset, "MIB_IF_TABLE2");
            uint count = ByteReader.UInt32LittleEndian(table, 0);
            ByteReader.Require(table.Length, RowsOffset, (int)System.Math.Min(count * (ulong)RowSize, int.MaxValue), $"MIB_IF_TABLE2 with {count} rows");
            var interfaces = new List<InterfaceStatistic>();
            for (int i = 0, row = RowsOffset; i < count; i++, row += RowSize)
            {
                if ((table[row + 1152] & FilterInterfaceFlag) != 0) continue;
                var counters = new Dictionary<string, ulong>();
                for (int c = 0; c < Counters.Length; c++) counters[Counters[c]] = ByteReader.UInt64LittleEndian(table, row + 1208 + 8 * c);
                ulong inUnicast = counters["InUcastPkts"], inOther = counters["InNUcastPkts"];
                ulong outUnicast = counters["OutUcastPkts"], outOther = counters["OutNUcastPkts"];
                interfaces.Add(new InterfaceStatistic(Alias(table, row + AliasOffset), counters)
                {
                    InterfaceIndex = (int)ByteReader.UInt32LittleEndian(table, row + 8),
                    Mtu = (int)ByteReader.UInt32LittleEndian(table, row + 1124),
                    // IF_OPER_STATUS numbers its states as OperationalStatus does (Up = 1 ... LowerLayerDown = 7).
                    State = (OperationalStatus)ByteReader.UInt32LittleEndian(table, row + 1156),
                    ReceivedBytes = counters["InOctets"],
                    ReceivedPackets = inUnicast + inOther,
                    ReceivedUnicastPackets = inUnicast,
                    ReceivedNonUnicastPackets = inOther,
                    ReceivedDiscardedPackets = counters["InDiscards"],
                    ReceivedPacketErrors = counters["InErrors"],
                    ReceivedUnknownProtocols = counters["InUnknownProtos"],
                    SentBytes = counters["OutOctets"],
                    SentPackets = outUnicast + outOther,
                    SentUnicastPackets = outUnicast,
                    SentNonUnicastPackets = outOther,
                    SentDiscardedPackets = counters["OutDiscards"],
                    SentPacketErrors = counters["OutErrors"],
                });
            }
            return interfaces;
        }

        /// <summary>The NUL-terminated UTF-16LE alias ("Ethernet", "Wi-Fi").</summary>
        private static string Alias(byte[] table, int offset)
        {
            int length = 0;
            while (length < AliasBytes - 1 && (table[offset + length] | table[offset + length + 1]) != 0) length += 2;
            return Encoding.Unicode.GetString(table, offset, length);
        }
    }
}
