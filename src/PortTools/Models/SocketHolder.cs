using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using PortTools.Platform;

namespace PortTools.Models
{
    /// <summary>A process that holds a socket: after fork, several do (nginx, apache and gunicorn masters and workers).</summary>
    public sealed class SocketHolder
    {
        internal SocketHolder(int processId, string? processName)
        {
            ProcessId = processId;
            ProcessName = processName;
        }

        internal SocketHolder(ProcessOwner owner) : this(owner.ProcessId, owner.Name) => Owner = owner;

        /// <summary>The process with what else is known of it (its services), where a listing found it.</summary>
        internal ProcessOwner? Owner { get; }

        public int ProcessId { get; }

        public string? ProcessName { get; }

        /// <summary>As ss writes a socket's users: name(pid).</summary>
        public override string ToString() => $"{ProcessName}({ProcessId})";
    }

    /// <summary>
    /// Every process holding a socket, lowest pid first. Its text (what Export-Csv writes) lists them as ss does:
    /// "nginx(812) nginx(813)"; scripts and ConvertTo-Json see the holders themselves.
    /// </summary>
    public sealed class SocketHolderList : ReadOnlyCollection<SocketHolder>
    {
        internal static readonly SocketHolderList None = new SocketHolderList(new List<SocketHolder>());

        internal SocketHolderList(IList<SocketHolder> holders) : base(holders) { }

        public override string ToString() => string.Join(" ", this.Select(h => h.ToString()));
    }
}
