# Shared by Reliability.Tests.ps1 and the benchmark: what this process holds (descriptors, memory), sockets it opens on loopback,
# and helper processes that hold many loopback connections (tests/Benchmark/ConnectionHolder.cs).

# The benchmark dot-sources this file too, with its own -ModulePath.
if (-not (Get-Variable ModulePath -Scope Script -ErrorAction Ignore)) {
    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
}

# Open descriptors of this process. Listing /proc/self/fd opens one more for the listing itself, the same one
# every time, so two counts compare. Assemblies are left out: the runtime maps each once, when first used
# (PowerShell loads some lazily, e.g. for its update check), and never a second time.
function Get-DescriptorCount {
    @([IO.Directory]::GetFileSystemEntries("/proc/$PID/fd") | Where-Object { [IO.FileInfo]::new($_).LinkTarget -notlike '*.dll' }).Count
}

function Get-StatusKiB([string] $Field) {
    [long]((Select-String -Path /proc/self/status -Pattern "^${Field}:\s+(\d+)").Matches[0].Groups[1].Value)
}

# Descriptors, managed heap after a full collection (what is still referenced) and resident memory.
# glibc keeps freed native memory in its arenas and the GC keeps free regions committed, so RSS after a loop says
# as much about them as about a leak: both are handed back before RSS is read, and what is left is really held.
Add-Type -Namespace PortToolsTests -Name Libc -MemberDefinition '[DllImport("libc")] public static extern int malloc_trim(UIntPtr pad);'

function Get-ResourceFigures {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    [GC]::Collect(2, [GCCollectionMode]::Aggressive, $true, $true) # blocking, compacting, free regions decommitted
    $null = [PortToolsTests.Libc]::malloc_trim([UIntPtr]::Zero)
    [pscustomobject]@{
        Descriptors = Get-DescriptorCount
        HeapKiB     = [long]([GC]::GetTotalMemory($true) / 1KB)
        RssKiB      = Get-StatusKiB VmRSS
    }
}

# TCP connections (both ends and the listener) and UDP sockets on 127.0.0.1 and ::1, held by this process.
function New-LoopbackSockets([int] $PairsPerFamily = 4) {
    $sockets = [Collections.Generic.List[IDisposable]]::new()
    $ports = [Collections.Generic.HashSet[int]]::new()
    foreach ($address in [ipaddress]::Loopback, [ipaddress]::IPv6Loopback) {
        $listener = [Net.Sockets.TcpListener]::new($address, 0)
        $listener.Start()
        $sockets.Add($listener.Server)
        $null = $ports.Add($listener.LocalEndpoint.Port)
        foreach ($i in 1..$PairsPerFamily) {
            $client = [Net.Sockets.TcpClient]::new($address.AddressFamily)
            $client.LingerState = [Net.Sockets.LingerOption]::new($true, 0) # no TIME_WAIT left behind
            $client.Connect($address, $listener.LocalEndpoint.Port)
            $sockets.Add($client)
            $sockets.Add($listener.AcceptTcpClient())
            $null = $ports.Add($client.Client.LocalEndPoint.Port)
        }
        $udp = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new($address, 0))
        $sockets.Add($udp)
        $null = $ports.Add($udp.Client.LocalEndPoint.Port)
    }
    [pscustomobject]@{ Sockets = $sockets; Ports = $ports }
}

function Remove-LoopbackSockets($Loopback) {
    if ($Loopback) { foreach ($socket in $Loopback.Sockets) { $socket.Dispose() } }
}

<#
Starts helper processes that together hold $Connections loopback TCP connections (2 sockets each) and returns
them once every one has said READY. A process may not raise its open-files limit here (no CAP_SYS_RESOURCE),
so each holder takes what fits in half of it, less a margin for the runtime's own descriptors. The holder is
compiled once, here, rather than in each holder: compiling is most of a holder's start-up.
#>
function Start-ConnectionHolder([int] $Connections, [int] $TimeoutSeconds = 300) {
    $limit = [int](((Get-Content /proc/self/limits | Select-String 'Max open files').Line -split '\s+')[3])
    $perHolder = [Math]::Min($Connections, [Math]::Max(1000, [int]($limit / 2) - 1000))
    $assembly = Join-Path ([IO.Path]::GetTempPath()) "ConnectionHolder-$PID-$([guid]::NewGuid().ToString('n')).dll"
    Add-Type -Path (Join-Path $PSScriptRoot 'Benchmark/ConnectionHolder.cs') -OutputAssembly $assembly -OutputType Library
    $holders = for ($opened = 0; $opened -lt $Connections; $opened += $perHolder) {
        # This session's own PowerShell, whoever runs the tests (dotnet pwsh would need the local tool restored for them).
        $start = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Benchmark/Start-ConnectionHolder.ps1'),
        '-Count', [Math]::Min($perHolder, $Connections - $opened), '-Assembly', $assembly |
            ForEach-Object { $start.ArgumentList.Add([string]$_) }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.WorkingDirectory = $PSScriptRoot
        [Diagnostics.Process]::Start($start)
    }
    try {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        foreach ($holder in $holders) {
            $line = $holder.StandardOutput.ReadLineAsync()
            $left = [Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
            if (-not $line.Wait([int]$left)) { throw "A connection holder was not ready within $TimeoutSeconds s." }
            if ($line.Result -notlike 'READY *') { throw "A connection holder did not start: $($line.Result)" }
        }
    }
    catch {
        Stop-ConnectionHolder $holders
        throw
    }
    finally {
        Remove-Item -LiteralPath $assembly -ErrorAction SilentlyContinue # loaded by now, or not needed
    }
    $holders
}

# Closing its standard input tells a holder to close its sockets and exit.
function Stop-ConnectionHolder($Holders) {
    foreach ($holder in $Holders) {
        try { $holder.StandardInput.Close() } catch [IO.IOException] { }
    }
    foreach ($holder in $Holders) {
        if (-not $holder.WaitForExit(60000)) { $holder.Kill($true) }
        $holder.Dispose()
    }
}
