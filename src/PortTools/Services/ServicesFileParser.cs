using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System;
using PortTools.Models;

namespace PortTools.Services
{
    /// <summary>One line of a services database: "smtp 25/tcp mail".</summary>
    internal sealed class HostServiceEntry
    {
        internal HostServiceEntry(string name, int port, RegistryProtocol protocol, string[] aliases)
        {
            Name = name;
            Port = port;
            Protocol = protocol;
            Aliases = aliases;
        }

        internal string Name { get; }
        internal int Port { get; }
        internal RegistryProtocol Protocol { get; }
        internal string[] Aliases { get; }
    }

    /// <summary>
    /// Reads services(5) text, the format of /etc/services and of Windows' drivers\etc\services:
    /// "name port/protocol [aliases ...] [# comment]". Pure; the caller opens the file. Lines it cannot read,
    /// and protocols that have no IANA ports (ddp), are skipped as getservent(3) skips them.
    /// </summary>
    internal static class ServicesFileParser
    {
        private static readonly char[] Blanks = { ' ', '\t' };

        internal static List<HostServiceEntry> Parse(TextReader reader)
        {
            var entries = new List<HostServiceEntry>();
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                int hash = line.IndexOf('#');
                string[] words = (hash >= 0 ? line.Substring(0, hash) : line).Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length < 2) continue;
                int slash = words[1].IndexOf('/');
                if (slash <= 0
                    || !int.TryParse(words[1].Substring(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
                    || port > 65535
                    || !TryParseProtocol(words[1].Substring(slash + 1), out RegistryProtocol protocol))
                    continue;
                var aliases = new string[words.Length - 2];
                Array.Copy(words, 2, aliases, 0, aliases.Length);
                entries.Add(new HostServiceEntry(words[0], port, protocol, aliases));
            }
            return entries;
        }

        internal static bool TryParseProtocol(string text, out RegistryProtocol protocol)
        {
            switch (text.ToLowerInvariant())
            {
                case "tcp": protocol = RegistryProtocol.Tcp; return true;
                case "udp": protocol = RegistryProtocol.Udp; return true;
                case "sctp": protocol = RegistryProtocol.Sctp; return true;
                case "dccp": protocol = RegistryProtocol.Dccp; return true;
                default: protocol = default; return false;
            }
        }
    }
}
