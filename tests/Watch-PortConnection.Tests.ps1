#Requires -Modules Pester
# Watch-PortConnection against real loopback sockets that this process opens, changes and closes while the watch runs
# in a second runspace of the same process (so the sockets' owner is $PID).

BeforeAll {
    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $ModulePath -Force

    # Starts Watch-PortConnection with $Arguments in another runspace; its changes arrive in .Output as they are written.
    function Start-Watch([string] $Arguments) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Watch-PortConnection $Arguments")
        $output = [Management.Automation.PSDataCollection[psobject]]::new()
        $async = $ps.BeginInvoke([Management.Automation.PSDataCollection[psobject]]::new(), $output)
        [pscustomobject]@{ PowerShell = $ps; Output = $output; Async = $async; History = [Collections.Generic.List[object]]::new() }
    }

    # Every change the watch has written so far, in order.
    function Get-History($Watch) {
        foreach ($change in $Watch.Output.ReadAll()) { $Watch.History.Add($change) }
        $Watch.History
    }

    # Waits (bounded) until the watch has written a change that $Where accepts; returns it, or $null on timeout.
    function Wait-Change($Watch, [scriptblock] $Where, [double] $TimeoutSeconds = 10) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ([DateTime]::UtcNow -lt $deadline) {
            $found = @(Get-History $Watch | Where-Object $Where)
            if ($found) { return $found[0] }
            Start-Sleep -Milliseconds 50
        }
        $null
    }

    # A listener the running watch has seen open: proves that its baseline was read before (a listener in the
    # baseline is never reported, so a new one is tried until one is).
    function New-SeenListener($Watch, [ipaddress] $Address = [ipaddress]::Loopback) {
        for ($try = 0; $try -lt 10; $try++) {
            $listener = [Net.Sockets.TcpListener]::new($Address, 0)
            $listener.Start()
            $port = $listener.LocalEndpoint.Port
            $opened = Wait-Change $Watch { $_.Change -eq 'Opened' -and $_.LocalPort -eq $port -and $_.State -eq 'Listen' } 2
            if ($opened) { return [pscustomobject]@{ Listener = $listener; Port = $port; Opened = $opened } }
            $listener.Stop()
        }
        throw 'The watch never reported a new listener.'
    }
}

Describe 'Watch-PortConnection reports changes of real sockets' {
    BeforeAll {
        $script:Watch = Start-Watch '-Protocol Tcp -Interval 0.1 -Duration 120'
        $script:Listen = New-SeenListener $Watch
        $script:Client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
        $Client.Connect([ipaddress]::Loopback, $Listen.Port)
        $script:Server = $Listen.Listener.AcceptTcpClient()
        $script:ClientPort = $Client.Client.LocalEndPoint.Port
        function Wait-Seen([scriptblock] $Where) { Wait-Change $Watch $Where }
    }

    AfterAll {
        foreach ($socket in $Server, $Client) { if ($socket) { $socket.Dispose() } }
        if ($Listen) { $Listen.Listener.Stop() }
        if ($Watch) { $Watch.PowerShell.Dispose() }
    }

    It 'reports a new listener as Opened, with its owner' {
        $Listen.Opened | Should -BeOfType PortTools.Models.PortConnectionChange
        $Listen.Opened.OwningProcess | Should -Be $PID
        $Listen.Opened.ProcessName | Should -Be (Get-Process -Id $PID).ProcessName
        $Listen.Opened.Connection | Should -BeOfType PortTools.Models.PortConnection
        $Listen.Opened.PreviousState | Should -BeNullOrEmpty
        $Listen.Opened.Time | Should -BeOfType datetime
    }

    It 'reports both ends of a new connection as Opened, Established, with their owner' {
        $client = Wait-Seen { $_.Change -eq 'Opened' -and $_.LocalPort -eq $ClientPort -and $_.RemotePort -eq $Listen.Port }
        $server = Wait-Seen { $_.Change -eq 'Opened' -and $_.LocalPort -eq $Listen.Port -and $_.RemotePort -eq $ClientPort }
        foreach ($end in $client, $server) {
            $end | Should -Not -BeNullOrEmpty
            $end.State | Should -Be 'Established'
            $end.OwningProcess | Should -Be $PID
        }
    }

    It 'reports Established -> CloseWait and Established -> FinWait2 when the client closes its side' {
        $Client.Client.Shutdown([Net.Sockets.SocketShutdown]::Send)
        $server = Wait-Seen { $_.Change -eq 'StateChanged' -and $_.LocalPort -eq $Listen.Port -and $_.RemotePort -eq $ClientPort }
        $server.PreviousState | Should -Be 'Established'
        $server.State | Should -Be 'CloseWait'
        $server.OwningProcess | Should -Be $PID -Because 'a later reading keeps the owner known from the first'
        $client = Wait-Seen { $_.Change -eq 'StateChanged' -and $_.LocalPort -eq $ClientPort -and $_.RemotePort -eq $Listen.Port -and $_.State -eq 'FinWait2' }
        $client.PreviousState | Should -BeIn 'Established', 'FinWait1' # FinWait1 lasts as long as the peer takes to ack the FIN
    }

    It 'reports the server end Closed, and the client end FinWait2 -> TimeWait as the same connection' {
        $Server.Dispose()
        $closed = Wait-Seen { $_.Change -eq 'Closed' -and $_.LocalPort -eq $Listen.Port -and $_.RemotePort -eq $ClientPort }
        $closed | Should -Not -BeNullOrEmpty
        $closed.OwningProcess | Should -Be $PID
        # TIME_WAIT has no socket inode: only the endpoints tie it to the FinWait2 socket, so it is no close and open.
        $timeWait = Wait-Seen { $_.LocalPort -eq $ClientPort -and $_.RemotePort -eq $Listen.Port -and $_.State -eq 'TimeWait' }
        $timeWait.Change | Should -Be 'StateChanged'
        $timeWait.PreviousState | Should -Be 'FinWait2'
    }

    It 'reports the listener Closed when it stops' {
        $Listen.Listener.Stop()
        $closed = Wait-Seen { $_.Change -eq 'Closed' -and $_.LocalPort -eq $Listen.Port -and $_.State -eq 'Listen' }
        $closed | Should -Not -BeNullOrEmpty
    }

    It 'reported each change of these sockets once' {
        # The client's port by itself is not enough: other connections may use the same ephemeral port towards other peers.
        $all = @(Get-History $Watch | Where-Object { $_.LocalPort -eq $Listen.Port -or ($_.LocalPort -eq $ClientPort -and $_.RemotePort -eq $Listen.Port) })
        $keys = @($all | ForEach-Object { "$($_.Change) $($_.LocalPort) $($_.RemotePort) $($_.PreviousState) $($_.State)" })
        $keys.Count | Should -BeGreaterOrEqual 7
        $keys.Count | Should -Be @($keys | Sort-Object -Unique).Count
        @($all | Where-Object { $_.Change -eq 'Opened' -and $_.LocalPort -eq $ClientPort }).Count | Should -Be 1
        @($all | Where-Object { $_.Change -eq 'Closed' -and $_.LocalPort -eq $ClientPort }).Count | Should -Be 0 -Because 'the client end is in TIME_WAIT'
    }

    It 'shows the changes in its table, live and deserialized, the state as old -> new' {
        $change = Get-History $Watch | Where-Object { $_.State -eq 'CloseWait' } | Select-Object -First 1
        $time = $change.Time.ToString('HH:mm:ss')
        $pattern = "^$time State\s+TCP\s+127\.0\.0\.1:$($Listen.Port)\s+127\.0\.0\.1:$ClientPort\s+Established -> CloseWait\s+$PID\s+"
        $lines = ($change | Format-Table | Out-String -Width 200) -split "`n"
        $lines[1] | Should -Match '^Time\s+Change\s+Proto\s+Local Address\s+Foreign Address\s+State\s+PID\s+Process'
        $lines -match $pattern | Should -Not -BeNullOrEmpty
        $back = [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($change))
        $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.PortTools.Models.PortConnectionChange'
        (($back | Format-Table | Out-String -Width 200) -split "`n") -match $pattern | Should -Not -BeNullOrEmpty
    }

    It 'exports flat columns to CSV' {
        $csv = @(Get-History $Watch | Where-Object LocalPort -eq $Listen.Port | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv)
        $row = $csv | Where-Object { $_.State -eq 'CloseWait' -and $_.Change -ne 'Closed' }
        $row.Change | Should -Be 'StateChanged'
        $row.PreviousState | Should -Be 'Established'
        $row.LocalPort | Should -Be "$($Listen.Port)"
        $row.OwningProcess | Should -Be "$PID"
    }

    It 'stops at once when the pipeline is stopped (Ctrl+C)' {
        $Watch.Async.IsCompleted | Should -BeFalse -Because '-Duration 120 has not passed'
        $stopwatch = [Diagnostics.Stopwatch]::StartNew()
        $Watch.PowerShell.Stop()
        $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 2
        $Watch.Async.IsCompleted | Should -BeTrue
    }
}

Describe 'Watch-PortConnection ends' {
    It 'ends after -Duration, reporting nothing for sockets open before it started' {
        $listener = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try {
            $stopwatch = [Diagnostics.Stopwatch]::StartNew()
            $changes = @(Watch-PortConnection -LocalPort $listener.LocalEndpoint.Port -Interval 0.2 -Duration 1)
            $stopwatch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1
            $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 5
            $changes.Count | Should -Be 0
        }
        finally { $listener.Stop() }
    }

    It 'ends after -Count changes' {
        $watch = Start-Watch '-Protocol Tcp -LocalAddress 127.0.0.1 -Interval 0.1 -Count 2 -Duration 60'
        $listeners = [Collections.Generic.List[object]]::new()
        try {
            $first = New-SeenListener $watch
            $listeners.Add($first.Listener)
            $second = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
            $second.Start()
            $listeners.Add($second)
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not $watch.Async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $watch.Async.IsCompleted | Should -BeTrue
            $watch.PowerShell.EndInvoke($watch.Async)
            @(Get-History $watch).Count | Should -Be 2
        }
        finally {
            foreach ($listener in $listeners) { $listener.Stop() }
            $watch.PowerShell.Dispose()
        }
    }
}

Describe 'Watch-PortConnection parameters' {
    It 'takes every parameter of Get-PortConnection, with the same attributes' {
        $get = (Get-Command Get-PortConnection).Parameters
        $watch = (Get-Command Watch-PortConnection).Parameters
        # -Detailed reads TCP internals for one listing; a watch compares connections, not their internals.
        foreach ($name in $get.Keys | Where-Object { $_ -ne 'Detailed' }) {
            $watch.Keys | Should -Contain $name
            $watch[$name].ParameterType | Should -Be $get[$name].ParameterType
            @($watch[$name].Aliases) | Should -Be @($get[$name].Aliases)
        }
        @($watch.Keys | Where-Object { $get.Keys -notcontains $_ } | Sort-Object) | Should -Be @('Count', 'Duration', 'Interval')
    }

    It 'refuses bad filters before it reads anything, as Get-PortConnection does' {
        { Watch-PortConnection -LocalAddress 'nonsense' -Duration 5 } |
            Should -Throw -ErrorId 'InvalidAddressPrefix,PortTools.Commands.WatchPortConnectionCommand'
        { Watch-PortConnection -Listening -State Listen -Duration 5 } |
            Should -Throw -ErrorId 'ConflictingFilters,PortTools.Commands.WatchPortConnectionCommand'
    }
}

Describe '-ResolveHostName with a name from the hosts file' {
    BeforeAll {
        # A private mount namespace whose /etc/hosts has one more name: root, unshare and mount.
        . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
        $script:Missing = Get-MissingPrerequisite root, unshare, mount
        if ($Missing) { return }
        # 127.0.0.42 gets a name only inside a private mount namespace, whose /etc/hosts is a copy with one more line:
        # the host's file is untouched and no lookup leaves the machine.
        function Invoke-WithTestHosts([string] $Script) {
            $hosts = Join-Path ([IO.Path]::GetTempPath()) "porttools-hosts-$([guid]::NewGuid().ToString('N'))"
            try {
                (Get-Content /etc/hosts -Raw) + "`n127.0.0.42 porttools-test-peer`n" | Set-Content $hosts -NoNewline
                $child = "Import-Module '$ModulePath'`n" + $Script
                $out = & unshare --mount --propagation private -- sh -c "mount --bind '$hosts' /etc/hosts && exec `"`$@`"" sh `
                    dotnet pwsh -NoProfile -NonInteractive -Command $child 2>&1
                $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
                ($out -join "`n") | ConvertFrom-Json
            }
            finally { Remove-Item $hosts -ErrorAction SilentlyContinue }
        }
        $script:Result = Invoke-WithTestHosts @'
$listener = [Net.Sockets.TcpListener]::new([ipaddress]'127.0.0.42', 0); $listener.Start()
$port = $listener.LocalEndpoint.Port
$client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
$client.Connect([ipaddress]'127.0.0.42', $port)
$server = $listener.AcceptTcpClient()
# Runspaces of their own, to count their progress records; they import the module this child imported.
$module = (Get-Module PortTools).Path
function Invoke-Counted([string] $Preference, [string] $Command) {
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$module'; `$ProgressPreference = '$Preference'; $Command")
    $objects = $ps.Invoke()
    [pscustomobject]@{ Objects = $objects; Progress = $ps.Streams.Progress.Count }
}
$get = Invoke-Counted Continue "Get-PortConnection -RemoteAddress 127.0.0.42 -RemotePort $port -ResolveHostName"
$silent = Invoke-Counted SilentlyContinue "Get-PortConnection -RemoteAddress 127.0.0.42 -RemotePort $port -ResolveHostName"
$plain = Get-PortConnection -RemoteAddress 127.0.0.42 -RemotePort $port
$watch = [powershell]::Create()
$null = $watch.AddScript("Import-Module '$module'; Watch-PortConnection -RemoteAddress 127.0.0.42 -ResolveHostName -Interval 0.1 -Count 1 -Duration 20")
$async = $watch.BeginInvoke()
Start-Sleep -Seconds 1.5 # the watch's baseline is read
$second = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
$second.Connect([ipaddress]'127.0.0.42', $port)
$change = $watch.EndInvoke($async)
[pscustomobject]@{
    Port = $port
    Get = @($get.Objects | Select-Object RemoteAddress, RemoteHostName)
    Table = ($get.Objects | Format-Table | Out-String -Width 80)
    Progress = $get.Progress
    SilentProgress = $silent.Progress
    SilentName = @($silent.Objects.RemoteHostName)
    Plain = @($plain | Select-Object RemoteAddress, RemoteHostName)
    Watch = @($change | Select-Object Change, RemoteAddress, RemoteHostName, RemotePort)
    WatchTable = ($change | Format-Table | Out-String -Width 200)
} | ConvertTo-Json -Depth 3 -EnumsAsStrings
'@
        $script:PeerColumn = [PortTools.Formatting.DisplayText]::Endpoint("porttools-test-peer:$($Result.Port)", 22)
    }

    BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

    It 'puts the name in RemoteHostName and keeps the address numeric' {
        @($Result.Get).Count | Should -Be 1
        $Result.Get[0].RemoteAddress | Should -Be '127.0.0.42'
        $Result.Get[0].RemoteHostName | Should -Be 'porttools-test-peer'
    }

    It 'shows the name in the Foreign Address column (netstat -f)' {
        # Cut like any endpoint to fit 80 columns: in the name, never the port.
        $Result.Table | Should -Match "TCP\s+127\.0\.0\.\d+:\d+\s+$([regex]::Escape($PeerColumn))\s+Established"
    }

    It 'leaves RemoteHostName empty unless asked' {
        $Result.Plain[0].RemoteAddress | Should -Be '127.0.0.42'
        $Result.Plain[0].RemoteHostName | Should -BeNullOrEmpty
    }

    It 'shows a progress bar while it looks up, and none under SilentlyContinue' {
        $Result.Progress | Should -BeGreaterThan 0
        $Result.SilentProgress | Should -Be 0
        $Result.SilentName | Should -Be 'porttools-test-peer'
    }

    It 'names the peer of a connection that opens during Watch-PortConnection -ResolveHostName' {
        @($Result.Watch).Count | Should -Be 1
        $Result.Watch[0].Change | Should -Be 'Opened'
        $Result.Watch[0].RemoteAddress | Should -Be '127.0.0.42'
        $Result.Watch[0].RemoteHostName | Should -Be 'porttools-test-peer'
        $Result.WatchTable | Should -Match "Opened\s+TCP\s+127\.0\.0\.\d+:\d+\s+$([regex]::Escape($PeerColumn))\s+Established"
    }
}
