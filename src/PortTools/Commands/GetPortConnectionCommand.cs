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
        /// bytes, delivery rate, socket memory and the running timer; shown as the Detailed table.
        /// </summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        // Objects read with -Detailed carry this type name first, so that their default table is the Detailed view.
        private const string DetailedTypeName = "PortTools.Models.PortConnection#Detailed";

        protected override void EndProcessing()
        {
            if (NothingPiped) return;
            Query.Detailed = Detailed;
            ListingDiagnostics diagnostics = NewDiagnostics();
            RunBackend(() =>
                {
                    IEnumerable<PortConnection> listing = Backends.Connections.GetConnections(Query, diagnostics, StopToken);
                    if (ResolveHostName)
                    {
                        // The names are looked up together, in parallel, so the listing is read first.
                        List<PortConnection> all = listing.ToList();
                        ResolveHostNames(all);
                        listing = all;
                    }
                    foreach (PortConnection connection in listing) WriteObject(Detailed ? Tagged(connection) : connection);
                },
                SocketListingFailedErrorId, "The socket table");
        }

        private static PSObject Tagged(PortConnection connection)
        {
            var tagged = PSObject.AsPSObject(connection);
            tagged.TypeNames.Insert(0, DetailedTypeName);
            return tagged;
        }
    }
}
