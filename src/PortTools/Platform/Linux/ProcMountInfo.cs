using System;
using System.IO;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// Reads /proc/self/mountinfo (proc(5)) for how procfs itself is mounted. Pure parser: "36 35 0:3 / /proc
    /// rw,nosuid - proc proc rw,hidepid=invisible"; the fields after " - " are the type, the source and the
    /// superblock options, where hidepid is (per mount since Linux 5.8).
    /// </summary>
    internal static class ProcMountInfo
    {
        /// <summary>
        /// The hidepid option of the proc mount at <paramref name="procRoot"/> when it hides other users' processes
        /// (1/noaccess, 2/invisible, 4/ptraceable); null when it does not or the mount is not listed. The last
        /// matching line wins: it is the mount on top.
        /// </summary>
        internal static string? HidePid(TextReader? mountInfo, string procRoot)
        {
            string? hidePid = null;
            string? line;
            while (mountInfo != null && (line = mountInfo.ReadLine()) != null)
            {
                string[] fields = line.Split(' ');
                int separator = Array.IndexOf(fields, "-");
                // Field 5 is the mount point; mount points with spaces are written \040, so Split(' ') is safe.
                if (separator < 5 || separator + 3 >= fields.Length) continue;
                if (fields[4] != procRoot || fields[separator + 1] != "proc") continue;
                hidePid = null;
                foreach (string option in fields[separator + 3].Split(','))
                {
                    if (!option.StartsWith("hidepid=", StringComparison.Ordinal)) continue;
                    string value = option.Substring("hidepid=".Length);
                    hidePid = value == "0" || value == "off" ? null : value;
                }
            }
            return hidePid;
        }
    }
}
