using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System;
using PortTools.Models;
using PortTools.Platform;

namespace PortTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists TCP and UDP sockets with their owning processes (netstat -anop, ss -tanup).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "PortConnection")]
    [OutputType(typeof(PortConnection))]
    public sealed class GetPortConnectionCommand : PortConnectionFilterCmdlet
    {
        /// <summary>
        /// Each TCP socket with its internals in Detail (ss -tinmo): round-trip time, congestion window, retransmissions,
        /// bytes, delivery rate, socket memory and the running timer; the table shows them under each connection, as ss -ti.
        /// </summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        protected override void EndProcessing()
        {
            if (NothingPiped) return;
            Query.Detailed = Detailed;
            ListingDiagnostics diagnostics = NewDiagnostics();
            RunBackend(() =>
                {
                    IEnumerable<PortConnection> listing = Connections.GetConnections(Query, diagnostics, StopToken);
                    // The names are looked up together, in parallel, so the listing is read first.
                    if (ResolveHostName) listing = ResolveHostNames(listing.ToList());
                    foreach (PortConnection connection in listing) WriteObject(connection);
                },
                SocketListingFailedErrorId, "The socket table");
        }
    }
}
