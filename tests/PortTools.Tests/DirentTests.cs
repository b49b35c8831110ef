using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System;
using PortTools.Platform.Linux;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// The directory entries readdir64 returns, read through the declared struct dirent64 (docs/dev/platform-layouts.md,
    /// "Directory entries"): the layout of the C headers, and real entries of a real directory read by it.
    /// </summary>
    public class DirentTests
    {
        [Fact]
        public void TheLayoutIsTheHeadersOnEveryArchitecture()
        {
            // glibc bits/dirent.h struct dirent64, musl struct dirent, the kernel's linux_dirent64: 8 + 8 + 2 + 1.
            Assert.Equal(0, (int)Marshal.OffsetOf(typeof(Dirent64), nameof(Dirent64.d_ino)));
            Assert.Equal(8, (int)Marshal.OffsetOf(typeof(Dirent64), nameof(Dirent64.d_off)));
            Assert.Equal(16, (int)Marshal.OffsetOf(typeof(Dirent64), nameof(Dirent64.d_reclen)));
            Assert.Equal(18, (int)Marshal.OffsetOf(typeof(Dirent64), nameof(Dirent64.d_type)));
            Assert.Equal(19, Libc.DirentNameOffset);
        }

        [Fact]
        public void RealEntriesReadThroughTheLayoutAreTheDirectorysOwn()
        {
            if (!OperatingSystem.IsLinux()) return;
            string dir = Directory.CreateTempSubdirectory("porttools-dirent").FullName;
            try
            {
                File.WriteAllText(Path.Combine(dir, "42"), "");
                File.WriteAllText(Path.Combine(dir, "not-a-number"), "");
                Directory.CreateDirectory(Path.Combine(dir, "7"));
                File.CreateSymbolicLink(Path.Combine(dir, "1234567"), "42");
                File.WriteAllText(Path.Combine(dir, "99999999999"), ""); // past int: not a number here

                var entries = new Dictionary<string, Dirent64>();
                IntPtr handle = Libc.opendir(dir);
                Assert.NotEqual(IntPtr.Zero, handle);
                try
                {
                    for (IntPtr entry; (entry = Libc.readdir64(handle)) != IntPtr.Zero;)
                        entries[Name(entry)] = Marshal.PtrToStructure<Dirent64>(entry);
                }
                finally
                {
                    Libc.closedir(handle);
                }

                Assert.Equal(new[] { ".", "..", "1234567", "42", "7", "99999999999", "not-a-number" }, entries.Keys.OrderBy(k => k, StringComparer.Ordinal));
                // d_type as the file system knows it; DT_UNKNOWN (0) is allowed by readdir(3) but tmpfs and ext4 fill it.
                Assert.Equal(new byte[] { 4, 8, 10 }, new[] { entries["7"].d_type, entries["42"].d_type, entries["1234567"].d_type });
                // Each record holds its name and the fixed part, 8-byte aligned (what getdents64 lays out).
                Assert.All(entries, e => Assert.True(e.Value.d_reclen >= Libc.DirentNameOffset + e.Key.Length + 1 && e.Value.d_reclen % 8 == 0, e.Key));
                Assert.Equal(new[] { 7, 42, 1234567 }, ProcFs.NumberedEntries(dir, out bool denied).OrderBy(n => n));
                Assert.False(denied);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        private static string Name(IntPtr entry)
        {
            int length = 0;
            while (Marshal.ReadByte(entry, Libc.DirentNameOffset + length) != 0) length++;
            var bytes = new byte[length];
            Marshal.Copy(entry + Libc.DirentNameOffset, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }
    }
}
