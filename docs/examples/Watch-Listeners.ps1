<#
.SYNOPSIS
    Alerts when a new listening socket appears: snapshots the listeners to CSV and compares with the last snapshot.
.DESCRIPTION
    Meant for a systemd timer, cron or Task Scheduler (README, "Scheduled scripts"); each run is a fresh, non-interactive
    pwsh. A listener is identified by Protocol, LocalAddress and LocalPort (TCP listeners and unconnected UDP sockets,
    Get-PortConnection -Listening); its process is only reported.

    Exit codes: 0 nothing new (also the first run, which only records the snapshot); 2 one or more new listeners, each
    written as a line to stderr (and to -LogPath); 1 the check itself failed (the error on stderr). The snapshot is
    replaced on every successful run, so a listener is reported once.
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File Watch-Listeners.ps1 -StatePath /var/lib/porttools/listeners.csv
#>
[CmdletBinding()]
param(
    # The last snapshot (CSV). Its folder must exist.
    [Parameter(Mandatory)] [string] $StatePath,
    # Also append each alert and each closed listener, with a timestamp, to this file.
    [string] $LogPath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$identity = 'Protocol', 'LocalAddress', 'LocalPort'

function Write-Log([string] $Line) {
    if ($LogPath) { Add-Content -LiteralPath $LogPath -Value ('{0:yyyy-MM-ddTHH:mm:ssK} {1}' -f (Get-Date), $Line) }
}

try {
    Import-Module PortTools
    # Both sides as CSV text, so that the comparison sees strings on both (Import-Csv reads no types back).
    $next = "$StatePath.new"
    Get-PortConnection -Listening |
        Select-Object Protocol, LocalAddress, LocalPort, OwningProcess, ProcessName |
        Sort-Object $identity -Unique |
        Export-Csv -LiteralPath $next -NoTypeInformation
    $exit = 0
    if (Test-Path -LiteralPath $StatePath) {
        $changes = Compare-Object (@(Import-Csv -LiteralPath $StatePath)) (@(Import-Csv -LiteralPath $next)) -Property $identity -PassThru
        foreach ($change in $changes) {
            $what = '{0} {1} port {2} ({3} {4})' -f $change.Protocol, $change.LocalAddress, $change.LocalPort, $change.ProcessName, $change.OwningProcess
            if ($change.SideIndicator -eq '=>') {
                [Console]::Error.WriteLine("New listener: $what")
                Write-Log "New listener: $what"
                $exit = 2
            }
            else {
                Write-Output "Listener closed: $what"
                Write-Log "Listener closed: $what"
            }
        }
    }
    Move-Item -LiteralPath $next -Destination $StatePath -Force
    exit $exit
}
catch {
    [Console]::Error.WriteLine("Watch-Listeners failed: $_")
    exit 1
}
