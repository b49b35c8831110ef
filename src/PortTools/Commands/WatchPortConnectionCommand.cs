using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System;
using PortTools.Models;
using PortTools.Platform;
using PortTools.Query;

namespace PortTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Watches TCP and UDP sockets and emits each one that opens, closes or changes state (netstat 1, watch ss -tanp).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Watch, "PortConnection")]
    [OutputType(typeof(PortConnectionChange))]
    public sealed class WatchPortConnectionCommand : PortConnectionFilterCmdlet
    {
        /// <summary>Seconds between two readings of the socket table (netstat's interval argument).</summary>
        [Parameter]
        [ValidateRange(0.05, 86400.0)]
        public double Interval { get; set; } = 1;

        /// <summary>Seconds to watch; the watch runs until Ctrl+C or -Count when not given.</summary>
        [Parameter]
        [ValidateRange(0.0, double.MaxValue)]
        public double Duration { get; set; }

        /// <summary>The watch ends after this many changes.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        protected override void EndProcessing()
        {
            if (NothingPiped) return;
            ListingDiagnostics diagnostics = NewDiagnostics();
            RunBackend(() => Watch(diagnostics), SocketListingFailedErrorId, "The socket table");
        }

        private void Watch(ListingDiagnostics diagnostics)
        {
            var clock = Stopwatch.StartNew();
            TimeSpan interval = TimeSpan.FromSeconds(Interval);
            TimeSpan end = MyInvocation.BoundParameters.ContainsKey(nameof(Duration)) ? TimeSpan.FromSeconds(Duration) : TimeSpan.MaxValue;
            int emitted = 0;

            // What is open when the watch starts is the baseline, not a change; it is read with its owners.
            var tracker = new ConnectionTracker(List(Query, diagnostics));
            // Later readings skip the owner scan (the costly part): owners are looked up only for sockets that open.
            Query.ResolveOwners = false;
            TimeSpan next = interval;
            while (true)
            {
                TimeSpan until = next < end ? next : end;
                TimeSpan wait = until - clock.Elapsed;
                if (StopToken.WaitHandle.WaitOne(wait > TimeSpan.Zero ? wait : TimeSpan.Zero)) return;
                if (until == end && end < next) return;

                DateTime time = DateTime.Now;
                List<ConnectionTracker.Change> changes = tracker.Update(List(Query, diagnostics));
                FindOwnersOfOpened(tracker, changes, diagnostics);
                IReadOnlyList<PortConnection> connections = ResolveHostNames(changes.Select(c => c.Connection).ToList());
                for (int i = 0; i < changes.Count; i++)
                {
                    WriteObject(new PortConnectionChange(time, changes[i].Kind, connections[i], changes[i].PreviousState));
                    if (Count > 0 && ++emitted >= Count) return;
                }
                if (clock.Elapsed >= end) return;
                // A refresh that took longer than the interval is not caught up on: the next one is an interval away.
                next = next + interval > clock.Elapsed ? next + interval : clock.Elapsed + interval;
            }
        }

        /// <summary>One listing with owners, narrowed to the local ports of the sockets that opened (or were accepted), when any did.</summary>
        private void FindOwnersOfOpened(ConnectionTracker tracker, List<ConnectionTracker.Change> changes, ListingDiagnostics diagnostics)
        {
            // With -OwningProcess or -ProcessName every listing has its owners already: it needs them to filter.
            if (Query.FiltersOnOwner) return;
            List<int> ports = tracker.NeedOwners.Select(c => c.LocalPort).Distinct().ToList();
            if (ports.Count == 0) return;
            tracker.TakeOwners(changes, List(Query.NarrowedToLocalPorts(ports), diagnostics));
        }

        private List<PortConnection> List(ConnectionQuery query, ListingDiagnostics diagnostics) =>
            Connections.GetConnections(query, diagnostics, StopToken).ToList();
    }
}
