BeforeAll {
    . (Join-Path $PSScriptRoot 'NetnsHelpers.ps1')
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    Import-Module $script:ModulePath -Force

    function Get-Counter($Statistics, [string] $Name) {
        foreach ($s in $Statistics) { if ($s.Counters.ContainsKey($Name)) { return $s.Counters[$Name] } }
        throw "no counter $Name"
    }
}

Describe 'Get-ProtocolStatistic in a network namespace' {
    BeforeAll {
        $script:Missing = Get-MissingPrerequisite netns, nstat
        if ($Missing) { return }
        $script:Namespaces = New-TestNamespacePair 'ps'
        $script:NsA, $script:NsB = $script:Namespaces
        # 20 UDP datagrams from A to a closed port on B, across the veth: bounded, and only inside the test namespaces.
        $script:Burst = 'for i in $(seq 20); do echo x > /dev/udp/10.99.1.2/9; done'
        $script:A = Invoke-InNamespace $script:NsA @"
`$nstatBefore = nstat -asz --json | Out-String
`$reading = Get-ProtocolStatistic
`$nstatAfter = nstat -asz --json | Out-String
bash -c '$script:Burst'
`$afterBurst = Get-ProtocolStatistic
# Sent from another process while the cmdlet waits between its two readings.
`$start = [System.Diagnostics.ProcessStartInfo]::new('bash')
'-c', 'sleep 0.5; $script:Burst' | ForEach-Object { `$start.ArgumentList.Add(`$_) }
`$sender = [System.Diagnostics.Process]::Start(`$start)
`$sampled = Get-ProtocolStatistic -Protocol Udp, Ip -AddressFamily IPv4 -Interval 2
`$sender.WaitForExit()
@{
    NstatBefore = `$nstatBefore; Reading = `$reading; NstatAfter = `$nstatAfter; AfterBurst = `$afterBurst; Sampled = `$sampled
    View = Get-ProtocolStatistic Udp -AddressFamily IPv4 | Out-String -Width 120
    SampledView = `$sampled | Out-String -Width 120
    Tcp = Get-ProtocolStatistic Tcp
}
"@
        $script:NstatB = (ip netns exec $script:NsB nstat -asz --json | Out-String | ConvertFrom-Json).kernel
        $script:B = Invoke-InNamespace $script:NsB 'Get-ProtocolStatistic -Protocol Udp -AddressFamily IPv4'
    }

    AfterAll { Remove-TestNamespacePair $script:Namespaces }

    BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

    It 'reports every counter nstat reports, each between the nstat readings taken around the call' {
        $before = ($A.NstatBefore | ConvertFrom-Json).kernel
        $after = ($A.NstatAfter | ConvertFrom-Json).kernel
        $names = @($before.PSObject.Properties.Name)
        $names.Count | Should -BeGreaterThan 300
        foreach ($name in $names) {
            $value = Get-Counter $A.Reading $name
            $value | Should -BeGreaterOrEqual $before.$name -Because $name
            $value | Should -BeLessOrEqual $after.$name -Because $name
        }
        ($A.Reading | ForEach-Object { $_.Counters.Count } | Measure-Object -Sum).Sum | Should -BeGreaterOrEqual $names.Count
    }

    It 'moves the sender''s UDP and IP counters by at least the datagrams sent' {
        $udp = { param($s) $s | Where-Object { [string]$_.Protocol -eq 'Udp' -and [string]$_.AddressFamily -eq 'IPv4' } }
        $ip = { param($s) $s | Where-Object { [string]$_.Protocol -eq 'Ip' -and [string]$_.AddressFamily -eq 'IPv4' } }
        ((& $udp $A.AfterBurst).OutDatagrams - (& $udp $A.Reading).OutDatagrams) | Should -BeGreaterOrEqual 20
        ((& $ip $A.AfterBurst).OutRequests - (& $ip $A.Reading).OutRequests) | Should -BeGreaterOrEqual 20
    }

    It 'counts the receiver''s datagrams to a closed port as nstat does' {
        $B.NoPorts | Should -BeGreaterOrEqual 40
        $B.NoPorts | Should -Be $NstatB.UdpNoPorts
        $B.Counters['UdpNoPorts'] | Should -Be $B.NoPorts
    }

    It '-Interval reports the change and rate over the interval' {
        $udp = $A.Sampled | Where-Object { [string]$_.Protocol -eq 'Udp' }
        $udp | Should -HaveCount 1
        $udp.IntervalSeconds | Should -BeGreaterOrEqual 2
        $udp.Delta['UdpOutDatagrams'] | Should -BeGreaterOrEqual 20
        $udp.PerSecond['UdpOutDatagrams'] | Should -Be ($udp.Delta['UdpOutDatagrams'] / $udp.IntervalSeconds)
        @($A.Sampled | ForEach-Object { [string]$_.Protocol } | Sort-Object) | Should -Be 'Ip', 'Udp'
    }

    It 'reports TCP once for both families, with the common counters typed' {
        $A.Tcp | Should -HaveCount 1
        $A.Tcp.AddressFamily | Should -BeNullOrEmpty
        $A.Tcp.ActiveOpens | Should -Be $A.Tcp.Counters['TcpActiveOpens']
        $A.Tcp.SegmentsRetransmitted | Should -Be $A.Tcp.Counters['TcpRetransSegs']
        $A.Tcp.Counters.Keys | Should -Contain 'TcpExtTCPTimeouts'
    }

    It 'renders netstat -s style, with change and rate under -Interval' {
        $A.View | Should -Match 'Udp \(IPv4\):'
        $A.View | Should -Match '\n\s+UdpOutDatagrams\s+\d+'
        $A.SampledView | Should -Match 'Counter\s+Total\s+Delta\s+Per second'
        $A.SampledView | Should -Match 'UdpOutDatagrams\s+\d+\s+\d+\s+\d+\.\d'
    }

    It 'shows under -Interval only the counters that changed, as nstat does, while the objects keep all' {
        foreach ($s in $A.Sampled) {
            $changed = @($s.Delta.Keys | Where-Object { $s.Delta[$_] -ne 0 })
            $unchanged = @($s.Delta.Keys | Where-Object { $s.Delta[$_] -eq 0 })
            $view = $s | Out-String -Width 120
            foreach ($name in $changed) { $view | Should -Match "\n\s+$name\s" }
            foreach ($name in $unchanged) { $view | Should -Not -Match "\n\s+$name\s" }
            @($s.Counters.Keys).Count | Should -Be @($s.Delta.Keys).Count
        }
        @($A.Sampled | ForEach-Object { $d = $_.Delta; @($d.Keys | Where-Object { $d[$_] -eq 0 }) }).Count | Should -BeGreaterThan 0 # some did not change
    }
}

Describe 'Get-ProtocolStatistic deserialized' {
    It 'lists the counters of a deserialized reading by name (the serializer keeps no order), every one of them' {
        $live = Get-ProtocolStatistic -Protocol Tcp
        $back = [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($live, 3))
        $names = @(($back | Out-String -Width 120) -split "`r?`n" | Where-Object { $_ -match '^\s{4}\S' } | ForEach-Object { (-split $_)[0] })
        $names.Count | Should -Be @($live.Counters.Keys).Count
        $names | Should -Be @($names | Sort-Object)
    }
}

Describe 'Get-ProtocolStatistic errors' {
    It 'rejects a negative or zero interval' {
        { Get-ProtocolStatistic -Interval -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PortTools.Commands.GetProtocolStatisticCommand'
        { Get-ProtocolStatistic -Interval 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PortTools.Commands.GetProtocolStatisticCommand'
    }

    It 'rejects an unknown protocol' {
        { Get-ProtocolStatistic -Protocol Bogus } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,PortTools.Commands.GetProtocolStatisticCommand'
    }
}
