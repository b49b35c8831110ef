using System;
using System.Collections.Generic;
using System.Linq;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// The systemd unit each process runs in, read from /proc/pid/cgroup (readable by every user) when first asked
    /// for. One per listing: PID 1's cgroup, the root that a container's paths are below, is read once.
    /// </summary>
    internal sealed class SystemdUnits
    {
        private readonly ProcFs _proc;
        private readonly Lazy<string?> _initCgroup;

        internal SystemdUnits(ProcFs proc)
        {
            _proc = proc;
            _initCgroup = new Lazy<string?>(() => Cgroup(1));
        }

        /// <summary>The unit of a process as a list (ProcessOwner's services): one name, or none.</summary>
        internal IReadOnlyList<string> Of(int pid) =>
            CgroupUnit.Of(Cgroup(pid), _initCgroup.Value) is string unit ? new[] { unit } : Array.Empty<string>();

        /// <summary>The units of every running process, for completion.</summary>
        internal static IEnumerable<string> Running(ProcFs proc)
        {
            var units = new SystemdUnits(proc);
            return proc.ProcessIds().SelectMany(units.Of).Distinct(StringComparer.Ordinal);
        }

        private string? Cgroup(int pid) => _proc.ReadText(_proc.ProcessFile(pid, "cgroup"));
    }
}
