using System;

namespace PortTools.Platform
{
    /// <summary>
    /// Explicit-endian reads at an offset, each bounds-checked, so a decoder states the byte order of every
    /// field and a short buffer becomes a <see cref="FormatException"/> naming the structure, never an
    /// out-of-range read. (netstandard2.0 has no BinaryPrimitives without System.Memory.)
    /// </summary>
    internal static class ByteReader
    {
        internal static ushort UInt16LittleEndian(byte[] buffer, int offset) =>
            (ushort)(buffer[offset] | buffer[offset + 1] << 8);

        internal static ushort UInt16BigEndian(byte[] buffer, int offset) =>
            (ushort)(buffer[offset] << 8 | buffer[offset + 1]);

        internal static uint UInt32LittleEndian(byte[] buffer, int offset) =>
            (uint)(buffer[offset] | buffer[offset + 1] << 8 | buffer[offset + 2] << 16 | buffer[offset + 3] << 24);

        internal static int Int32LittleEndian(byte[] buffer, int offset) => (int)UInt32LittleEndian(buffer, offset);

        internal static ulong UInt64LittleEndian(byte[] buffer, int offset) =>
            UInt32LittleEndian(buffer, offset) | (ulong)UInt32LittleEndian(buffer, offset + 4) << 32;

        internal static byte[] Bytes(byte[] buffer, int offset, int count)
        {
            var copy = new byte[count];
            Buffer.BlockCopy(buffer, offset, copy, 0, count);
            return copy;
        }

        /// <summary>Throws unless [offset, offset + count) lies inside the first <paramref name="end"/> bytes.</summary>
        internal static void Require(int end, int offset, int count, string structure)
        {
            if (offset < 0 || count < 0 || offset > end - count)
            {
                throw new FormatException(
                    $"Truncated {structure}: needs {count} bytes at offset {offset}, but only {Math.Max(0, end - offset)} remain.");
            }
        }

        internal static void WriteUInt16LittleEndian(byte[] buffer, int offset, ushort value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
        }

        internal static void WriteUInt32LittleEndian(byte[] buffer, int offset, uint value)
        {
            WriteUInt16LittleEndian(buffer, offset, (ushort)value);
            WriteUInt16LittleEndian(buffer, offset + 2, (ushort)(value >> 16));
        }
    }
}
