using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Interface index to name and back, cached for one listing. Decoders take this instead of calling the OS,
    /// so tests hand them a fixed map.
    /// </summary>
    internal sealed class InterfaceNames
    {
        private readonly Func<int, string?> _nameOf;
        private readonly Func<string, int> _indexOf;
        private readonly Dictionary<int, string?> _names = new Dictionary<int, string?>();
        private readonly Dictionary<string, int> _indexes = new Dictionary<string, int>(StringComparer.Ordinal);

        internal InterfaceNames(Func<int, string?> nameOf, Func<string, int> indexOf)
        {
            _nameOf = nameOf;
            _indexOf = indexOf;
        }

        /// <summary>if_indextoname(3)/if_nametoindex(3): they ask the kernel of the caller's network namespace.</summary>
        internal static InterfaceNames FromLibc() => new InterfaceNames(
            index =>
            {
                var buffer = new byte[16]; // IF_NAMESIZE (net/if.h)
                if (index <= 0 || Libc.if_indextoname((uint)index, buffer) == IntPtr.Zero) return null;
                int end = Array.IndexOf(buffer, (byte)0);
                return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
            },
            name => (int)Libc.if_nametoindex(name));

        /// <summary>
        /// Every interface of the calling thread's network namespace, read now with if_nameindex(3): for another
        /// namespace, which a thread joins only while it reads.
        /// </summary>
        internal static InterfaceNames SnapshotFromLibc()
        {
            IntPtr list = Libc.if_nameindex();
            if (list == IntPtr.Zero) throw new Win32Exception(Marshal.GetLastWin32Error());
            var map = new Dictionary<int, string>();
            try
            {
                // struct if_nameindex: an unsigned int, then a char * at pointer alignment; a zero entry ends the array.
                for (int offset = 0; ; offset += 2 * IntPtr.Size)
                {
                    int index = Marshal.ReadInt32(list, offset);
                    IntPtr name = Marshal.ReadIntPtr(list, offset + IntPtr.Size);
                    if (index == 0 || name == IntPtr.Zero) break;
                    map[index] = Marshal.PtrToStringAnsi(name) ?? ""; // UTF-8 on Unix
                }
            }
            finally
            {
                Libc.if_freenameindex(list);
            }
            return FromMap(map);
        }

        /// <summary>A fixed map, for tests and captured data.</summary>
        internal static InterfaceNames FromMap(IDictionary<int, string> map) => new InterfaceNames(
            index => map.TryGetValue(index, out string? name) ? name : null,
            name => { foreach (var pair in map) if (pair.Value == name) return pair.Key; return 0; });

        /// <summary>The name of an interface, or null for index 0 or an interface that is gone.</summary>
        internal string? NameOf(int index)
        {
            if (!_names.TryGetValue(index, out string? name)) _names[index] = name = _nameOf(index);
            return name;
        }

        /// <summary>The index of an interface, or 0 when there is none by that name.</summary>
        internal int IndexOf(string name)
        {
            if (!_indexes.TryGetValue(name, out int index)) _indexes[name] = index = _indexOf(name);
            return index;
        }
    }
}
