using System;

namespace PortTools.Services
{
    /// <summary>
    /// IANA's preferred service name for each (port, protocol), as <see cref="IanaCsvParser.ParseNetstatNames"/> reads
    /// it from the embedded registry, but compiled into the DLL (IanaNetstatNames.Data.cs): arrays of numbers are
    /// copied from the image, so LocalService's first lookup costs microseconds rather than unzipping and parsing
    /// 1.1 MB of CSV, which a scheduled script's fresh session paid on every run. A test keeps the two equal.
    /// </summary>
    internal static partial class IanaNetstatNames
    {
        private static string[]? _names;

        /// <summary>The name for a <see cref="PortRegistry.Key"/>, or null when IANA names none.</summary>
        internal static string? Find(int key)
        {
            int index = Array.BinarySearch(Keys, key);
            if (index < 0) return null;
            string[] names = _names ??= NameList.Split('\n'); // a race only splits twice
            return names[NameIndex[index]];
        }
    }
}
