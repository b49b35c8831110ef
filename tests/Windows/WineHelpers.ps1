# Shared by the Windows suite (*.WindowsTests.ps1), which runs inside Wine: the Linux side's own view of the
# same kernel, read from inside the Windows process. Wine maps / to drive Z: and runs an ELF executable
# natively when a Windows program starts one.

$script:ModulePath = $env:PORTTOOLS_MODULE
$script:UnixScratch = $env:PORTTOOLS_WINE_SCRATCH
# Wine keeps its own keys here; a real Windows has none.
$script:IsWine = Test-Path 'HKLM:\Software\Wine'

function ConvertTo-WindowsPath([string] $UnixPath) { 'Z:' + ($UnixPath -replace '/', '\') }

# Runs a Linux command line through /bin/sh and returns its standard output as lines. Wine hands back neither
# the exit code nor a waitable process for an ELF child, so the command writes a file and renames it into
# place only when it succeeded; a missing file after the timeout is a failure.
function Invoke-LinuxCommand([string] $Command, [int] $TimeoutSeconds = 30) {
    $id = [guid]::NewGuid().ToString('N')
    $out = "$UnixScratch/$id.out"
    Set-Content -LiteralPath (ConvertTo-WindowsPath "$UnixScratch/$id.sh") -NoNewline -Value "$Command > '$out.part' && mv '$out.part' '$out'`n"
    # Process.Start, not Start-Process: Wine gives no process object for an ELF child (null here), and
    # Start-Process fails looking it up by pid.
    $null = [Diagnostics.Process]::Start('Z:\bin\sh', "$UnixScratch/$id.sh")
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-Path -LiteralPath (ConvertTo-WindowsPath $out))) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Linux command failed or timed out: $Command" }
        Start-Sleep -Milliseconds 20
    }
    Get-Content -LiteralPath (ConvertTo-WindowsPath $out)
}

# ss's state names (ss(8), tcp_states.h) as TcpState names.
$script:SsStates = @{
    'ESTAB' = 'Established'; 'LISTEN' = 'Listen'; 'SYN-SENT' = 'SynSent'; 'SYN-RECV' = 'SynReceived'
    'FIN-WAIT-1' = 'FinWait1'; 'FIN-WAIT-2' = 'FinWait2'; 'TIME-WAIT' = 'TimeWait'; 'CLOSE-WAIT' = 'CloseWait'
    'LAST-ACK' = 'LastAck'; 'CLOSING' = 'Closing'; 'UNCONN' = ''
}

# An endpoint as the module writes it (LocalEndpoint): ss writes a dual-stack wildcard as "*" and a scope as "%if".
function ConvertFrom-SsEndpoint([string] $Text) {
    $Text = $Text -replace '%[^:\]]+', ''
    if ($Text -match '^\*:(.+)$') { return "[::]:$($Matches[1])" }
    $Text
}

# One key per socket, "tcp Established 127.0.0.1:80 127.0.0.1:50000", from `ss -tuanH` (UDP has no state).
function Get-SsSocketKey {
    foreach ($line in Invoke-LinuxCommand 'ss -tuanH') {
        $f = $line.Trim() -split '\s+'
        $state = if ($f[0] -eq 'udp') { '' } else { $SsStates[$f[1]] }
        "$($f[0]) $state $(ConvertFrom-SsEndpoint $f[4]) $(ConvertFrom-SsEndpoint $f[5])"
    }
}

function Get-ConnectionKey([object] $Connection) {
    "$($Connection.Protocol.ToString().ToLowerInvariant()) $($Connection.State) $($Connection.LocalEndpoint) $($Connection.RemoteEndpoint)"
}

# /proc/net/snmp as a flat table named as the module names its counters ("TcpInSegs", "IcmpInType3").
function Read-ProcSnmp {
    $lines = @(Get-Content -LiteralPath 'Z:\proc\net\snmp')
    $counters = @{}
    for ($i = 0; $i + 1 -lt $lines.Count; $i += 2) {
        $names = $lines[$i] -split '\s+'
        $values = $lines[$i + 1] -split '\s+'
        $group = $names[0].TrimEnd(':') -replace '^IcmpMsg$', 'Icmp'
        for ($j = 1; $j -lt $names.Count; $j++) { $counters["$group$($names[$j])"] = [long]$values[$j] }
    }
    $counters
}
