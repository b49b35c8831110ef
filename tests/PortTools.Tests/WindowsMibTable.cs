using System;
using System.Collections.Generic;
using System.Linq;

namespace PortTools.Tests
{
    /// <summary>
    /// Lays out an IP Helper table as the documented layouts have it: a ULONG row count, padding to the rows'
    /// alignment (4 for the *_OWNER_PID tables, 8 for the *_TABLE2 ones), then the rows.
    /// </summary>
    internal static class WindowsMibTable
    {
        internal static byte[] Build(int rowsOffset, IEnumerable<byte[]> rows)
        {
            List<byte[]> all = rows.ToList();
            var header = new byte[rowsOffset];
            BitConverter.GetBytes((uint)all.Count).CopyTo(header, 0);
            return header.Concat(all.SelectMany(r => r)).ToArray();
        }
    }
}
