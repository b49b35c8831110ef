using System;
using System.IO;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// The systemd unit a process runs in, from its /proc/pid/cgroup text, by systemd's own rules (cg_pid_get_unit in
    /// systemd src/basic/cgroup-util.c): the path is shifted below PID 1's cgroup (the root in a container), the
    /// slices are skipped, and the first component below them is the unit when it is a valid unit name:
    /// /system.slice/nginx.service is nginx.service; /user.slice/user-1000.slice/user@1000.service/app.slice/x.service
    /// is user@1000.service. Null when there is none (no systemd, the root cgroup, kernel threads). Pure.
    /// </summary>
    internal static class CgroupUnit
    {
        // Unit names are shorter than this (UNIT_NAME_MAX, unit-name.h).
        private const int MaxNameLength = 256;

        private static readonly string[] UnitTypes =
            { "service", "mount", "swap", "socket", "target", "device", "automount", "timer", "path", "slice", "scope" };

        /// <param name="cgroup">/proc/pid/cgroup of the process; null when unreadable.</param>
        /// <param name="initCgroup">/proc/1/cgroup, whose path is the root the others are shifted below; null when unreadable.</param>
        internal static string? Of(string? cgroup, string? initCgroup)
        {
            if (cgroup == null) return null;
            // cgroup v2 (one "0::/path" line) is what systemd reads in the unified and hybrid layouts; in the legacy
            // layout that line is the unused root and the named v1 hierarchy "N:name=systemd:/path" holds the units.
            return UnitOfPath(Shifted(PathOf(cgroup, Unified), PathOf(initCgroup, Unified)))
                ?? UnitOfPath(Shifted(PathOf(cgroup, Legacy), PathOf(initCgroup, Legacy)));
        }

        private const string Unified = "";
        private const string Legacy = "name=systemd";

        /// <summary>
        /// The path of the hierarchy whose controller list holds <paramref name="controller"/> ("" is cgroup v2, the
        /// line of id 0: "0::/path"); null when the text has no such line. Lines are "id:controllers:path" (cgroups(7)).
        /// </summary>
        internal static string? PathOf(string? cgroup, string controller)
        {
            if (cgroup == null) return null;
            using var lines = new StringReader(cgroup);
            for (string? line; (line = lines.ReadLine()) != null;)
            {
                int first = line.IndexOf(':');
                int second = first < 0 ? -1 : line.IndexOf(':', first + 1);
                if (second < 0) continue;
                string controllers = line.Substring(first + 1, second - first - 1);
                bool matches = controller.Length == 0
                    ? line.Substring(0, first) == "0"
                    : Array.IndexOf(controllers.Split(','), controller) >= 0;
                if (!matches) continue;
                string path = line.Substring(second + 1);
                // A zombie's cgroup, once removed, reads with this suffix.
                const string Deleted = " (deleted)";
                return path.EndsWith(Deleted, StringComparison.Ordinal) ? path.Substring(0, path.Length - Deleted.Length) : path;
            }
            return null;
        }

        /// <summary>
        /// <paramref name="path"/> relative to the root that PID 1's path names (cg_shift_path): PID 1's path without
        /// its /init.scope (or legacy /system.slice, /system) leaf. On a host that root is "", and nothing changes.
        /// </summary>
        internal static string? Shifted(string? path, string? initPath)
        {
            if (path == null || initPath == null) return path;
            string root = initPath;
            foreach (string leaf in new[] { "/init.scope", "/system.slice", "/system" })
            {
                if (root.EndsWith(leaf, StringComparison.Ordinal))
                {
                    root = root.Substring(0, root.Length - leaf.Length);
                    break;
                }
            }
            root = root.TrimEnd('/');
            if (root.Length == 0) return path;
            if (path == root) return "/";
            return path.StartsWith(root + "/", StringComparison.Ordinal) ? path.Substring(root.Length) : path;
        }

        /// <summary>The unit of a cgroup path (cg_path_get_unit): the first component below the slices, if it is a unit other than a slice.</summary>
        internal static string? UnitOfPath(string? path)
        {
            if (path == null) return null;
            string[] components = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            foreach (string component in components)
            {
                if (IsSlice(component)) continue;
                string unit = Unescape(component);
                return IsValidName(unit, allowInstance: true) && !unit.EndsWith(".slice", StringComparison.Ordinal) ? unit : null;
            }
            return null;
        }

        private static bool IsSlice(string component) =>
            component.EndsWith(".slice", StringComparison.Ordinal) && IsValidName(Unescape(component), allowInstance: false);

        /// <summary>
        /// systemd prefixes a cgroup name with '_' where it could clash with the kernel's own files (cg_escape), and
        /// strips one when reading (cg_unescape). The \xNN escapes of unit names stay: they are part of the name,
        /// as systemctl shows it (dev-disk-by\x2duuid-1234.device).
        /// </summary>
        private static string Unescape(string component) => component.StartsWith("_", StringComparison.Ordinal) ? component.Substring(1) : component;

        /// <summary>
        /// unit_name_is_valid (src/basic/unit-name.c) for plain names, and with <paramref name="allowInstance"/> for
        /// instances (prefix@instance.type): letters, digits and ":-_.\", '@' before the type, a known type.
        /// </summary>
        internal static bool IsValidName(string name, bool allowInstance)
        {
            if (name.Length == 0 || name.Length >= MaxNameLength) return false;
            int dot = name.LastIndexOf('.');
            if (dot <= 0 || Array.IndexOf(UnitTypes, name.Substring(dot + 1)) < 0) return false;
            int at = -1;
            for (int i = 0; i < dot; i++)
            {
                char c = name[i];
                if (c == '@' && at < 0) at = i;
                bool valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' || ":-_.\\".IndexOf(c) >= 0;
                if (!valid) return false;
            }
            if (at == 0) return false;
            if (at < 0) return true;
            return allowInstance && dot > at + 1; // a template (prefix@.service) names no running unit
        }
    }
}
