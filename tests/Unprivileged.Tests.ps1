#Requires -Modules Pester
# Every cmdlet's unprivileged path, in every test run: the built module run as the user nobody (setpriv), each
# result compared with what nobody itself reads of the same kernel (ip route, /proc/net, /etc/services), with no
# error and no warning. Get-PortConnection's own unprivileged cases (other users' owners, hidepid) are in
# Get-PortConnection.Tests.ps1. Last, the suite on a machine without root or the network tools: test files run
# as nobody with a PATH that lacks ip, ss, nstat, setpriv, unshare, getent and OpenSSH end in skips with their
# reasons, never in failures.

BeforeAll {
    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    . (Join-Path $PSScriptRoot 'NobodyHelpers.ps1')
    . (Join-Path $PSScriptRoot 'RouteSignatures.ps1')
    Import-Module $ModulePath -Force
    $script:Missing = Get-MissingPrerequisite nobody
    if ($Missing) { return }
    $script:Sandbox = New-NobodySandbox $ModulePath

    # "Group: names" / "Group: values" line pairs (/proc/net/snmp) as nstat names them: TcpActiveOpens = 12.
    function ConvertFrom-SnmpText([string] $Text) {
        $counters = [ordered]@{}
        $lines = @($Text -split "`n" | Where-Object { $_ })
        for ($i = 0; $i + 1 -lt $lines.Count; $i += 2) {
            $names, $values = (-split $lines[$i]), (-split $lines[$i + 1])
            for ($c = 1; $c -lt $names.Count; $c++) { $counters[$names[0].TrimEnd(':') + $names[$c]] = [long]$values[$c] }
        }
        $counters
    }

    # /proc/net/dev: each interface's received and sent bytes and packets.
    function ConvertFrom-NetDevText([string] $Text) {
        $interfaces = @{}
        foreach ($line in @($Text -split "`n" | Select-Object -Skip 2 | Where-Object { $_.Contains(':') })) {
            $name, $rest = $line -split ':', 2
            $v = -split $rest
            $interfaces[$name.Trim()] = @{ ReceivedBytes = [ulong]$v[0]; ReceivedPackets = [ulong]$v[1]; SentBytes = [ulong]$v[8]; SentPackets = [ulong]$v[9] }
        }
        $interfaces
    }
}

AfterAll { if ($Sandbox) { Remove-Item $Sandbox -Recurse -Force -ErrorAction SilentlyContinue } }

Describe 'Each cmdlet as the user nobody' {
    BeforeAll {
        if ($Missing) { return }
        # One child for all five: it reads what each result is compared with itself, as nobody, around each call.
        # Any error stops it (ErrorActionPreference Stop), and its exit code is checked.
        $script:Nobody = Invoke-AsNobody $Sandbox @"
`$ErrorActionPreference = 'Stop'
Import-Module '$Sandbox/PortTools/PortTools.psd1'
`$ip = [bool](Get-Command ip -CommandType Application -ErrorAction Ignore)
`$routes = @(Get-RouteTable -WarningVariable +warnings)
`$ip4 = if (`$ip) { ip -4 -j route show table all | Out-String }
`$ip6 = if (`$ip) { ip -6 -j route show table all | Out-String }
# A destination only the default route reaches (TEST-NET-2), where there is one.
`$destinations = @('127.0.0.1', '::1') + @(if (`$routes | Where-Object DestinationPrefix -EQ '0.0.0.0/0') { '198.51.100.7' })
`$lookups = @(Get-RouteTable -Destination `$destinations -WarningVariable +warnings)
`$ipGet = foreach (`$d in `$destinations) { if (`$ip) { @{ Answer = ip -j route get `$d | Out-String; Entry = ip -j route get fibmatch `$d | Out-String } } }

`$snmpBefore = Get-Content /proc/net/snmp -Raw
`$protocols = @(Get-ProtocolStatistic -WarningVariable +warnings)
`$snmpAfter = Get-Content /proc/net/snmp -Raw
`$sampled = @(Get-ProtocolStatistic -Protocol Udp -AddressFamily IPv4 -Interval 0.5 -WarningVariable +warnings)

`$devBefore = Get-Content /proc/net/dev -Raw
`$interfaces = @(Get-InterfaceStatistic -WarningVariable +warnings)
`$devAfter = Get-Content /proc/net/dev -Raw

# Watch-PortConnection, bounded: bash connects to a listener of nobody's own a second after the watch began.
`$listener = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); `$listener.Start(); `$port = `$listener.LocalEndpoint.Port
`$start = [Diagnostics.ProcessStartInfo]::new('bash'); `$start.ArgumentList.Add('-c'); `$start.ArgumentList.Add("sleep 1; exec 3<>/dev/tcp/127.0.0.1/`$port; sleep 5")
`$bash = [Diagnostics.Process]::Start(`$start)
`$changes = @(Watch-PortConnection -LocalPort `$port -Count 1 -Duration 20 -WarningVariable +warnings)
`$tcp = Get-Content /proc/net/tcp
`$bash.Kill(); `$listener.Stop()

`$range = -split (Get-Content /proc/sys/net/ipv4/ip_local_port_range -Raw)
`$services = @(Get-Content /etc/services -ErrorAction Ignore | Where-Object { `$_ -match '^(\S+)\s+22/tcp\b' } | ForEach-Object { `$Matches[1] })
`$ports = @(Resolve-WellKnownPort 22, 443, ([int]`$range[0] - 1), ([int]`$range[0]) -Protocol Tcp -WarningVariable +warnings)

[pscustomobject]@{
    Uid = (Get-Content /proc/self/status | Select-String '^Uid:').Line
    Routes = `$routes; Ip4 = `$ip4; Ip6 = `$ip6; Destinations = `$destinations; Lookups = `$lookups; IpGet = @(`$ipGet)
    SnmpBefore = `$snmpBefore; Protocols = `$protocols; SnmpAfter = `$snmpAfter; Sampled = `$sampled
    DevBefore = `$devBefore; Interfaces = `$interfaces; DevAfter = `$devAfter
    Port = `$port; Changes = `$changes; Tcp = @(`$tcp)
    Range = `$range; Services = `$services; Ports = `$ports
    Warnings = @(`$warnings | ForEach-Object Message)
} | ConvertTo-Json -Depth 6 -EnumsAsStrings
"@
    }

    BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

    It 'runs as nobody, with no error (each would stop it) and no warning' {
        $Nobody.Uid | Should -Match '^Uid:\s+65534\s+65534\s'
        $Nobody.Warnings | Should -BeNullOrEmpty
    }

    It 'Get-RouteTable lists every route of every table, as ip -j route show table all shows nobody' {
        Skip-WithoutPrerequisite ip
        $expected = @($Nobody.Ip4 | ConvertFrom-Json | ForEach-Object { ConvertTo-IpSignature $_ $false }) +
            @($Nobody.Ip6 | ConvertFrom-Json | ForEach-Object { ConvertTo-IpSignature $_ $true })
        $expected.Count | Should -BeGreaterThan 2
        @($Nobody.Routes | ForEach-Object { ConvertTo-Signature $_ } | Sort-Object) | Should -Be @($expected | Sort-Object)
    }

    It 'Get-RouteTable -Destination answers as ip route get (and fibmatch) answers nobody' {
        Skip-WithoutPrerequisite ip
        @($Nobody.Lookups).Count | Should -Be @($Nobody.Destinations).Count
        for ($i = 0; $i -lt @($Nobody.Destinations).Count; $i++) {
            $answer = @($Nobody.IpGet[$i].Answer | ConvertFrom-Json)[0]
            $entry = @($Nobody.IpGet[$i].Entry | ConvertFrom-Json)[0]
            Compare-Lookup $Nobody.Destinations[$i] $Nobody.Lookups[$i] $answer $entry | Should -BeNullOrEmpty
        }
    }

    It 'Get-ProtocolStatistic reports every /proc/net/snmp counter, each between nobody''s two readings of it' {
        $before = ConvertFrom-SnmpText $Nobody.SnmpBefore
        $after = ConvertFrom-SnmpText $Nobody.SnmpAfter
        $ours = @{}
        foreach ($statistic in $Nobody.Protocols) { foreach ($counter in $statistic.Counters.PSObject.Properties) { $ours[$counter.Name] = $counter.Value } }
        $before.Count | Should -BeGreaterThan 50
        foreach ($name in $before.Keys) {
            $ours.Keys | Should -Contain $name
            if ($name -eq 'TcpCurrEstab') { continue } # a gauge: it falls as well as rises
            $ours[$name] | Should -BeGreaterOrEqual $before[$name] -Because $name
            $ours[$name] | Should -BeLessOrEqual $after[$name] -Because $name
        }
        $Nobody.Sampled.IntervalSeconds | Should -BeGreaterOrEqual 0.5
        @($Nobody.Sampled.Delta.PSObject.Properties.Name) | Should -Contain 'UdpInDatagrams'
    }

    It 'Get-InterfaceStatistic lists every /proc/net/dev interface, its counters between nobody''s two readings' {
        $before = ConvertFrom-NetDevText $Nobody.DevBefore
        $after = ConvertFrom-NetDevText $Nobody.DevAfter
        @($Nobody.Interfaces.Name | Sort-Object) | Should -Be @($before.Keys | Sort-Object)
        foreach ($interface in $Nobody.Interfaces) {
            foreach ($counter in 'ReceivedBytes', 'ReceivedPackets', 'SentBytes', 'SentPackets') {
                $interface.$counter | Should -BeGreaterOrEqual $before[$interface.Name][$counter] -Because "$($interface.Name) $counter"
                $interface.$counter | Should -BeLessOrEqual $after[$interface.Name][$counter] -Because "$($interface.Name) $counter"
            }
            $interface.InterfaceIndex | Should -BeGreaterThan 0
        }
    }

    It 'Watch-PortConnection -Count 1 reports the connection that opened, which /proc/net/tcp shows nobody' {
        @($Nobody.Changes).Count | Should -Be 1
        $change = $Nobody.Changes[0]
        $change.Change | Should -Be 'Opened'
        $change.State | Should -Be 'Established'
        $change.LocalPort | Should -Be $Nobody.Port
        $change.RemoteAddress | Should -Be '127.0.0.1'
        # /proc/net/tcp: local and remote "0100007F:PORT" (hex), state 01 (established).
        $row = '^\s*\d+: 0100007F:{0:X4} 0100007F:{1:X4} 01 ' -f $Nobody.Port, [int]$change.RemotePort
        @($Nobody.Tcp | Where-Object { $_ -match $row }).Count | Should -Be 1
    }

    It 'Resolve-WellKnownPort names ports as /etc/services does for nobody, and knows the ephemeral range' {
        $ssh, $https, $below, $first = $Nobody.Ports
        $ssh.ServiceName, $https.ServiceName | Should -Be 'ssh', 'https'
        if ($Nobody.Services) { $ssh.HostServiceName | Should -Be $Nobody.Services[0] }
        $first.Port | Should -Be ([int]$Nobody.Range[0])
        $first.InEphemeralRange | Should -BeTrue
        $below.InEphemeralRange | Should -BeFalse
    }
}

Describe 'The suite without root and without the network tools' {
    BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

    # Two files that need the most (root, network namespaces, ip, ss, setpriv): as nobody, with a PATH without
    # those tools, what they cannot do is skipped with a reason and the rest passes. build.ps1 -Task PesterAsNobody
    # runs the whole suite so.
    It 'skips, with its reasons, what it cannot run, and fails nothing' {
        $r = & (Join-Path $PSScriptRoot 'Invoke-PesterAsNobody.ps1') -ModulePath $ModulePath -PesterPath (Get-Module Pester).ModuleBase `
            -Path (Join-Path $PSScriptRoot 'Get-RouteTable.Tests.ps1'), (Join-Path $PSScriptRoot 'Get-PortConnection.Tests.ps1')
        Write-Host "    as nobody, without those tools: $($r.Passed) passed, $($r.Failed) failed, $($r.Skipped) skipped"
        $r.Failed | Should -Be 0 -Because ($r.Failures -join "`n")
        $r.Passed | Should -BeGreaterThan 50
        $r.Skipped | Should -BeGreaterThan 10
        $r.Reasons | Should -Contain 'network namespaces need root (CI runs as root)'
        $r.Reasons | Should -Contain 'it needs ss, which is not on PATH'
        $r.Reasons | Should -Contain 'it needs ip, which is not on PATH'
        $r.Reasons | Should -Contain 'running as the user nobody needs root (CI runs as root)'
    }
}
