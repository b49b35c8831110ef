using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace PortTools.Platform.Windows
{
    /// <summary>
    /// Decodes what EnumServicesStatusExW writes for SC_ENUM_PROCESS_INFO: an array of ENUM_SERVICE_STATUS_PROCESSW
    /// (winsvc.h) whose name pointers point into the same buffer, after the array. Pure: bytes in, (name, pid) out.
    /// Layout: docs/dev/platform-layouts.md, "Services of a process".
    /// </summary>
    internal static class ServiceStatusProcessDecoder
    {
        /// <summary>The size of one ENUM_SERVICE_STATUS_PROCESSW: two pointers and nine DWORDs, padded to the pointer size.</summary>
        internal static int RecordSize(int pointerSize) => pointerSize == 8 ? 56 : 44;

        /// <summary>Where SERVICE_STATUS_PROCESS.dwProcessId is in a record: after the two pointers and seven DWORDs.</summary>
        private static int ProcessIdOffset(int pointerSize) => 2 * pointerSize + 28;

        /// <param name="buffer">The buffer, copied out of native memory.</param>
        /// <param name="length">How many bytes of it the call filled (at most its size).</param>
        /// <param name="baseAddress">The buffer's native address: the name pointers are addresses inside it.</param>
        /// <param name="count">lpServicesReturned.</param>
        /// <param name="pointerSize">4 (x86) or 8 (x64, arm64).</param>
        /// <returns>Each service that runs in a process (pid not 0), with that pid.</returns>
        internal static List<(string Name, int ProcessId)> Decode(byte[] buffer, int length, ulong baseAddress, int count, int pointerSize)
        {
            if (pointerSize != 4 && pointerSize != 8) throw new ArgumentOutOfRangeException(nameof(pointerSize));
            if (length < 0 || length > buffer.Length) throw new ArgumentOutOfRangeException(nameof(length));
            int recordSize = RecordSize(pointerSize);
            if (count < 0 || count > length / recordSize)
                throw new FormatException($"{count} ENUM_SERVICE_STATUS_PROCESSW records of {recordSize} bytes do not fit in the {length} bytes returned.");
            var services = new List<(string, int)>(count);
            for (int i = 0, record = 0; i < count; i++, record += recordSize)
            {
                uint pid = ByteReader.UInt32LittleEndian(buffer, record + ProcessIdOffset(pointerSize));
                if (pid == 0) continue; // not running (or starting): no process hosts it yet
                if (pid > int.MaxValue) throw new FormatException($"A service runs in process {pid}, beyond any process id.");
                ulong pointer = pointerSize == 8 ? ByteReader.UInt64LittleEndian(buffer, record) : ByteReader.UInt32LittleEndian(buffer, record);
                services.Add((NulTerminatedUtf16(buffer, length, Offset(pointer, baseAddress, length)), (int)pid));
            }
            return services;
        }

        /// <summary>The services each process hosts, sorted by name: "Dnscache, LanmanWorkstation" as tasklist /svc lists a svchost.</summary>
        internal static Dictionary<int, string[]> ByProcess(IEnumerable<(string Name, int ProcessId)> services) =>
            services.GroupBy(s => s.ProcessId)
                .ToDictionary(g => g.Key, g => g.Select(s => s.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray());

        private static int Offset(ulong pointer, ulong baseAddress, int length)
        {
            if (pointer < baseAddress || pointer - baseAddress >= (ulong)length)
                throw new FormatException($"ENUM_SERVICE_STATUS_PROCESSW.lpServiceName 0x{pointer:X} points outside the buffer at 0x{baseAddress:X} ({length} bytes).");
            return (int)(pointer - baseAddress);
        }

        private static string NulTerminatedUtf16(byte[] buffer, int length, int offset)
        {
            for (int end = offset; end + 1 < length; end += 2)
            {
                if (buffer[end] == 0 && buffer[end + 1] == 0) return Encoding.Unicode.GetString(buffer, offset, end - offset);
            }
            throw new FormatException($"A service name at offset {offset} has no terminating NUL within the {length}-byte buffer.");
        }
    }
}
