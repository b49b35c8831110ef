using System.Collections.Generic;
using System.Net;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// Decodes the *_OWNER_PID tables of GetExtendedTcpTable and GetExtendedUdpTable (tcpmib.h, udpmib.h):
    /// a DWORD dwNumEntries, then fixed-size rows from offset 4. Pure: bytes in, sockets out.
    /// Layouts: docs/dev/platform-layouts.md, "Socket tables", checked against the mingw-w64 headers for x86 and x64.
    /// </summary>
    internal static class OwnerPidTableDecoder
    {
        private const int RowsOffset = 4;

        /// <summary>MIB_TCPTABLE_OWNER_PID: dwState 0, dwLocalAddr 4, dwLocalPort 8, dwRemoteAddr 12, dwRemotePort 16, dwOwningPid 20.</summary>
        internal static IEnumerable<SocketEntry> Tcp4(byte[] table, AddressCache addresses)
        {
            const int rowSize = 24;
            int count = Rows(table, rowSize, "MIB_TCPTABLE_OWNER_PID");
            for (int i = 0, row = RowsOffset; i < count; i++, row += rowSize)
            {
                TcpState? state = WindowsTcpStates.ToTcpState(ByteReader.UInt32LittleEndian(table, row));
                yield return Tcp(IPVersion.IPv4, state,
                    addresses.Get(table, row + 4, 4), Port(table, row + 8),
                    addresses.Get(table, row + 12, 4), Port(table, row + 16),
                    ByteReader.UInt32LittleEndian(table, row + 20), scopeId: 0);
            }
        }

        /// <summary>
        /// MIB_TCP6TABLE_OWNER_PID: ucLocalAddr 0, dwLocalScopeId 16, dwLocalPort 20, ucRemoteAddr 24,
        /// dwRemoteScopeId 40, dwRemotePort 44, dwState 48 (after the addresses, unlike IPv4), dwOwningPid 52.
        /// </summary>
        internal static IEnumerable<SocketEntry> Tcp6(byte[] table, AddressCache addresses)
        {
            const int rowSize = 56;
            int count = Rows(table, rowSize, "MIB_TCP6TABLE_OWNER_PID");
            for (int i = 0, row = RowsOffset; i < count; i++, row += rowSize)
            {
                TcpState? state = WindowsTcpStates.ToTcpState(ByteReader.UInt32LittleEndian(table, row + 48));
                yield return Tcp(IPVersion.IPv6, state,
                    addresses.Get(table, row, 16), Port(table, row + 20),
                    addresses.Get(table, row + 24, 16), Port(table, row + 44),
                    ByteReader.UInt32LittleEndian(table, row + 52), ByteReader.UInt32LittleEndian(table, row + 16));
            }
        }

        /// <summary>MIB_UDPTABLE_OWNER_PID: dwLocalAddr 0, dwLocalPort 4, dwOwningPid 8.</summary>
        internal static IEnumerable<SocketEntry> Udp4(byte[] table, AddressCache addresses)
        {
            const int rowSize = 12;
            int count = Rows(table, rowSize, "MIB_UDPTABLE_OWNER_PID");
            for (int i = 0, row = RowsOffset; i < count; i++, row += rowSize)
            {
                yield return Udp(IPVersion.IPv4, addresses.Get(table, row, 4), Port(table, row + 4),
                    ByteReader.UInt32LittleEndian(table, row + 8), scopeId: 0);
            }
        }

        /// <summary>MIB_UDP6TABLE_OWNER_PID: ucLocalAddr 0, dwLocalScopeId 16, dwLocalPort 20, dwOwningPid 24.</summary>
        internal static IEnumerable<SocketEntry> Udp6(byte[] table, AddressCache addresses)
        {
            const int rowSize = 28;
            int count = Rows(table, rowSize, "MIB_UDP6TABLE_OWNER_PID");
            for (int i = 0, row = RowsOffset; i < count; i++, row += rowSize)
            {
                yield return Udp(IPVersion.IPv6, addresses.Get(table, row, 16), Port(table, row + 20),
                    ByteReader.UInt32LittleEndian(table, row + 24), ByteReader.UInt32LittleEndian(table, row + 16));
            }
        }

        /// <summary>dwNumEntries, checked against the buffer: never trust the rows to fit.</summary>
        private static int Rows(byte[] table, int rowSize, string structure)
        {
            ByteReader.Require(table.Length, 0, RowsOffset, structure);
            uint count = ByteReader.UInt32LittleEndian(table, 0);
            ByteReader.Require(table.Length, RowsOffset, (int)System.Math.Min(count * (ulong)rowSize, int.MaxValue), $"{structure} with {count} rows");
            return (int)count;
        }

        /// <summary>
        /// The port is in network order in the low two bytes of its DWORD; the high two may hold garbage
        /// (MIB_TCPROW_LH: "only the lower 16 bits should be used").
        /// </summary>
        private static int Port(byte[] table, int offset) => ByteReader.UInt16BigEndian(table, offset);


        private static SocketEntry Tcp(IPVersion family, TcpState? state, IPAddress local, int localPort, IPAddress remote, int remotePort,
            uint pid, uint scopeId)
        {
            // A listener's remote fields are meaningless (psutil ignores them too).
            bool listening = state == TcpState.Listen;
            IPAddress any = family == IPVersion.IPv4 ? IPAddress.Any : IPAddress.IPv6Any;
            return new SocketEntry(TransportProtocol.Tcp, family, state, local, localPort, listening ? any : remote, listening ? 0 : remotePort)
            {
                ProcessId = Owner(pid),
                ScopeId = scopeId,
            };
        }

        private static SocketEntry Udp(IPVersion family, IPAddress local, int localPort, uint pid, uint scopeId) =>
            new SocketEntry(TransportProtocol.Udp, family, null, local, localPort,
                family == IPVersion.IPv4 ? IPAddress.Any : IPAddress.IPv6Any, 0)
            {
                ProcessId = Owner(pid),
                ScopeId = scopeId,
            };

        /// <summary>
        /// dwOwningPid 0 is the System Idle Process, which Windows names as the holder of sockets no process holds
        /// any more (TIME_WAIT above all; netstat -ano prints 0, Get-NetTCPConnection "Idle"): no owner. Pid 4,
        /// System, is a real holder (kernel-mode listeners such as SMB).
        /// </summary>
        private static int? Owner(uint pid) => pid == 0 ? (int?)null : (int)pid;
    }
}
