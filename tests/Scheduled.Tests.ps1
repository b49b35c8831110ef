#Requires -Modules Pester
# PortTools in scheduled scripts (issue 11): each cmdlet runs in a fresh `pwsh -NonInteractive -File` with stdin closed
# and writes nothing outside PowerShell's streams, its errors can be caught by id, and the documented recipe
# (docs/examples/Watch-Listeners.ps1) alerts on a new loopback listener with the documented exit codes.

BeforeAll {
    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    $script:Recipe = Join-Path $PSScriptRoot '../docs/examples/Watch-Listeners.ps1'

    # A fresh pwsh as a scheduler starts it: -NonInteractive -File, stdin closed at once, stdout and stderr captured.
    # The built module is found by name, as on a machine where it is installed.
    function Invoke-Scheduled([string[]] $Arguments) {
        $start = [Diagnostics.ProcessStartInfo]::new((Get-Command dotnet).Source)
        foreach ($argument in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File') + $Arguments) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.Environment['PSModulePath'] = (Split-Path (Split-Path $ModulePath)) + [IO.Path]::PathSeparator + $env:PSModulePath
        $process = [Diagnostics.Process]::Start($start)
        try {
            $process.StandardInput.Close()
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit(180000)) { $process.Kill($true); throw "pwsh -File $Arguments did not end within 180 s." }
            [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $stdout.Result; StdErr = $stderr.Result }
        }
        finally { $process.Dispose() }
    }

    function New-Script([string] $Text) {
        $path = Join-Path $TestDrive "$([guid]::NewGuid().ToString('n')).ps1"
        Set-Content -LiteralPath $path -Value $Text
        $path
    }
}

Describe 'Cmdlets in a non-interactive session' {
    BeforeDiscovery {
        # One call per exported cmdlet; a cmdlet missing here fails 'covers every exported cmdlet' below.
        $script:Calls = @(
            @{ Cmdlet = 'Get-PortConnection'; Call = 'Get-PortConnection -Listening' }
            @{ Cmdlet = 'Resolve-WellKnownPort'; Call = 'Resolve-WellKnownPort 443' }
            @{ Cmdlet = 'Get-RouteTable'; Call = 'Get-RouteTable' }
            @{ Cmdlet = 'Get-ProtocolStatistic'; Call = 'Get-ProtocolStatistic' }
            @{ Cmdlet = 'Get-InterfaceStatistic'; Call = 'Get-InterfaceStatistic' }
            # A change to watch: bash connects to a listener of ours a second after the watch began.
            @{ Cmdlet = 'Watch-PortConnection'; Call = @'
$listener = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port
$start = [Diagnostics.ProcessStartInfo]::new('bash'); $start.ArgumentList.Add('-c'); $start.ArgumentList.Add("sleep 1; exec 3<>/dev/tcp/127.0.0.1/$port; sleep 3")
$null = [Diagnostics.Process]::Start($start)
Watch-PortConnection -LocalPort $port -Count 1 -Duration 15
'@ }
        )
    }

    It 'covers every exported cmdlet' {
        $exported = (Import-PowerShellDataFile $ModulePath).CmdletsToExport
        $Calls.Cmdlet | Sort-Object | Should -Be ($exported | Sort-Object) -Because 'each cmdlet must be checked here for prompts and direct console writes'
    }

    It '<Cmdlet> writes only to its streams' -ForEach $Calls {
        # Every stream is captured (*>&1); anything on the process's stdout or stderr was written around them.
        $result = Join-Path $TestDrive "$Cmdlet.txt"
        $script = New-Script @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'Continue'
Import-Module PortTools
`$records = @(& { $Call } *>&1)
`$errors = @(`$records | Where-Object { `$_ -is [Management.Automation.ErrorRecord] })
Set-Content -LiteralPath '$result' -Value "`$(`$records.Count) `$(`$errors.Count)"
"@
        $run = Invoke-Scheduled @($script)
        $run.StdErr | Should -BeNullOrEmpty
        $run.StdOut | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $records, $errors = (Get-Content -LiteralPath $result) -split ' '
        [int]$records | Should -BeGreaterThan 0 -Because "$Call lists something on this machine"
        [int]$errors | Should -Be 0
    }

    It 'stops a -File script with a non-zero exit, and a script can catch the error by id' {
        $result = Join-Path $TestDrive 'caught.txt'
        $caught = New-Script @"
`$ErrorActionPreference = 'Stop'
Import-Module PortTools
`$ids = foreach (`$call in { Get-PortConnection -LocalAddress 'not-an-address' }, { Get-PortConnection -ProcessName '[' }) {
    try { & `$call; 'no error' } catch { `$_.FullyQualifiedErrorId }
}
Set-Content -LiteralPath '$result' -Value `$ids
"@
        $run = Invoke-Scheduled @($caught)
        $run.ExitCode | Should -Be 0
        $run.StdErr | Should -BeNullOrEmpty
        Get-Content -LiteralPath $result | Should -Be @(
            'InvalidAddressPrefix,PortTools.Commands.GetPortConnectionCommand'
            'InvalidWildcardPattern,PortTools.Commands.GetPortConnectionCommand')

        $uncaught = New-Script "`$ErrorActionPreference = 'Stop'; Import-Module PortTools; Get-PortConnection -LocalAddress 'not-an-address'; 'not reached'"
        $run = Invoke-Scheduled @($uncaught)
        $run.ExitCode | Should -Be 1
        $run.StdErr | Should -Match 'not-an-address'
        $run.StdOut | Should -Not -Match 'not reached'
    }
}

Describe 'The Watch-Listeners recipe' {
    BeforeAll {
        $script:State = Join-Path $TestDrive 'listeners.csv'
        $script:Log = Join-Path $TestDrive 'listeners.log'
        function New-Listener {
            $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $listener
        }
        # Other processes on this machine open and close listeners meanwhile: assertions are about our own ports.
        function Get-Alert([string] $Text, [int] $Port) { @($Text -split "`n" | Where-Object { $_ -match "^New listener: Tcp 127\.0\.0\.1 port $Port " }) }
        $script:Old = New-Listener
        $script:New = $null
    }
    AfterAll {
        $Old.Stop()
        if ($New) { $New.Stop() }
    }

    It 'records the listeners on its first run and exits 0' {
        $run = Invoke-Scheduled @($Recipe, '-StatePath', $State, '-LogPath', $Log)
        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $snapshot = @(Import-Csv $State | Where-Object { $_.LocalAddress -eq '127.0.0.1' -and $_.LocalPort -eq $Old.LocalEndpoint.Port })
        $snapshot.Count | Should -Be 1
        $snapshot[0].Protocol | Should -Be 'Tcp'
        $snapshot[0].OwningProcess | Should -Be $PID
    }

    It 'alerts on a listener opened since, on stderr and in the log, and exits 2' {
        $script:New = New-Listener
        $port = $New.LocalEndpoint.Port
        $run = Invoke-Scheduled @($Recipe, '-StatePath', $State, '-LogPath', $Log)
        $run.ExitCode | Should -Be 2
        $alert = Get-Alert $run.StdErr $port
        $alert | Should -HaveCount 1
        $alert | Should -Match "\($((Get-Process -Id $PID).ProcessName) $PID\)"
        Get-Alert $run.StdErr $Old.LocalEndpoint.Port | Should -HaveCount 0 -Because 'it was in the last snapshot'
        @(Get-Content $Log | Where-Object { $_ -match "^\d{4}-\d\d-\d\dT\S+ New listener: Tcp 127\.0\.0\.1 port $port " }) | Should -HaveCount 1
    }

    It 'reports a listener once, and a closed one as closed' {
        $port = $New.LocalEndpoint.Port
        $New.Stop()
        $run = Invoke-Scheduled @($Recipe, '-StatePath', $State, '-LogPath', $Log)
        $run.ExitCode | Should -BeIn 0, 2 # 2 only for listeners others opened meanwhile
        Get-Alert $run.StdErr $port | Should -HaveCount 0
        $run.StdOut | Should -Match "(?m)^Listener closed: Tcp 127\.0\.0\.1 port $port "
    }

    It 'exits 1 with the reason on stderr when it cannot keep its snapshot' {
        $run = Invoke-Scheduled @($Recipe, '-StatePath', (Join-Path $TestDrive 'no-such-folder/listeners.csv'))
        $run.ExitCode | Should -Be 1
        $run.StdErr | Should -Match '^Watch-Listeners failed: '
    }
}
