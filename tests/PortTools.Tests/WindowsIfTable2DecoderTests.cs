using System.Linq;
using System.Net.NetworkInformation;
using System.Text;
using System;
using PortTools.Models;
using PortTools.Platform.Windows;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>MIB_IF_TABLE2 rows laid out from the offsets of docs/dev/platform-layouts.md, "Interfaces: MIB_IF_TABLE2".</summary>
    public class WindowsIfTable2DecoderTests
    {
        private const int Row = 1352;

        /// <summary>A row with distinct counter values: counter c (0 = InOctets ... 17 = OutQLen) holds base + c.</summary>
        private static byte[] IfRow(uint index, string alias, uint mtu, uint operStatus, ulong counterBase, byte flags = 0)
        {
            var row = new byte[Row];
            BitConverter.GetBytes(index).CopyTo(row, 8);
            Encoding.Unicode.GetBytes(alias).CopyTo(row, 28);
            Encoding.Unicode.GetBytes("a description that must not leak into the alias").CopyTo(row, 542);
            BitConverter.GetBytes(mtu).CopyTo(row, 1124);
            row[1152] = flags;
            BitConverter.GetBytes(operStatus).CopyTo(row, 1156);
            for (int c = 0; c < 18; c++) BitConverter.GetBytes(counterBase + (ulong)c).CopyTo(row, 1208 + 8 * c);
            return row;
        }

        private static byte[] Table(params byte[][] rows) => WindowsMibTable.Build(8, rows);

        [Fact]
        public void DecodesEveryNetstatECounter()
        {
            var interfaces = IfTable2Decoder.Decode(Table(IfRow(12, "Ethernet", 1500, 1, 5_000_000_000)));
            InterfaceStatistic ethernet = Assert.Single(interfaces);
            Assert.Equal("Ethernet", ethernet.Name);
            Assert.Equal(12, ethernet.InterfaceIndex);
            Assert.Equal(1500, ethernet.Mtu);
            Assert.Equal(OperationalStatus.Up, ethernet.State);
            Assert.Equal(5_000_000_000ul, ethernet.ReceivedBytes);            // InOctets
            Assert.Equal(5_000_000_001ul, ethernet.ReceivedUnicastPackets);   // InUcastPkts
            Assert.Equal(5_000_000_002ul, ethernet.ReceivedNonUnicastPackets);
            Assert.Equal(10_000_000_003ul, ethernet.ReceivedPackets);
            Assert.Equal(5_000_000_003ul, ethernet.ReceivedDiscardedPackets);
            Assert.Equal(5_000_000_004ul, ethernet.ReceivedPacketErrors);
            Assert.Equal(5_000_000_005ul, ethernet.ReceivedUnknownProtocols);
            Assert.Equal(5_000_000_009ul, ethernet.SentBytes);                // OutOctets
            Assert.Equal(5_000_000_010ul, ethernet.SentUnicastPackets);
            Assert.Equal(5_000_000_011ul, ethernet.SentNonUnicastPackets);
            Assert.Equal(5_000_000_012ul, ethernet.SentDiscardedPackets);
            Assert.Equal(5_000_000_013ul, ethernet.SentPacketErrors);
            Assert.Equal(5_000_000_017ul, ethernet.Counters["OutQLen"]);
        }

        [Fact]
        public void LeavesOutFilterInterfacesAndKeepsTheOrder()
        {
            var interfaces = IfTable2Decoder.Decode(Table(
                IfRow(1, "Loopback Pseudo-Interface 1", 1500, 1, 0),
                IfRow(7, "Ethernet-WFP Native MAC Layer LightWeight Filter-0000", 1500, 1, 100, flags: 0x02),
                IfRow(9, "Wi-Fi", 1500, 2, 200)));
            Assert.Equal(new[] { "Loopback Pseudo-Interface 1", "Wi-Fi" }, interfaces.Select(i => i.Name));
            Assert.Equal(OperationalStatus.Down, interfaces[1].State);
        }

        [Fact]
        public void AnEmptyTableAndATruncatedOne()
        {
            Assert.Empty(IfTable2Decoder.Decode(new byte[8]));
            byte[] truncated = Table(IfRow(1, "x", 1500, 1, 0)).Take(8 + Row - 1).ToArray();
            Assert.Throws<FormatException>(() => IfTable2Decoder.Decode(truncated));
            Assert.Throws<FormatException>(() => IfTable2Decoder.Decode(new byte[4]));
        }
    }
}
