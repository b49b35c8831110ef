using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

// A console-less PowerShell 7 for Wine: pwsh's own ConsoleHost asks for the active console buffer, which a
// Wine process whose output is redirected does not have. This host runs one script in a default runspace
// and copies every stream to stdout/stderr as text (Write-Host arrives on the information stream).
//   pwsh-win.exe -File script.ps1 [args...]    or    pwsh-win.exe -Command "text"
// Exit code: the script's $LASTEXITCODE when it set one, else 1 if it wrote an error, else 0.
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 2 || (args[0] != "-File" && args[0] != "-Command"))
        {
            Console.Error.WriteLine("usage: pwsh-win.exe -File script.ps1 [args...] | -Command text");
            return 2;
        }
        Console.OutputEncoding = System.Text.Encoding.UTF8;
        var state = InitialSessionState.CreateDefault2();
        state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        using Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using PowerShell shell = PowerShell.Create(runspace);
        // As pwsh -File does: words that start with '-' name parameters, the others are values.
        string command = args[0] == "-File"
            ? "& " + Quote(args[1]) + string.Concat(args.Skip(2).Select(a => " " + (a.StartsWith("-") ? a : Quote(a))))
            : string.Join(" ", args, 1, args.Length - 1);
        if (args[0] == "-File") runspace.SessionStateProxy.Path.SetLocation(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
        // Out-String -Stream formats objects as the console would, line by line, as they arrive.
        shell.AddScript(command + " | Out-String -Stream -Width 200");
        shell.Streams.Information.DataAdded += (_, e) =>
        {
            object data = shell.Streams.Information[e.Index].MessageData;
            if (data is HostInformationMessage { NoNewLine: true } part) Console.Write(part.Message);
            else Console.WriteLine(data);
        };
        shell.Streams.Warning.DataAdded += (_, e) => Console.WriteLine("WARNING: " + shell.Streams.Warning[e.Index]);
        shell.Streams.Verbose.DataAdded += (_, e) => Console.WriteLine("VERBOSE: " + shell.Streams.Verbose[e.Index]);
        shell.Streams.Error.DataAdded += (_, e) => Console.Error.WriteLine(shell.Streams.Error[e.Index]);
        var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => Console.WriteLine(output[e.Index]);
        try
        {
            shell.Invoke(null, output);
        }
        catch (RuntimeException error)
        {
            Console.Error.WriteLine(error.ErrorRecord);
            return 1;
        }
        object? exitCode = runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
        return exitCode is int code ? code : shell.HadErrors ? 1 : 0;
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''") + "'";
}
