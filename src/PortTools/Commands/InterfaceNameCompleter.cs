using System.Collections.Generic;
using System.Collections;
using System.Linq;
using System.Management.Automation.Language;
using System.Management.Automation;
using System;
using PortTools.Platform;

namespace PortTools.Commands
{
    /// <summary>Completes interface names (Get-InterfaceStatistic -Name, Get-RouteTable -InterfaceAlias) from the interface counters.</summary>
    internal sealed class InterfaceNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = wordToComplete.Trim('\'', '"');
            try
            {
                return Backends.InterfaceStatistics.GetStatistics(ListingDiagnostics.Silent)
                    .Select(s => s.Name)
                    .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
                    .Select(name => CompletionText.For(name, wildcard: true)) // interface names are chosen by whoever creates them
                    .ToList();
            }
            catch (Exception e) when (BackendFailure.IsBackendFailure(e))
            {
                return Enumerable.Empty<CompletionResult>(); // no completions where the counters cannot be read
            }
        }
    }
}
