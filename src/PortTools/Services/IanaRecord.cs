using PortTools.Models;

namespace PortTools.Services
{
    /// <summary>One row of IANA's service name and port number registry, reduced to what PortTools uses.</summary>
    internal sealed class IanaRecord
    {
        internal IanaRecord(string serviceName, int firstPort, int lastPort, RegistryProtocol? protocol, string description,
            string reference, string assignmentNotes)
        {
            ServiceName = serviceName;
            FirstPort = firstPort;
            LastPort = lastPort;
            Protocol = protocol;
            Description = description;
            Reference = reference;
            AssignmentNotes = assignmentNotes;
            AliasOf = ParseAliasOf(assignmentNotes);
        }

        /// <summary>Empty for Reserved and Unassigned rows.</summary>
        internal string ServiceName { get; }

        /// <summary>-1 for names registered without a port (DNS-SD only).</summary>
        internal int FirstPort { get; }

        internal int LastPort { get; }

        /// <summary>Null when the row names no protocol: old assignments, and ranges that are Unassigned for all.</summary>
        internal RegistryProtocol? Protocol { get; }

        internal string Description { get; }
        internal string Reference { get; }
        internal string AssignmentNotes { get; }

        /// <summary>The preferred name when IANA's notes call this one an alias or a duplicate of it.</summary>
        internal string? AliasOf { get; }

        /// <summary>IANA marks old aliases (whois++ for whoispp) as historic in the notes.</summary>
        internal bool IsHistoric => AssignmentNotes.IndexOf("historic", System.StringComparison.OrdinalIgnoreCase) >= 0;

        internal bool HasPort => FirstPort >= 0;
        internal bool IsNamed => ServiceName.Length > 0;
        internal bool IsRange => LastPort > FirstPort;

        // IANA's two phrasings: 'This entry is an alias to "whoispp".' and 'This is a duplicate of the "http" service'.
        internal static string? ParseAliasOf(string notes)
        {
            foreach (string marker in new[] { "is an alias to \"", "is a duplicate of the \"" })
            {
                int start = notes.IndexOf(marker, System.StringComparison.OrdinalIgnoreCase);
                if (start < 0) continue;
                start += marker.Length;
                int end = notes.IndexOf('"', start);
                if (end > start) return notes.Substring(start, end - start);
            }
            return null;
        }
    }
}
