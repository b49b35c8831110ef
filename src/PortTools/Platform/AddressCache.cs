using System.Collections.Generic;
using System.Net;

namespace PortTools.Platform
{
    /// <summary>
    /// One <see cref="IPAddress"/> per distinct address in a listing. Most sockets share a handful of
    /// addresses (127.0.0.1, ::, the host's own), and IPAddress keeps its text once formatted, so a large
    /// table allocates and formats each address once instead of twice per socket.
    /// </summary>
    internal sealed class AddressCache
    {
        private readonly Dictionary<uint, IPAddress> _v4 = new Dictionary<uint, IPAddress>();
        private readonly Dictionary<(ulong, ulong), IPAddress> _v6 = new Dictionary<(ulong, ulong), IPAddress>();

        /// <summary>The address in <paramref name="length"/> (4 or 16) network-order bytes at <paramref name="offset"/>.</summary>
        internal IPAddress Get(byte[] buffer, int offset, int length)
        {
            if (length == 4)
            {
                uint key = ByteReader.UInt32LittleEndian(buffer, offset);
                if (!_v4.TryGetValue(key, out IPAddress? v4)) _v4.Add(key, v4 = new IPAddress(ByteReader.Bytes(buffer, offset, 4)));
                return v4;
            }
            var key6 = (ByteReader.UInt64LittleEndian(buffer, offset), ByteReader.UInt64LittleEndian(buffer, offset + 8));
            if (!_v6.TryGetValue(key6, out IPAddress? v6)) _v6.Add(key6, v6 = new IPAddress(ByteReader.Bytes(buffer, offset, 16)));
            return v6;
        }
    }
}
