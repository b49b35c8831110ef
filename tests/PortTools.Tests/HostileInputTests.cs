using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System;
using PortTools.Formatting;
using PortTools.Platform.Linux;
using PortTools.Services;
using Xunit;

namespace PortTools.Tests
{
    /// <summary>
    /// Text and files that other users control: names shown in views, the services file, the proc mount. Each case
    /// here was found by trying the module as a local attacker would.
    /// </summary>
    public sealed class HostileInputTests : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("porttools-hostile-").FullName;

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Theory]
        [InlineData("nginx", "nginx")]
        [InlineData("C:\\Program Files\\x.exe", "C:\\Program Files\\x.exe")] // backslashes stay: paths read as they are
        [InlineData("\u001b]0;owned\u0007", "\\e]0;owned\\a")]                // retitles the window
        [InlineData("\u001b[2J\u001b[6n", "\\e[2J\\e[6n")]                    // clears the screen, asks the terminal to type
        [InlineData("a\nb\rc\td", "a\\nb\\rc\\td")]
        [InlineData("\u009b31m", "\\u009B31m")]                               // the one-byte CSI
        [InlineData("evil\u202Egpj.exe", "evil\\u202Egpj.exe")]               // bidi override
        [InlineData("x\u200By\uFEFF", "x\\u200By\\uFEFF")]                    // zero-width characters
        [InlineData("line\u2028sep", "line\\u2028sep")]
        [InlineData("\u001b]8;;http://x\u001b\\\\link", "\\e]8;;http://x\\e\\\\link")] // OSC 8 hyperlink
        [InlineData("\0\u007f", "\\0\\u007F")]
        [InlineData("ok\ud83d\ude00", "ok\ud83d\ude00")]                       // a real surrogate pair is printable
        [InlineData("tag\udb40\udc01", "tag\\u{E0001}")]                       // an astral format character
        [InlineData("Ünïcødé ñame", "Ünïcødé ñame")]
        public void DisplayTextEscapesWhatATerminalWouldObey(string raw, string shown)
        {
            Assert.Equal(shown, DisplayText.Escape(raw));
            Assert.DoesNotContain(DisplayText.Escape(raw), c => char.IsControl(c));
        }

        [Fact]
        public void DisplayTextOfNothingIsEmpty()
        {
            Assert.Equal("lone\\uD800 \\uDC00", DisplayText.Escape("lone\ud800 \udc00")); // lone halves (xunit data cannot hold them)
            Assert.Equal("", DisplayText.Escape(null));
            Assert.Equal("42", DisplayText.Escape(42));
        }

        [Fact]
        public void EveryCharacterIsEitherKeptOrMadeVisible()
        {
            // No character of the BMP reaches the output raw if it is a control, format or separator character.
            for (int c = 0; c <= 0xFFFF; c++)
            {
                string escaped = DisplayText.Escape(((char)c).ToString());
                Assert.All(escaped, e => Assert.False(char.IsControl(e) || char.GetUnicodeCategory(e) is
                    System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator
                    or System.Globalization.UnicodeCategory.ParagraphSeparator || char.IsSurrogate(e), $"U+{c:X4} passed as U+{(int)e:X4}"));
            }
        }

        private HostServicesFile.Result ReadTimed(string path, int withinMilliseconds = 2000)
        {
            var clock = Stopwatch.StartNew();
            var task = System.Threading.Tasks.Task.Run(() => HostServicesFile.Read(path, CancellationToken.None));
            Assert.True(task.Wait(withinMilliseconds), $"reading {path} did not return within {withinMilliseconds} ms");
            return task.Result;
        }

        [Theory]
        [InlineData("/dev/zero")]
        [InlineData("/dev/urandom")]
        [InlineData("/dev/null")]
        [InlineData("/proc/self/environ")]
        public void DevicesAndProcFilesAreNotRead(string path)
        {
            HostServicesFile.Result result = ReadTimed(path);
            Assert.Empty(result.Entries);
            Assert.Contains("not a regular file", result.Problem);
        }

        [Fact]
        public void AFifoDoesNotHang()
        {
            if (!OperatingSystem.IsLinux()) return;
            string fifo = Path.Combine(_folder, "services");
            using (Process mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
            HostServicesFile.Result result = ReadTimed(fifo); // opening a FIFO without writer would block forever
            Assert.Empty(result.Entries);
            Assert.Contains("not a regular file", result.Problem);
        }

        [Fact]
        public void AHugeFileIsRefusedWithoutBeingRead()
        {
            string path = Path.Combine(_folder, "services");
            using (var file = new FileStream(path, FileMode.Create)) file.SetLength(HostServicesFile.MaxBytes + 1); // sparse: no disk used
            long before = GC.GetAllocatedBytesForCurrentThread();
            HostServicesFile.Result result = HostServicesFile.Read(path, CancellationToken.None);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "the oversized file was read");
            Assert.Empty(result.Entries);
            Assert.Contains("more than a services file can be", result.Problem);
        }

        [Fact]
        public void TooManyLinesAreRefused()
        {
            string path = Path.Combine(_folder, "services");
            File.WriteAllText(path, string.Concat(Enumerable.Repeat("a 1/tcp\n", HostServicesFile.MaxLines + 1)));
            HostServicesFile.Result result = HostServicesFile.Read(path, CancellationToken.None);
            Assert.Empty(result.Entries);
            Assert.Contains("lines", result.Problem);
            File.WriteAllText(path, string.Concat(Enumerable.Repeat("a 1/tcp\n", HostServicesFile.MaxLines)));
            Assert.Equal(HostServicesFile.MaxLines, HostServicesFile.Read(path, CancellationToken.None).Entries.Count);
        }

        [Fact]
        public void OverlongLinesAreSkippedAndTheRestIsRead()
        {
            string path = Path.Combine(_folder, "services");
            File.WriteAllText(path, "long 7/tcp " + new string('x', HostServicesFile.MaxLineLength) + "\nsmtp 25/tcp mail\n");
            HostServicesFile.Result result = HostServicesFile.Read(path, CancellationToken.None);
            Assert.Null(result.Problem);
            Assert.Equal("smtp", Assert.Single(result.Entries).Name);
        }

        [Fact]
        public void ReadingStopsWhenCancelled()
        {
            string path = Path.Combine(_folder, "services");
            File.WriteAllText(path, "smtp 25/tcp\n");
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.Throws<OperationCanceledException>(() => HostServicesFile.Read(path, cancelled.Token));
        }

        [Fact]
        public void ADirectoryWhereTheFileShouldBeIsNoSource()
        {
            // FileInfo says a directory does not exist as a file: it is simply no source, and nothing throws.
            HostServicesFile.Result directory = HostServicesFile.Read(_folder, CancellationToken.None);
            Assert.Empty(directory.Entries);
            Assert.Null(directory.Problem);
        }

        [Theory]
        [InlineData("22 27 0:21 / /proc rw,relatime - proc proc rw", null)]
        [InlineData("22 27 0:21 / /proc rw,relatime - proc proc rw,hidepid=invisible", "invisible")]
        [InlineData("22 27 0:21 / /proc rw,relatime - proc proc rw,hidepid=2,gid=4", "2")]
        [InlineData("22 27 0:21 / /proc rw,relatime - proc proc rw,hidepid=0", null)]
        [InlineData("22 27 0:21 / /proc rw shared:5 master:1 - proc proc rw,hidepid=noaccess", "noaccess")] // optional fields before " - "
        [InlineData("22 27 0:21 / /other rw - proc proc rw,hidepid=2", null)]                          // another mount point
        [InlineData("22 27 0:21 / /proc rw - tmpfs tmpfs rw,hidepid=2", null)]                          // not procfs
        [InlineData("22 27 0:21 / /proc rw - proc proc rw,hidepid=2\n30 22 0:40 / /proc rw - proc proc rw", null)] // the mount on top wins
        [InlineData("garbage\n\n - \n1 2 3", null)]
        public void HidePidIsReadFromTheProcMount(string mountInfo, string? hidePid)
        {
            Assert.Equal(hidePid, ProcMountInfo.HidePid(new StringReader(mountInfo), "/proc"));
        }
    }
}
