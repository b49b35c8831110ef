#Requires -Modules Pester
# Get-PortConnection against real sockets that this test process opens on loopback (127.0.0.1, ::1).

BeforeAll {
    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    . (Join-Path $PSScriptRoot 'NobodyHelpers.ps1')
    Import-Module $ModulePath -Force
    $script:CommandName = 'PortTools.Commands.GetPortConnectionCommand'

    function New-TcpPair([ipaddress] $Address) {
        $listener = [System.Net.Sockets.TcpListener]::new($Address, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $client = [System.Net.Sockets.TcpClient]::new($Address.AddressFamily)
        $client.Connect($Address, $port)
        $server = $listener.AcceptTcpClient()
        [pscustomobject]@{ Listener = $listener; Client = $client; Server = $server; Port = $port; ClientPort = $client.Client.LocalEndPoint.Port }
    }

    $script:Tcp4 = New-TcpPair ([ipaddress]::Loopback)
    $script:Tcp6 = New-TcpPair ([ipaddress]::IPv6Loopback)
    $script:Udp4 = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
    $script:Udp6 = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::IPv6Loopback, 0))
    $script:Udp4Port = $Udp4.Client.LocalEndPoint.Port
    $script:Udp6Port = $Udp6.Client.LocalEndPoint.Port
    $script:Mine = @(Get-PortConnection -OwningProcess $PID)
}

AfterAll {
    foreach ($pair in $Tcp4, $Tcp6) { $pair.Server.Dispose(); $pair.Client.Dispose(); $pair.Listener.Stop() }
    $Udp4.Dispose(); $Udp6.Dispose()
}

Describe 'Get-PortConnection lists real sockets' {
    It 'shows the <Family> TCP listener, both ends of its connection, owned by this process' -ForEach @(
        @{ Family = 'IPv4'; Pair = 'Tcp4'; Address = '127.0.0.1' }
        @{ Family = 'IPv6'; Pair = 'Tcp6'; Address = '::1' }
    ) {
        $p = Get-Variable $Pair -ValueOnly
        $listen = @($Mine | Where-Object { $_.LocalPort -eq $p.Port -and $_.State -eq 'Listen' })
        $listen.Count | Should -Be 1
        $listen[0].LocalAddress | Should -Be $Address
        $listen[0].AddressFamily | Should -Be $Family
        $listen[0].Protocol | Should -Be 'Tcp'
        $listen[0].OwningProcess | Should -Be $PID
        $listen[0].ProcessName | Should -Be (Get-Process -Id $PID).ProcessName
        $server = @($Mine | Where-Object { $_.LocalPort -eq $p.Port -and $_.State -eq 'Established' })
        $server.Count | Should -Be 1
        $server[0].RemotePort | Should -Be $p.ClientPort
        $client = @($Mine | Where-Object { $_.LocalPort -eq $p.ClientPort })
        $client.Count | Should -Be 1
        $client[0].RemotePort | Should -Be $p.Port
        $client[0].RemoteAddress | Should -Be $Address
        $client[0].State | Should -Be 'Established'
    }

    It 'shows the UDP sockets without a state' {
        $u4 = @($Mine | Where-Object { $_.Protocol -eq 'Udp' -and $_.LocalPort -eq $Udp4Port })
        $u4.Count | Should -Be 1
        $u4[0].LocalAddress | Should -Be '127.0.0.1'
        $u4[0].State | Should -BeNullOrEmpty
        $u6 = @($Mine | Where-Object { $_.Protocol -eq 'Udp' -and $_.LocalPort -eq $Udp6Port })
        $u6[0].AddressFamily | Should -Be 'IPv6'
        $u6[0].OwningProcess | Should -Be $PID
    }

    It 'types its properties' {
        $c = $Mine | Where-Object LocalPort -eq $Tcp4.Port | Select-Object -First 1
        $c | Should -BeOfType PortTools.Models.PortConnection
        $c.LocalPort | Should -BeOfType int
        $c.State | Should -BeOfType PortTools.Models.TcpState
        $c.UserName | Should -Be (& id -un)
        $c.UserId | Should -Be ([uint32](& id -u))
        $c.Inode | Should -BeGreaterThan 0
        $c.ProcessPath | Should -Not -BeNullOrEmpty
    }

    It 'matches ss -tanupeH on the sockets this process owns: same sockets, same owners' {
        Skip-WithoutPrerequisite ss
        $fromSs = foreach ($line in & ss -tanupeH) {
            $t = -split $line
            if ($line -notmatch "pid=$PID,") { continue }
            $state = if ($t[0] -eq 'udp') { '' } else { @{ LISTEN = 'Listen'; ESTAB = 'Established' }[$t[1]] }
            $inode = [regex]::Match($line, '\bino:(\d+)').Groups[1].Value
            "$($t[0].ToUpperInvariant()) $($t[4]) $($t[5] -replace ':\*$', ':0') $state ino=$inode pid=$PID"
        }
        $fromUs = foreach ($c in $Mine) {
            $local = if ($c.AddressFamily -eq 'IPv6') { "[$($c.LocalAddress)]:$($c.LocalPort)" } else { "$($c.LocalAddress):$($c.LocalPort)" }
            $remote = if ($c.AddressFamily -eq 'IPv6') { "[$($c.RemoteAddress)]:$($c.RemotePort)" } else { "$($c.RemoteAddress):$($c.RemotePort)" }
            "$($c.Protocol.ToString().ToUpperInvariant()) $local $remote $($c.State) ino=$($c.Inode) pid=$($c.OwningProcess)"
        }
        @($fromSs).Count | Should -BeGreaterOrEqual 8
        ($fromUs | Sort-Object) -join "`n" | Should -Be (($fromSs | Sort-Object) -join "`n")
    }

    It 'lists the same sockets through the /proc/net fallback, chosen per call by PORTTOOLS_LINUX_SOURCE' {
        $key = { "$($_.Protocol) $($_.LocalAddress) $($_.LocalPort) $($_.State) $($_.Inode)" }
        try {
            foreach ($value in 'proc', 'PROC', ' Proc ') {
                $env:PORTTOOLS_LINUX_SOURCE = $value
                $viaProc = Get-PortConnection -OwningProcess $PID -Verbose 4>&1
                @($viaProc | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -match '/proc/net' }).Count | Should -Be 1
                ($viaProc | Where-Object { $_ -is [PortTools.Models.PortConnection] } | ForEach-Object $key | Sort-Object) -join "`n" |
                    Should -Be (($Mine | ForEach-Object $key | Sort-Object) -join "`n")
            }
            $env:PORTTOOLS_LINUX_SOURCE = 'NetLink'
            @(Get-PortConnection -OwningProcess $PID -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Count | Should -Be 0
            $env:PORTTOOLS_LINUX_SOURCE = 'procfs'
            $null = Get-PortConnection -OwningProcess $PID -WarningVariable w -WarningAction SilentlyContinue
            @($w).Count | Should -Be 1
            $w[0].Message | Should -Match "'procfs', which is neither 'netlink' nor 'proc'"
        }
        finally { Remove-Item env:PORTTOOLS_LINUX_SOURCE -ErrorAction SilentlyContinue }
    }
}

Describe 'Get-PortConnection agrees with ss and Get-Process on owners, names and listeners' {
    BeforeAll {
        # A holder whose name is longer than the kernel's 15-byte comm, sharing one connected socket with a child it
        # forked (the socket is inherited, as nginx and gunicorn workers inherit their master's listener).
        $script:LongDir = Join-Path ([IO.Path]::GetTempPath()) "pt-long-$PID"
        New-Item -ItemType Directory $LongDir -Force | Out-Null
        $script:LongName = 'porttools-long-holder'
        Copy-Item (Get-Command bash).Source (Join-Path $LongDir $LongName)
        $script:Shared = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $Shared.Start()
        $psi = [Diagnostics.ProcessStartInfo]::new((Join-Path $LongDir $LongName))
        foreach ($a in '-c', "exec 3<>/dev/tcp/127.0.0.1/$($Shared.LocalEndpoint.Port); sleep 60 & read -t 60 <&3") { $psi.ArgumentList.Add($a) }
        $script:Holder = [Diagnostics.Process]::Start($psi)
        $script:Accepted = $Shared.AcceptTcpClient()
        # Both processes hold the socket once the child runs.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        do { Start-Sleep -Milliseconds 100; $script:Row = @(Get-PortConnection -RemotePort $Shared.LocalEndpoint.Port -State Established) }
        until (($Row.Count -eq 1 -and @($Row[0].Holders).Count -ge 2) -or [DateTime]::UtcNow -gt $deadline)
    }
    AfterAll {
        $Holder.Kill($true); $Holder.WaitForExit(5000) | Out-Null
        $Accepted.Dispose(); $Shared.Stop()
        Remove-Item $LongDir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'names the owner as Get-Process does, beyond the kernel''s 15 bytes' {
        $Row[0].OwningProcess | Should -Be $Holder.Id
        $Row[0].ProcessName | Should -BeExactly $LongName
        $Row[0].ProcessName | Should -BeExactly (Get-Process -Id $Holder.Id).ProcessName
        (Get-Content "/proc/$($Holder.Id)/comm").Length | Should -Be 15
    }

    It 'finds it by that name, and completes that name' {
        @(Get-PortConnection -ProcessName $LongName -RemotePort $Shared.LocalEndpoint.Port).Count | Should -Be 1
        @(Get-PortConnection -ProcessName (Get-Process -Id $Holder.Id).ProcessName).Count | Should -BeGreaterThan 0
        $line = 'Get-PortConnection -ProcessName porttools-long'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $LongName
    }

    It 'lists every holder of a shared socket, as ss -p does' {
        Skip-WithoutPrerequisite ss
        $port = $Shared.LocalEndpoint.Port
        $line = & ss -tnpH state established "( dport = :$port )"
        $ssPids = @([regex]::Matches($line, 'pid=(\d+)') | ForEach-Object { [int]$_.Groups[1].Value } | Sort-Object -Unique)
        $ssPids.Count | Should -BeGreaterOrEqual 2
        @($Row[0].Holders.ProcessId | Sort-Object) | Should -Be $ssPids
        $Row[0].OwningProcess | Should -Be $ssPids[0]
        [string]$Row[0].Holders | Should -Match "^$LongName\($($Holder.Id)\) "
        # Any holder finds the socket; the child alone (sleep) is enough.
        $child = ($Row[0].Holders | Where-Object ProcessId -ne $Holder.Id)[0]
        @(Get-PortConnection -OwningProcess $child.ProcessId -RemotePort $port).Count | Should -Be 1
        ($Row | Out-String -Width 120) | Should -Match "$LongName \+1"
        ($Row | Format-Table -View Process | Out-String -Width 200) | Should -Match ([regex]::Escape("$LongName($($Holder.Id))"))
    }

    It 'gives TIME_WAIT sockets no user, as ss does' {
        $l = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $l.Start()
        $c = [System.Net.Sockets.TcpClient]::new(); $c.Connect([ipaddress]::Loopback, $l.LocalEndpoint.Port)
        $clientPort = $c.Client.LocalEndPoint.Port
        $s = $l.AcceptTcpClient(); $c.Close(); Start-Sleep -Milliseconds 100; $s.Close(); $l.Stop()
        # The side that closed first waits in TIME_WAIT; no process holds it any more.
        $tw = @(Get-PortConnection -State TimeWait -LocalPort $clientPort)
        $tw.Count | Should -Be 1
        $tw | ForEach-Object { $_.UserId | Should -BeNullOrEmpty; $_.UserName | Should -BeNullOrEmpty; $_.OwningProcess | Should -BeNullOrEmpty }
    }

    It '-Listening lists TCP listeners and unconnected UDP, as ss -tuln does' {
        Skip-WithoutPrerequisite ss
        $connected = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
        $connected.Connect([ipaddress]::Loopback, $Udp4Port)
        try {
            $mine = @(Get-PortConnection -Listening -OwningProcess $PID)
            $expected = @(& ss -tulnpH | Where-Object { $_ -match "pid=$PID," } | ForEach-Object { ($_ -split '\s+')[4] -replace '^.*:', '' } | ForEach-Object { [int]$_ } | Sort-Object)
            @($mine.LocalPort | Sort-Object) | Should -Be $expected
            $mine.LocalPort | Should -Contain $Udp4Port
            $mine.LocalPort | Should -Not -Contain $connected.Client.LocalEndPoint.Port
            ($mine | Out-String) | Should -Match 'Unconnected'
            (Get-PortConnection -LocalPort $connected.Client.LocalEndPoint.Port | Out-String) | Should -Match 'Connected'
        }
        finally { $connected.Dispose() }
    }

    It 'tells a dual-stack listener (*) from an IPv6-only one ([::]), as ss does' {
        Skip-WithoutPrerequisite ss
        $dual = [System.Net.Sockets.TcpListener]::new([ipaddress]::IPv6Any, 0); $dual.Server.DualMode = $true; $dual.Start()
        $v6 = [System.Net.Sockets.TcpListener]::new([ipaddress]::IPv6Any, 0); $v6.Server.DualMode = $false; $v6.Start()
        try {
            foreach ($case in @{ L = $dual; Endpoint = "*:$($dual.LocalEndpoint.Port)"; DualStack = $true }, @{ L = $v6; Endpoint = "[::]:$($v6.LocalEndpoint.Port)"; DualStack = $false }) {
                $row = Get-PortConnection -LocalPort $case.L.LocalEndpoint.Port -State Listen
                $row.DualStack | Should -Be $case.DualStack
                $row.LocalEndpoint | Should -Be $case.Endpoint
                $ssLocal = (-split (& ss -tlnH "( sport = :$($case.L.LocalEndpoint.Port) )"))[3]
                $ssLocal | Should -Be $case.Endpoint
            }
        }
        finally { $dual.Stop(); $v6.Stop() }
    }

    It '-Listening and -State together are refused' {
        { Get-PortConnection -Listening -State Established } | Should -Throw -ErrorId "ConflictingFilters,$CommandName"
    }

    It 'says once that -State <State> never matches on Linux' -ForEach @(@{ State = 'Bound' }, @{ State = 'DeleteTcb' }) {
        $r = @(Get-PortConnection -State $State, Listen -OwningProcess $PID -WarningVariable w -WarningAction SilentlyContinue)
        $r.Count | Should -Be @(Get-PortConnection -State Listen -OwningProcess $PID).Count
        @($w).Count | Should -Be 1
        $w[0].Message | Should -Match "-State $State never matches on Linux"
    }

    It 'refuses an empty <Name> list rather than reading it as all or none' -ForEach @(
        @{ Name = 'Protocol' }, @{ Name = 'AddressFamily' }, @{ Name = 'State' }, @{ Name = 'LocalPort' }, @{ Name = 'OwningProcess' }
    ) {
        $arguments = @{ $Name = @() }
        { Get-PortConnection @arguments } | Should -Throw -ErrorId "ParameterArgumentValidationError,$CommandName"
    }

    It 'keeps every port and column at 80 columns, also for long IPv6 addresses' {
        $text = $Mine | Out-String -Width 80
        # The view's header (format file) and its rows (ConnectionRow) are aligned by the same widths.
        ($text -split "`r?`n" | Where-Object { $_ -match '^Proto' }) | Should -BeExactly ([PortTools.Formatting.ConnectionRow]::Header)
        foreach ($c in $Mine) { $text | Should -Match ":$($c.LocalPort)\b" }
        $long = [pscustomobject]@{ PSTypeName = 'PortTools.Models.PortConnection'; Protocol = 'Tcp'; LocalEndpoint = '[2001:db8:85a3:1234:5678:8a2e:370:7334]:443'
            RemoteEndpoint = '[2001:db8:85a3:1234:5678:8a2e:370:7335]:65001'; State = 'Established'; OwningProcess = 1; ProcessName = 'nginx'; Holders = @() }
        $lines = ($long | Out-String -Width 80) -split "`r?`n" | Where-Object { $_ -match 'TCP' }
        $lines | Should -Match ':443 '
        $lines | Should -Match ':65001 '
        $lines | Should -Match 'nginx$'
        ($long | Format-Table -View Wide | Out-String -Width 200) | Should -Match ([regex]::Escape('[2001:db8:85a3:1234:5678:8a2e:370:7334]:443'))
    }
}

Describe 'Get-PortConnection filters' {
    It '-State Listen lists only listeners, and no UDP' {
        $r = @(Get-PortConnection -State Listen -OwningProcess $PID)
        $r.Count | Should -Be 2
        $r.LocalPort | Sort-Object | Should -Be (@($Tcp4.Port, $Tcp6.Port) | Sort-Object)
    }

    It '-State takes several values (OR)' {
        @(Get-PortConnection -State Listen, Established -OwningProcess $PID).Count | Should -Be 6
    }

    It '-Protocol Udp lists only UDP' {
        $r = @(Get-PortConnection -Protocol Udp -OwningProcess $PID)
        $r.LocalPort | Sort-Object | Should -Be (@($Udp4Port, $Udp6Port) | Sort-Object)
    }

    It '-AddressFamily IPv6 lists only IPv6' {
        $r = @(Get-PortConnection -AddressFamily IPv6 -OwningProcess $PID)
        $r.Count | Should -Be 4
        $r.AddressFamily | Sort-Object -Unique | Should -Be 'IPv6'
    }

    It '-LocalPort answers "who holds my port, and who is connected to it"' {
        $r = @(Get-PortConnection -LocalPort $Tcp4.Port)
        $r.Count | Should -Be 2
        $r.ForEach({ [string]$_.State }) | Sort-Object | Should -Be @('Established', 'Listen')
        $r.OwningProcess | Sort-Object -Unique | Should -Be $PID
    }

    It '-RemotePort with -State Established finds the client side' {
        $r = @(Get-PortConnection -State Established -RemotePort $Tcp6.Port)
        $r.Count | Should -Be 1
        $r[0].LocalPort | Should -Be $Tcp6.ClientPort
    }

    It 'the README one-liner: -State Established | Where RemotePort -eq <port>' {
        $r = @(Get-PortConnection -State Established | Where-Object RemotePort -eq $Tcp4.Port)
        $r.Count | Should -Be 1
        $r[0].LocalPort | Should -Be $Tcp4.ClientPort
    }

    It '-LocalAddress takes an address or a CIDR prefix' {
        $byAddress = @(Get-PortConnection -LocalAddress 127.0.0.1 -OwningProcess $PID)
        $byAddress.Count | Should -Be 4
        $byPrefix = @(Get-PortConnection -LocalAddress 127.0.0.0/8 -OwningProcess $PID)
        $byPrefix.Count | Should -Be 4
        @(Get-PortConnection -LocalAddress '::1', '127.0.0.1' -OwningProcess $PID).Count | Should -Be 8
        @(Get-PortConnection -LocalAddress 10.0.0.0/8 -OwningProcess $PID).Count | Should -Be 0
    }

    It '-RemoteAddress filters on the peer' {
        $r = @(Get-PortConnection -RemoteAddress ::1/128 -OwningProcess $PID)
        $r.Count | Should -Be 2
        $r.State | Sort-Object -Unique | Should -Be 'Established'
    }

    It 'filters combine with AND' {
        @(Get-PortConnection -Protocol Tcp -AddressFamily IPv4 -State Listen -LocalPort $Tcp4.Port -OwningProcess $PID).Count | Should -Be 1
        @(Get-PortConnection -Protocol Udp -LocalPort $Tcp4.Port).Count | Should -Be 0
    }

    It 'binds Get-Process output by property name' {
        $r = @(Get-Process -Id $PID | Get-PortConnection)
        $r.Count | Should -Be $Mine.Count
        @(Get-Process -Id $PID | Get-PortConnection -State Listen).Count | Should -Be 2
    }

    It 'lists nothing for an empty pipeline of processes' {
        @(@() | Get-PortConnection).Count | Should -Be 0
    }

    It '-ProcessName takes wildcards' {
        $name = (Get-Process -Id $PID).ProcessName
        $r = @(Get-PortConnection -ProcessName ($name.Substring(0, 3) + '*') -LocalPort $Tcp4.Port)
        $r.Count | Should -Be 2
        @(Get-PortConnection -ProcessName 'no-such-process-*').Count | Should -Be 0
    }

    It 'completes -ProcessName and -LocalPort' {
        $name = (Get-Process -Id $PID).ProcessName
        $names = (TabExpansion2 "Get-PortConnection -ProcessName $($name.Substring(0, 3))").CompletionMatches.CompletionText
        $names | Should -Contain $name
        $ports = (TabExpansion2 'Get-PortConnection -LocalPort ').CompletionMatches.CompletionText
        $ports | Should -Contain ([string]$Tcp4.Port)
        $states = (TabExpansion2 'Get-PortConnection -State Est').CompletionMatches.CompletionText
        $states | Should -Contain 'Established'
    }
}

Describe 'Get-PortConnection bad input' {
    It 'refuses <Arguments.Keys> <Arguments.Values> with error id <ErrorId>' -ForEach @(
        @{ Arguments = @{ LocalPort = 70000 }; ErrorId = 'ParameterArgumentValidationError' }
        @{ Arguments = @{ RemotePort = -1 }; ErrorId = 'ParameterArgumentValidationError' }
        @{ Arguments = @{ State = 'Listening' }; ErrorId = 'CannotConvertArgumentNoMessage' }
        @{ Arguments = @{ Protocol = 'Sctp' }; ErrorId = 'CannotConvertArgumentNoMessage' }
        @{ Arguments = @{ LocalAddress = '300.1.1.1' }; ErrorId = 'InvalidAddressPrefix' }
        @{ Arguments = @{ RemoteAddress = '10.0.0.0/33' }; ErrorId = 'InvalidAddressPrefix' }
        @{ Arguments = @{ LocalAddress = 'localhost' }; ErrorId = 'InvalidAddressPrefix' }
    ) {
        { Get-PortConnection @Arguments } | Should -Throw -ErrorId "$ErrorId,$CommandName"
    }

    It 'says what is wrong and what is accepted' {
        $err = { Get-PortConnection -LocalAddress 10.0.0.0/33 } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match ([regex]::Escape("'10.0.0.0/33'"))
        $err.Exception.Message | Should -Match 'CIDR prefix'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err = { Get-PortConnection -LocalPort 70000 } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match '65535'
        $err = { Get-PortConnection -State Listening } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'Listening'
        $err.Exception.Message | Should -Match 'Established'
    }

    It 'writes nothing before refusing bad input' {
        $out = [System.Collections.Generic.List[object]]::new()
        { Get-PortConnection -LocalAddress 127.0.0.1, 'bad' | ForEach-Object { $out.Add($_) } } |
            Should -Throw -ErrorId "InvalidAddressPrefix,$CommandName"
        $out.Count | Should -Be 0
    }
}

Describe 'Get-PortConnection output' {
    It 'renders the netstat-style table' {
        $text = Get-PortConnection -LocalPort $Tcp4.Port, $Tcp6.Port -State Listen | Sort-Object LocalAddress -Descending |
            Format-Table | Out-String -Width 80
        $lines = $text -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Proto\s+Local Address\s+Foreign Address\s+State\s+PID\s+Process\s*$'
        $name = (Get-Process -Id $PID).ProcessName
        $lines[2] | Should -Match "^TCP\s+127\.0\.0\.1:$($Tcp4.Port)\s+0\.0\.0\.0:\*\s+Listen\s+$PID\s+$name"
        $lines[3] | Should -Match "^TCP\s+\[::1\]:$($Tcp6.Port)\s+\[::\]:\*\s+Listen\s+$PID\s+$name"
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }

    It 'groups by process in the Process view' {
        $text = Get-PortConnection -OwningProcess $PID | Sort-Object OwningProcess | Format-Table -View Process | Out-String -Width 120
        $name = (Get-Process -Id $PID).ProcessName
        $text | Should -Match "Process: $name \($PID\)"
        $text | Should -Match "127\.0\.0\.1:$($Tcp4.Port)"
    }

    It 'renders objects that come back deserialized from a job' {
        $port = $Tcp4.Port
        $fromJob = Start-Job {
            Import-Module $using:ModulePath
            Get-PortConnection -LocalPort $using:port -State Listen
        } | Receive-Job -Wait -AutoRemoveJob
        $fromJob.PSObject.TypeNames[0] | Should -Be 'Deserialized.PortTools.Models.PortConnection'
        $text = $fromJob | Format-Table | Out-String -Width 80
        $text | Should -Match "TCP\s+127\.0\.0\.1:$port\s+0\.0\.0\.0:\*\s+Listen\s+$PID"
    }

    It 'survives Export-Csv and Import-Csv' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "porttools-$([guid]::NewGuid()).csv"
        try {
            Get-PortConnection -OwningProcess $PID | Export-Csv $csv -NoTypeInformation
            $back = @(Import-Csv $csv)
            $back.Count | Should -Be $Mine.Count
            $row = $back | Where-Object { $_.LocalPort -eq "$($Tcp6.Port)" -and $_.State -eq 'Listen' }
            $row.LocalAddress | Should -Be '::1'
            $row.Protocol | Should -Be 'Tcp'
            $row.AddressFamily | Should -Be 'IPv6'
            $row.OwningProcess | Should -Be "$PID"
            ($back | Where-Object Protocol -eq 'Udp')[0].State | Should -Be ''
        }
        finally { Remove-Item $csv -ErrorAction SilentlyContinue }
    }

    It 'converts to readable JSON' {
        $json = Get-PortConnection -LocalPort $Tcp6.Port -State Listen | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json
        $json.LocalAddress | Should -Be '::1'
        $json.State | Should -Be 'Listen'
        $json.OwningProcess | Should -Be $PID
    }
}

Describe 'Get-PortConnection without root' {
    BeforeAll {
        $script:Missing = Get-MissingPrerequisite nobody
        if ($Missing) { return }
        $script:Sandbox = New-NobodySandbox $ModulePath
    }

    AfterAll { if ($Sandbox) { Remove-Item $Sandbox -Recurse -Force -ErrorAction SilentlyContinue } }

    BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

    It 'still lists root''s sockets, without owner, with exactly one warning' {
        $r = Invoke-AsNobody $Sandbox @"
Import-Module '$Sandbox/PortTools/PortTools.psd1'
`$mine = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); `$mine.Start()
`$conns = @(Get-PortConnection -LocalPort $($Tcp4.Port), `$mine.LocalEndpoint.Port -State Listen -WarningVariable w -WarningAction SilentlyContinue)
[pscustomobject]@{
    Uid = [int](& id -u)
    Root = @(`$conns | Where-Object LocalPort -eq $($Tcp4.Port) | Select-Object LocalPort, OwningProcess, ProcessName)
    Own = @(`$conns | Where-Object LocalPort -eq `$mine.LocalEndpoint.Port | Select-Object OwningProcess)
    Pid = `$PID
    Warnings = @(`$w | ForEach-Object Message)
} | ConvertTo-Json -Depth 4
"@
        $r.Uid | Should -Be 65534
        @($r.Root).Count | Should -Be 1
        $r.Root[0].OwningProcess | Should -BeNullOrEmpty
        $r.Root[0].ProcessName | Should -BeNullOrEmpty
        $r.Own[0].OwningProcess | Should -Be $r.Pid
        @($r.Warnings).Count | Should -Be 1
        $r.Warnings[0] | Should -Match 'root'
    }

    It 'warns when the process asked for is another user''s' {
        $r = Invoke-AsNobody $Sandbox @"
Import-Module '$Sandbox/PortTools/PortTools.psd1'
`$conns = @(Get-PortConnection -OwningProcess $PID -WarningVariable w -WarningAction SilentlyContinue)
[pscustomobject]@{ Count = `$conns.Count; Warnings = @(`$w | ForEach-Object Message) } | ConvertTo-Json
"@
        $r.Count | Should -Be 0
        @($r.Warnings).Count | Should -Be 1
    }

    # /proc mounted hidepid=2 shows an unprivileged user no other process at all: nothing is unreadable, so only
    # the mount option tells that owners are missing.
    It 'warns once under hidepid=<HidePid> for <Case>' -ForEach @(
        @{ HidePid = 'invisible'; Case = 'a listing'; Filter = "-LocalPort `$(`$Tcp4.Port) -State Listen"; Rows = 1 }
        @{ HidePid = 'invisible'; Case = 'root''s process by id'; Filter = "-OwningProcess `$PID"; Rows = 0 }
        @{ HidePid = 'noaccess'; Case = 'root''s process by name'; Filter = "-ProcessName '$((Get-Process -Id $PID).ProcessName)' -LocalPort `$(`$Tcp4.Port)"; Rows = 0 }
    ) {
        Skip-WithoutPrerequisite unshare, mount
        $filter = $ExecutionContext.InvokeCommand.ExpandString($Filter)
        $r = Invoke-AsNobody $Sandbox -HidePid $HidePid @"
Import-Module '$Sandbox/PortTools/PortTools.psd1'
`$conns = @(Get-PortConnection $filter -WarningVariable w -WarningAction SilentlyContinue)
[pscustomobject]@{ Count = `$conns.Count; Owners = @(`$conns.OwningProcess); Warnings = @(`$w | ForEach-Object Message) } | ConvertTo-Json
"@
        $r.Count | Should -Be $Rows
        @($r.Owners | Where-Object { $_ }).Count | Should -Be 0
        @($r.Warnings).Count | Should -Be 1
        $r.Warnings[0] | Should -Match "hidepid=$HidePid"
    }
}

Describe 'Get-PortConnection parameters' {
    It 'keeps its filters (shared with Watch-PortConnection) and adds only -ResolveHostName and -Detailed' {
        $common = [Management.Automation.Internal.CommonParameters].GetProperties().Name
        @((Get-Command Get-PortConnection).Parameters.Keys | Where-Object { $common -notcontains $_ } | Sort-Object) | Should -Be @(
            'AddressFamily', 'Detailed', 'Listening', 'LocalAddress', 'LocalPort', 'NetworkNamespace', 'OwningProcess', 'ProcessName', 'Protocol',
            'RemoteAddress', 'RemotePort', 'ResolveHostName', 'ServiceName', 'State')
    }

    It 'streams without -ResolveHostName and leaves RemoteHostName empty' {
        # Both ports: another connection may use the same ephemeral port towards another peer.
        $c = Get-PortConnection -LocalPort $Tcp4.ClientPort -RemotePort $Tcp4.Port
        $c.RemoteAddress | Should -Be '127.0.0.1'
        $c.RemoteHostName | Should -BeNullOrEmpty
    }

    It 'names 127.0.0.1 from the hosts file with -ResolveHostName, keeping the address' {
        $expected = [Net.Dns]::GetHostEntry([ipaddress]::Loopback).HostName # the hosts file's name for it, as getnameinfo says
        $c = Get-PortConnection -LocalPort $Tcp4.ClientPort -RemotePort $Tcp4.Port -ResolveHostName -ProgressAction SilentlyContinue
        $c.RemoteAddress | Should -Be '127.0.0.1'
        $c.RemoteHostName | Should -Be $expected
        ($c | Format-Table | Out-String -Width 80) | Should -Match ([regex]::Escape([PortTools.Formatting.DisplayText]::Endpoint("${expected}:$($Tcp4.Port)", 22)))
    }
}

Describe 'Get-PortConnection stops' {
    It 'stops at once when the pipeline is stopped (Ctrl+C)' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModulePath'; while (`$true) { Get-PortConnection | ForEach-Object { Start-Sleep -Milliseconds 50 } }")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 500
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
            $async.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }
    }
}
