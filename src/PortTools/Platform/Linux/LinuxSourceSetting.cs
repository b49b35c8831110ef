using System;
using PortTools.Platform;

namespace PortTools.Platform.Linux
{
    /// <summary>
    /// PORTTOOLS_LINUX_SOURCE, read at every call so that a script may change it between calls: "netlink" (the
    /// default) or "proc" (read /proc/net even where netlink works), in any case. Anything else is said once.
    /// </summary>
    internal static class LinuxSourceSetting
    {
        internal const string Variable = "PORTTOOLS_LINUX_SOURCE";

        internal static bool UseNetlink(ListingDiagnostics diagnostics) => UseNetlink(Environment.GetEnvironmentVariable(Variable), diagnostics);

        internal static bool UseNetlink(string? setting, ListingDiagnostics diagnostics)
        {
            string value = (setting ?? "").Trim();
            if (value.Length == 0 || value.Equals("netlink", StringComparison.OrdinalIgnoreCase)) return true;
            if (value.Equals("proc", StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Verbose($"{Variable} is proc: reading /proc/net instead of netlink.");
                return false;
            }
            diagnostics.WarnOnce(Variable,
                $"{Variable} is {Commands.PortToolsCmdlet.Quote(value)}, which is neither 'netlink' nor 'proc'; netlink is used. " +
                $"Set it to proc to read /proc/net, or remove it.");
            return true;
        }
    }
}
