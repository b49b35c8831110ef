#Requires -Modules Pester
# -NetworkNamespace of Get-PortConnection, Watch-PortConnection and Get-RouteTable, from this process (no child
# pwsh for the cmdlets): namespaces made here with ip netns, sockets held inside them by processes started with
# ip netns exec, and every answer compared with ss and ip run in the same namespace.

BeforeAll {
    . (Join-Path $PSScriptRoot 'NetnsHelpers.ps1')
    Import-Module $script:ModulePath -Force

    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    $script:NoNetns = Get-MissingPrerequisite netns, ss

    # Starts a process inside $Namespace (ip netns exec replaces itself with it: the same pid), stdin and stdout redirected.
    function Start-InNamespace([string] $Namespace, [string[]] $Command) {
        $start = [Diagnostics.ProcessStartInfo]::new('ip')
        foreach ($argument in @('netns', 'exec', $Namespace) + $Command) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.WorkingDirectory = $script:RepoRoot # dotnet pwsh finds its tool manifest there
        [Diagnostics.Process]::Start($start)
    }

    # Each socket of a namespace as ss -tuanpH prints it: protocol, state, both ends and the holders' pids.
    function Get-SsSignature([string] $Namespace) {
        foreach ($line in & ip netns exec $Namespace ss -tuanpH) {
            $t = -split $line
            $state = @{ LISTEN = 'Listen'; ESTAB = 'Established'; UNCONN = '' }[$t[1]]
            $pids = @([regex]::Matches($line, 'pid=(\d+)') | ForEach-Object { [int]$_.Groups[1].Value } | Sort-Object -Unique) -join ','
            "$($t[0].ToUpperInvariant()) $state $($t[4]) $($t[5]) pids=$pids"
        }
    }

    function Get-Signature($Connection) {
        $pids = @($Connection.Holders | ForEach-Object ProcessId | Sort-Object -Unique) -join ','
        "$(([string]$Connection.Protocol).ToUpperInvariant()) $($Connection.State) $($Connection.LocalEndpoint) $($Connection.RemoteEndpoint) pids=$pids"
    }

    # The network namespace of each thread of this process, now.
    function Get-ThreadNamespace {
        foreach ($task in [IO.Directory]::GetDirectories("/proc/$PID/task")) {
            try { [IO.FileInfo]::new("$task/ns/net").LinkTarget } catch [IO.IOException] { } # the thread just ended
        }
    }

    function Get-ErrorId([scriptblock] $Call) {
        try { & $Call; 'no error' } catch { "$($_.FullyQualifiedErrorId)|$($_.CategoryInfo.Category)|$($_.Exception.Message)" }
    }

    if ($NoNetns) { return }
    $script:OwnNamespace = [IO.FileInfo]::new('/proc/thread-self/ns/net').LinkTarget
    # The routing test bed of Get-RouteTable.Tests.ps1: a veth pair pt0/pt1 (interfaces this computer lacks) and routes of every kind.
    $script:Namespaces = New-TestNamespacePair 'ns'
    $script:Ns = $Namespaces[0]
    $script:LinkIndex = (Invoke-Json ip, -n, $Ns, -j, link, show, pt0)[0].ifindex
    $script:LinkLocal = @((Invoke-Json ip, -n, $Ns, -6, -j, addr, show, dev, pt0, scope, link)[0].addr_info | Where-Object local)[0].local

    # The holder: listeners on 127.0.0.1, on [::] for both families and on pt0's link-local address, a connection to
    # 10.99.1.1 (an address of the namespace only), and UDP sockets on 127.0.0.1 and ::1.
    $holderScript = @"
`$v4 = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); `$v4.Start()
`$any = [Net.Sockets.TcpListener]::new([ipaddress]::IPv6Any, 0); `$any.Server.DualMode = `$true; `$any.Start()
`$ll = [ipaddress]::Parse('$LinkLocal'); `$ll.ScopeId = $LinkIndex
`$scoped = [Net.Sockets.TcpListener]::new(`$ll, 0); `$scoped.Start()
`$client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork); `$client.Connect('10.99.1.1', `$any.LocalEndpoint.Port)
`$accepted = `$any.AcceptTcpClient()
`$udp4 = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
`$udp6 = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([ipaddress]::IPv6Loopback, 0))
"READY `$(`$v4.LocalEndpoint.Port)"
`$null = [Console]::ReadLine()
"@
    $script:Holder = Start-InNamespace $Ns 'dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-Command', $holderScript
    $ready = $Holder.StandardOutput.ReadLineAsync()
    if (-not $ready.Wait(60000) -or $ready.Result -notmatch '^READY (\d+)$') { throw "the holder in $Ns did not start: $($ready.Result)" }
    $script:Port4 = [int]$Matches[1]
    # A second owner: bash connected to the 127.0.0.1 listener (the holder never accepts it).
    $script:Bash = Start-InNamespace $Ns 'bash', '-c', "exec 3<>/dev/tcp/127.0.0.1/$Port4; read -t 300 <&3"
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (-not (Get-SsSignature $Ns | Where-Object { $_ -match "pids=$($Bash.Id)$" }) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }

    # A name that needs quoting (and would run code unquoted), with nothing in it.
    $script:OddName = "porttools-ns-$(Get-Random) it's `$(ni x)"
    & ip netns add $OddName
}

AfterAll {
    # bash first: once the holder is gone, its read would fail loudly on the reset connection.
    foreach ($process in $script:Bash, $script:Holder) { if ($process) { $process.Kill($true); $null = $process.WaitForExit(5000) } }
    if ($script:Namespaces) { Remove-TestNamespacePair $script:Namespaces }
    if ($script:OddName) { & ip netns del $script:OddName }
}

Describe 'Get-PortConnection -NetworkNamespace' {
    BeforeEach { if ($NoNetns) { Set-ItResult -Skipped -Because $NoNetns } }

    It 'lists the sockets of a named namespace as ip netns exec NAME ss -tuanp does: same sockets, same owners' {
        $expected = @(Get-SsSignature $Ns)
        $expected.Count | Should -BeGreaterOrEqual 9
        $ours = @(Get-PortConnection -NetworkNamespace $Ns)
        @($ours | ForEach-Object { Get-Signature $_ } | Sort-Object) -join "`n" | Should -Be (($expected | Sort-Object) -join "`n")
        $ours | ForEach-Object { $_.NetworkNamespace | Should -BeExactly $Ns }
    }

    It 'names the scope of a link-local socket with the namespace''s interface, which this computer lacks' {
        (& ip -j link show pt0 2>$null) | Should -BeNullOrEmpty
        $scoped = @(Get-PortConnection -NetworkNamespace $Ns -LocalAddress 'fe80::/10' -State Listen)
        $scoped | Should -HaveCount 1
        $scoped[0].ScopeId | Should -Be $LinkIndex
        $scoped[0].LocalEndpoint | Should -BeLike "*%pt0:*"
    }

    It 'finds the owners as usual and filters on them' {
        $mine = @(Get-PortConnection -NetworkNamespace $Ns -OwningProcess $Bash.Id)
        $mine | Should -HaveCount 1
        $mine[0].RemotePort | Should -Be $Port4
        $mine[0].ProcessName | Should -Be 'bash'
        @(Get-PortConnection -NetworkNamespace $Ns -ProcessName bash).Inode | Should -Be $mine[0].Inode
    }

    It 'lists the same sockets by the pid of a process inside (nsenter -n -t PID)' {
        $byName = @(Get-PortConnection -NetworkNamespace $Ns | ForEach-Object { "$(Get-Signature $_) $($_.Inode)" } | Sort-Object)
        $byPid = @(Get-PortConnection -NetworkNamespace $Bash.Id)
        @($byPid | ForEach-Object { "$(Get-Signature $_) $($_.Inode)" } | Sort-Object) -join "`n" | Should -Be ($byName -join "`n")
        $byPid | ForEach-Object { $_.NetworkNamespace | Should -BeExactly ([string]$Bash.Id) }
    }

    It 'leaves the sockets of this computer''s own namespace out, and this namespace''s out of the own listing' {
        $inside = @(Get-PortConnection -NetworkNamespace $Ns).Inode | Where-Object { $_ -ne 0 }
        $own = @(Get-PortConnection)
        $own | Where-Object Inode -In $inside | Should -BeNullOrEmpty
        $own | Where-Object { $null -ne $_.NetworkNamespace } | Should -BeNullOrEmpty
    }

    It 'reads /proc/net of the namespace when netlink is not used, by name and by pid' {
        # Not the endpoints: /proc/net has neither dual-stack nor scope.
        $key = { "$($_.Protocol) $($_.LocalAddress) $($_.LocalPort) $($_.RemoteAddress) $($_.RemotePort) $($_.State) $($_.Inode) $($_.OwningProcess)" }
        $netlink = @(Get-PortConnection -NetworkNamespace $Ns | ForEach-Object $key | Sort-Object) -join "`n"
        try {
            $env:PORTTOOLS_LINUX_SOURCE = 'proc'
            foreach ($target in $Ns, [string]$Bash.Id) {
                $viaProc = @(Get-PortConnection -NetworkNamespace $target)
                @($viaProc | ForEach-Object $key | Sort-Object) -join "`n" | Should -Be $netlink
                $viaProc | ForEach-Object { $_.NetworkNamespace | Should -BeExactly $target }
            }
        }
        finally { Remove-Item env:PORTTOOLS_LINUX_SOURCE -ErrorAction SilentlyContinue }
    }

    It 'shows the namespace in Format-List, and lists a name that needs quoting' {
        $text = Get-PortConnection -NetworkNamespace $Ns -OwningProcess $Bash.Id | Format-List | Out-String
        $text | Should -Match "NetworkNamespace\s*:\s*$([regex]::Escape($Ns))"
        @(Get-PortConnection -NetworkNamespace $OddName) | Should -BeNullOrEmpty
    }

    It 'leaves the namespace of the pipeline thread and of every other thread of this process unchanged' {
        $pipelineThread = [IO.FileInfo]::new('/proc/thread-self').LinkTarget
        $null = Get-PortConnection -NetworkNamespace $Ns
        $null = Get-RouteTable -NetworkNamespace $Bash.Id
        $null = Get-ErrorId { Get-PortConnection -NetworkNamespace "porttools-ns-missing-$PID" }
        [IO.FileInfo]::new('/proc/thread-self').LinkTarget | Should -Be $pipelineThread
        [IO.FileInfo]::new('/proc/thread-self/ns/net').LinkTarget | Should -Be $OwnNamespace
        @(Get-ThreadNamespace | Sort-Object -Unique) | Should -Be $OwnNamespace
    }
}

Describe 'Watch-PortConnection -NetworkNamespace' {
    BeforeEach { if ($NoNetns) { Set-ItResult -Skipped -Because $NoNetns } }

    It 'reports a connection opened inside the namespace, with its owner and namespace' {
        $late = Start-InNamespace $Ns 'bash', '-c', "sleep 2; exec 3<>/dev/tcp/127.0.0.1/$Port4; sleep 5"
        try {
            $changes = @(Watch-PortConnection -NetworkNamespace $Ns -RemotePort $Port4 -Interval 0.2 -Count 1 -Duration 15)
            $changes | Should -HaveCount 1
            [string]$changes[0].Change | Should -Be 'Opened'
            $changes[0].OwningProcess | Should -Be $late.Id
            $changes[0].Connection.NetworkNamespace | Should -BeExactly $Ns
        }
        finally { $late.Kill($true); $null = $late.WaitForExit(5000) }
    }
}

Describe 'Get-RouteTable -NetworkNamespace' {
    BeforeEach { if ($NoNetns) { Set-ItResult -Skipped -Because $NoNetns } }

    It 'lists every route of every table as ip -n NAME route show table all does' {
        $expected = @(Invoke-Json ip, -n, $Ns, -4, -j, route, show, table, all | ForEach-Object { ConvertTo-IpSignature $_ $false }) +
                    @(Invoke-Json ip, -n, $Ns, -6, -j, route, show, table, all | ForEach-Object { ConvertTo-IpSignature $_ $true })
        $expected.Count | Should -BeGreaterThan 20
        $routes = @(Get-RouteTable -NetworkNamespace $Ns)
        @($routes | ForEach-Object { ConvertTo-Signature $_ } | Sort-Object) | Should -Be @($expected | Sort-Object)
        $routes | ForEach-Object { $_.NetworkNamespace | Should -BeExactly $Ns }
        @(Get-RouteTable -NetworkNamespace $Bash.Id).Count | Should -Be $routes.Count
        Get-RouteTable -DestinationPrefix 10.99.6.0/24 | Should -BeNullOrEmpty
    }

    It '-Destination asks the namespace''s kernel, as ip -n NAME route get does, zones named by its interfaces' {
        $addresses = '10.99.7.5', '10.99.2.9', '10.99.1.1', 'fd00:99:2::1'
        $routes = @(Get-RouteTable -NetworkNamespace $Ns -Destination $addresses)
        Compare-WithIpRouteGet $Ns $addresses $routes | Should -BeNullOrEmpty
        $routes | ForEach-Object { $_.NetworkNamespace, $_.MatchedRoute.NetworkNamespace | Should -BeExactly $Ns, $Ns }
        $scoped = @(Get-RouteTable -NetworkNamespace $Ns -Destination 'fe80::1%pt0')
        Compare-WithIpRouteGet $Ns 'fe80::1' $scoped 'oif', 'pt0' | Should -BeNullOrEmpty
    }

    It 'looks up the peers of a namespace''s connections in that namespace when they are piped' {
        $connections = @(Get-PortConnection -NetworkNamespace $Ns -RemoteAddress 10.99.1.1 -AddressFamily IPv4 -State Established)
        $connections | Should -HaveCount 1
        $routes = @($connections | Get-RouteTable)
        Compare-WithIpRouteGet $Ns '10.99.1.1' $routes | Should -BeNullOrEmpty
        $routes[0].NetworkNamespace | Should -BeExactly $Ns
        # A connection of this computer after it goes to this computer's routes.
        $here = [pscustomobject]@{ RemoteAddress = '127.0.0.1'; NetworkNamespace = $null }
        @($connections[0], $here | Get-RouteTable).NetworkNamespace | Should -Be $Ns, $null
    }

    It 'falls back to the namespace''s /proc/net/route' {
        try {
            $env:PORTTOOLS_LINUX_SOURCE = 'proc'
            $v4 = @(Get-RouteTable -NetworkNamespace $Ns -AddressFamily IPv4 -WarningAction SilentlyContinue)
        }
        finally { Remove-Item env:PORTTOOLS_LINUX_SOURCE -ErrorAction SilentlyContinue }
        $main = Invoke-Json ip, -n, $Ns, -4, -j, route, show, table, main
        @($v4.DestinationPrefix | Sort-Object) | Should -Be @($main | ForEach-Object { ((ConvertTo-IpSignature $_ $false) -split ' ')[1] } | Sort-Object)
        ($v4 | Where-Object DestinationPrefix -EQ '10.99.2.0/24' | Sort-Object RouteMetric)[0].InterfaceAlias | Should -Be 'pt0'
    }

    It 'shows the namespace in Format-List' {
        Get-RouteTable -NetworkNamespace $Ns -Destination 10.99.2.9 | Format-List | Out-String |
            Should -Match "NetworkNamespace\s*:\s*$([regex]::Escape($Ns))"
    }
}

Describe '-NetworkNamespace errors and completion' {
    BeforeAll {
        $script:Commands = 'Get-PortConnection', 'Watch-PortConnection', 'Get-RouteTable'
    }
    BeforeEach { if ($NoNetns) { Set-ItResult -Skipped -Because $NoNetns } }

    It 'rejects <Label> with InvalidNetworkNamespace' -ForEach @(
        @{ Label = '../x'; Value = '../x' }, @{ Label = 'a/b'; Value = 'a/b' }, @{ Label = '..'; Value = '..' }, @{ Label = '.'; Value = '.' }
        @{ Label = 'a name with a tab'; Value = "tab`tname" }, @{ Label = 'a name with NUL'; Value = "nul$([char]0)" }
        @{ Label = 'pid 0'; Value = '0' }, @{ Label = 'a pid past int'; Value = '99999999999' }, @{ Label = 'a 256-byte name'; Value = 'x' * 256 }
    ) {
        foreach ($command in $Commands) {
            $result = Get-ErrorId { & $command -NetworkNamespace $Value -ErrorAction Stop }
            $result | Should -BeLike "InvalidNetworkNamespace,PortTools.Commands.$($command -replace '-')Command|InvalidArgument|*"
            $result | Should -Not -Match '[\x00-\x08\x0a-\x1f]'
        }
    }

    It 'says NetworkNamespaceNotFound for a missing name, a missing pid and a file that is no namespace' {
        $pidMax = [int](Get-Content /proc/sys/kernel/pid_max)
        $stale = "porttools-ns-stale-$PID"
        New-Item -ItemType File -Path "/run/netns/$stale" | Out-Null
        try {
            foreach ($command in $Commands) {
                Get-ErrorId { & $command -NetworkNamespace "porttools-ns-missing-$PID" -ErrorAction Stop } |
                    Should -BeLike "NetworkNamespaceNotFound,*|ObjectNotFound|There is no network namespace 'porttools-ns-missing-$PID'*ip netns list*"
                Get-ErrorId { & $command -NetworkNamespace ($pidMax + 1) -ErrorAction Stop } |
                    Should -BeLike "NetworkNamespaceNotFound,*|ObjectNotFound|There is no process $($pidMax + 1)."
                Get-ErrorId { & $command -NetworkNamespace $stale -ErrorAction Stop } |
                    Should -BeLike "NetworkNamespaceNotFound,*|ObjectNotFound|*is not a network namespace*"
            }
        }
        finally { Remove-Item -LiteralPath "/run/netns/$stale" }
    }

    It 'says NetworkNamespacePermissionDenied, and to run as root, without CAP_SYS_ADMIN' {
        if (-not (Get-Command setpriv -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'setpriv (util-linux) is not installed'; return }
        $script = "Import-Module '$ModulePath'; foreach (`$c in 'Get-PortConnection', 'Get-RouteTable') { try { & `$c -NetworkNamespace '$Ns' -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId + '|' + `$_.CategoryInfo.Category + '|' + `$_.Exception.Message } }"
        Push-Location $RepoRoot
        try { $lines = @(& setpriv --bounding-set=-sys_admin dotnet pwsh -NoProfile -NonInteractive -Command $script) }
        finally { Pop-Location }
        $lines | Should -HaveCount 2
        $lines | ForEach-Object { $_ | Should -BeLike "NetworkNamespacePermissionDenied,*|PermissionDenied|*CAP_SYS_ADMIN*Run PowerShell as root (sudo pwsh)*" }
    }

    It 'completes the names under /run/netns, quoted where needed' {
        foreach ($command in $Commands) {
            $line = "$command -NetworkNamespace porttools-ns-"
            $completed = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
            $odd = @($completed | Where-Object ListItemText -EQ $OddName)
            $odd | Should -HaveCount 1
            $odd[0].CompletionText | Should -BeExactly ("'" + $OddName.Replace("'", "''") + "'")
            $line = "$command -NetworkNamespace $($Ns.Substring(0, 5))"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $Ns
        }
    }
}
