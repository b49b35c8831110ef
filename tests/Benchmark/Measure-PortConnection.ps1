<#
.SYNOPSIS
    Benchmarks Get-PortConnection against ss and netstat in one run, with N loopback connections open.
.DESCRIPTION
    For each N, a helper process opens N TCP connections on 127.0.0.1 (2N sockets, all owned) and holds
    them. Then, in this process, after a warm-up, it times `Get-PortConnection | Measure-Object` and
    `Get-PortConnection -State Listen | Measure-Object`, and beside them `ss -tanp`, `ss -tan` and
    `netstat -tanp` (output to /dev/null), reporting wall time, peak memory and the ratio to `ss -tanp`. The detailed
    listing (`Get-PortConnection -Detailed`: tcp_info, congestion control, socket memory, timers) beside the plain one
    and beside `ss -tinmo`, which reads the same; its cost over the plain listing is also measured in pairs (one
    listing right after the other, so that load on a shared machine hits both alike) and printed after the table.
    Times are medians of warm runs. Peak memory of Get-PortConnection is the growth of this process's peak
    RSS during one call after a full garbage collection (/proc/self/clear_refs resets the peak first); for
    ss and netstat it is their maximum RSS.
    Cold start first, as a scheduled script pays it on every run: a fresh pwsh per run, bare, with Import-Module, and
    with import, listing and Export-Csv, run in turn (side by side, so load on the machine hits every row alike);
    medians of wall time and of maximum RSS from time(1), and each row's cost over bare pwsh.
    Only loopback traffic; the helper and its sockets are gone when the script ends.
.EXAMPLE
    dotnet pwsh -File build.ps1 -Task Bench
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int[]] $Count = @(10000, 100000),
    # Runs per measurement; the median is reported. Slow tools (over 10 s) run once.
    [int] $Repeat = 3,
    # Runs of each Get-PortConnection measurement before the measured ones.
    [int] $WarmUp = 12,
    # A native tool that runs longer is stopped and reported as slower than this.
    [int] $TimeoutSeconds = 300,
    # Fresh pwsh processes per cold-start row; the median is reported.
    [int] $ColdStartRepeat = 9,
    # Only the cold-start rows.
    [switch] $ColdStartOnly
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

foreach ($tool in @{ netstat = 'net-tools'; ss = 'iproute2'; '/usr/bin/time' = 'time' }.GetEnumerator()) {
    if (-not (Get-Command $tool.Key -ErrorAction SilentlyContinue)) {
        Write-Host "Installing $($tool.Value) for $($tool.Key)"
        & apt-get install -y -qq $tool.Value | Out-Null
    }
}

# Get-StatusKiB and the connection holders (Start-ConnectionHolder, Stop-ConnectionHolder) are shared with the tests.
. (Join-Path $PSScriptRoot '../ReliabilityHelpers.ps1')

# Writing 5 to clear_refs resets VmHWM to the current RSS (proc(5)). procfs refuses truncation, so no Set-Content.
function Reset-PeakMemory {
    $file = [IO.FileStream]::new('/proc/self/clear_refs', [IO.FileMode]::Open, [IO.FileAccess]::Write)
    try { $file.Write([byte[]][char[]]'5', 0, 1) } finally { $file.Dispose() }
}

function Measure-Cmdlet([scriptblock] $Script) {
    # Warm: the first calls run PowerShell's pipeline and the module in tier-0 JIT code; .NET recompiles a
    # method after 30 calls (tiered compilation), so a listing reaches its steady speed after about ten runs.
    foreach ($i in 1..$WarmUp) { $null = & $Script }
    $seconds = foreach ($i in 1..$Repeat) { (Measure-Command { $null = & $Script }).TotalSeconds }
    # Memory apart from time: after a full collection the heap is small again, and the growth of this
    # process's peak RSS during one call is what the listing needed.
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    Reset-PeakMemory
    $before = Get-StatusKiB VmRSS
    $null = & $Script
    [pscustomobject]@{
        Seconds = ($seconds | Sort-Object)[[int][Math]::Floor(($Repeat - 1) / 2)]
        PeakMiB = [Math]::Max(0, (Get-StatusKiB VmHWM) - $before) / 1KB
    }
}

function Measure-Native([string] $Command) {
    $runs = [System.Collections.Generic.List[object]]::new()
    foreach ($i in 0..$Repeat) {
        # time(1) reports elapsed seconds and maximum RSS in KiB; netstat -p is quadratic, so it is bounded.
        $line = & /usr/bin/time -f '%e %M' timeout $TimeoutSeconds bash -c "$Command > /dev/null" 2>&1 | Select-Object -Last 1
        $seconds, $kib = -split $line
        if ([double]$seconds -ge $TimeoutSeconds) { return [pscustomobject]@{ Seconds = [double]::PositiveInfinity; PeakMiB = [double]$kib / 1KB } }
        if ($i -gt 0) { $runs.Add([pscustomobject]@{ Seconds = [double]$seconds; PeakMiB = [double]$kib / 1KB }) }
        if ([double]$seconds -gt 10) { if ($i -eq 0) { continue } else { break } }
    }
    $runs | Sort-Object Seconds | Select-Object -Index ([int][Math]::Floor(($runs.Count - 1) / 2))
}

# The median and quartiles of Script's time over Baseline's, each pair run back to back.
function Measure-PairedRatio([scriptblock] $Script, [scriptblock] $Baseline, [int] $Pairs = 21) {
    $ratios = @(foreach ($i in 1..$Pairs) {
            $base = (Measure-Command { $null = & $Baseline }).TotalSeconds
            (Measure-Command { $null = & $Script }).TotalSeconds / [Math]::Max($base, 0.001)
        }) | Sort-Object
    [pscustomobject]@{ Median = $ratios[[int][Math]::Floor($Pairs / 2)]; Low = $ratios[[int][Math]::Floor($Pairs / 4)]; High = $ratios[[int][Math]::Floor(3 * $Pairs / 4)] }
}

function Measure-ColdStart {
    # The apphost where there is one (an installed pwsh), else the dotnet tool's pwsh.dll.
    $pwsh = @(Join-Path $PSHOME 'pwsh')
    if (-not (Test-Path $pwsh[0])) { $pwsh = @((Get-Command dotnet).Source, (Join-Path $PSHOME 'pwsh.dll')) }
    $csv = Join-Path ([IO.Path]::GetTempPath()) "porttools-cold-$PID.csv"
    $module = (Resolve-Path $ModulePath).Path
    $rows = [ordered]@{
        'pwsh -c exit' = 'exit'
        # PowerShell's own first Export-Csv, no PortTools: the part of the last rows any module pays.
        'pwsh: [Version] | Export-Csv (no PortTools)' = "[Version]'1.2.3.4' | Export-Csv '$csv'"
        'pwsh: Import-Module PortTools' = "Import-Module '$module'"
        'pwsh: import; Get-PortConnection | Export-Csv' = "Import-Module '$module'; Get-PortConnection | Export-Csv '$csv'"
        'pwsh: import; Get-PortConnection -Listening | Export-Csv' = "Import-Module '$module'; Get-PortConnection -Listening | Export-Csv '$csv'"
    }
    $runs = @{}
    foreach ($i in 0..$ColdStartRepeat) {
        foreach ($row in $rows.GetEnumerator()) {
            $line = & /usr/bin/time -f '%e %M' @pwsh -NoProfile -NonInteractive -Command $row.Value 2>&1 | Select-Object -Last 1
            $seconds, $kib = -split $line
            if ($i -gt 0) { $runs[$row.Key] += @([pscustomobject]@{ Seconds = [double]$seconds; MiB = [double]$kib / 1KB }) } # run 0 warms the disk cache
        }
    }
    Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue
    $median = { param($values) ($values | Sort-Object)[[int][Math]::Floor(($values.Count - 1) / 2)] }
    $bare = $runs['pwsh -c exit']
    foreach ($row in $rows.Keys) {
        $seconds = & $median $runs[$row].Seconds
        $mib = & $median $runs[$row].MiB
        [pscustomobject]@{
            'Cold start (fresh pwsh)' = $row
            Seconds                   = [Math]::Round($seconds, 3)
            MaxRssMiB                 = [Math]::Round($mib, 1)
            'ms over bare'            = [Math]::Round(1000 * ($seconds - (& $median $bare.Seconds)))
            'MiB over bare'           = [Math]::Round($mib - (& $median $bare.MiB), 1)
        }
    }
}

Write-Host "Cold start: $ColdStartRepeat fresh pwsh processes per row, in turn..."
Measure-ColdStart | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
if ($ColdStartOnly) { return }

$results = foreach ($n in $Count) {
    Write-Host "Opening $n loopback connections..."
    $holders = Start-ConnectionHolder $n
    try {
        $ssp = Measure-Native 'ss -tanp'
        $rows = @(
            [pscustomobject]@{ Tool = 'Get-PortConnection | Measure-Object'; Result = Measure-Cmdlet { Get-PortConnection | Measure-Object } }
            [pscustomobject]@{ Tool = 'Get-PortConnection -State Listen | Measure-Object'; Result = Measure-Cmdlet { Get-PortConnection -State Listen | Measure-Object } }
            [pscustomobject]@{ Tool = 'Get-PortConnection -Detailed | Measure-Object'; Result = Measure-Cmdlet { Get-PortConnection -Detailed | Measure-Object } }
            # What reading the service names (netstat without -n) costs beside reading the ports.
            [pscustomobject]@{ Tool = 'Get-PortConnection | Select-Object LocalPort, RemotePort'; Result = Measure-Cmdlet { Get-PortConnection | Select-Object LocalPort, RemotePort | Measure-Object } }
            [pscustomobject]@{ Tool = 'Get-PortConnection | Select-Object LocalService, RemoteService'; Result = Measure-Cmdlet { Get-PortConnection | Select-Object LocalService, RemoteService | Measure-Object } }
            # What OwningService costs where it is read (once per owning process: /proc/PID/cgroup, or the SCM's one list)
            # and where it is filtered on; the plain listing above never reads it.
            [pscustomobject]@{ Tool = 'Get-PortConnection | Select-Object LocalPort, OwningService'; Result = Measure-Cmdlet { Get-PortConnection | Select-Object LocalPort, OwningService | Measure-Object } }
            [pscustomobject]@{ Tool = 'Get-PortConnection -ServiceName *'; Result = Measure-Cmdlet { Get-PortConnection -ServiceName * | Measure-Object } }
            # What an admin sees: the default netstat table, rendered to text at 80 columns as cron mail would get it.
            [pscustomobject]@{ Tool = 'Get-PortConnection | Out-String -Width 80'; Result = Measure-Cmdlet { Get-PortConnection | Out-String -Width 80 } }
            [pscustomobject]@{ Tool = 'ss -tanp'; Result = $ssp }
            [pscustomobject]@{ Tool = 'ss -tlnp'; Result = Measure-Native 'ss -tlnp' }
            [pscustomobject]@{ Tool = 'ss -tan'; Result = Measure-Native 'ss -tan' }
            [pscustomobject]@{ Tool = 'ss -tinmo'; Result = Measure-Native 'ss -tinmo' }
            [pscustomobject]@{ Tool = 'netstat -tanp'; Result = Measure-Native 'netstat -tanp' }
        )
        $paired = Measure-PairedRatio { Get-PortConnection -Detailed | Measure-Object } { Get-PortConnection | Measure-Object }
        Write-Host ('{0} connections: Get-PortConnection -Detailed over the plain listing, in pairs: median {1:0.00}x (quartiles {2:0.00}x to {3:0.00}x; budget 1.5x).' -f
            $n, $paired.Median, $paired.Low, $paired.High)
        foreach ($row in $rows) {
            [pscustomobject]@{
                Connections   = $n
                Tool          = $row.Tool
                Seconds       = if ([double]::IsInfinity($row.Result.Seconds)) { ">$TimeoutSeconds" } else { [Math]::Round($row.Result.Seconds, 3) }
                PeakMiB       = [Math]::Round($row.Result.PeakMiB, 1)
                'vs ss -tanp' = '{0:0.000}x' -f ($row.Result.Seconds / [Math]::Max($ssp.Seconds, 0.001))
            }
        }
    }
    finally {
        Stop-ConnectionHolder $holders
    }
}
$results | Format-Table -AutoSize | Out-String -Width 200 | Write-Host

