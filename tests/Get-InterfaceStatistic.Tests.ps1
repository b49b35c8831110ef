BeforeAll {
    . (Join-Path $PSScriptRoot 'NetnsHelpers.ps1')
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    Import-Module $script:ModulePath -Force
}

Describe 'Get-InterfaceStatistic in a network namespace' {
    BeforeAll {
        $script:Missing = Get-MissingPrerequisite netns
        if ($Missing) { return }
        $script:Namespaces = New-TestNamespacePair 'if'
        $script:NsA, $script:NsB = $script:Namespaces
        # 20 UDP datagrams from A to a closed port on B, across the veth: bounded, and only inside the test namespaces.
        $script:Burst = 'for i in $(seq 20); do echo x > /dev/udp/10.99.1.2/9; done'
        $script:IpB = { (Invoke-Json ip, -n, $script:NsB, -s, -j, link, show, pt1)[0].stats64 }
        $script:IpBBefore = & $script:IpB
        $script:A = Invoke-InNamespace $script:NsA @"
`$ipBefore = ip -s -j link | Out-String
`$reading = Get-InterfaceStatistic
`$ipAfter = ip -s -j link | Out-String
bash -c '$script:Burst'
`$afterBurst = Get-InterfaceStatistic pt0
# Sent from another process while the cmdlet waits between its two readings.
`$start = [System.Diagnostics.ProcessStartInfo]::new('bash')
'-c', 'sleep 0.5; $script:Burst' | ForEach-Object { `$start.ArgumentList.Add(`$_) }
`$sender = [System.Diagnostics.Process]::Start(`$start)
`$sampled = Get-InterfaceStatistic pt* -Interval 2
`$sender.WaitForExit()
@{
    IpBefore = `$ipBefore; Reading = `$reading; IpAfter = `$ipAfter; AfterBurst = `$afterBurst; Sampled = `$sampled
    Missing = @(Get-InterfaceStatistic pt0, nosuch0 -ErrorVariable errors -ErrorAction SilentlyContinue)
    Errors = @(`$errors | ForEach-Object FullyQualifiedErrorId)
    Table = Get-InterfaceStatistic | Out-String -Width 160
    Rate = `$sampled | Format-Table -View Rate | Out-String -Width 160
    Netstat = Get-InterfaceStatistic pt0 | Format-Custom -View Netstat | Out-String -Width 160
}
"@
        $script:IpBAfter = & $script:IpB
    }

    AfterAll { Remove-TestNamespacePair $script:Namespaces }

    BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

    It 'lists every interface with counters between the ip -s link readings taken around the call' {
        $before = $A.IpBefore | ConvertFrom-Json
        $after = $A.IpAfter | ConvertFrom-Json
        @($A.Reading.Name) | Should -Be @($before.ifname)
        foreach ($s in $A.Reading) {
            $b = ($before | Where-Object ifname -eq $s.Name)
            $a = ($after | Where-Object ifname -eq $s.Name)
            $s.InterfaceIndex | Should -Be $b.ifindex
            $s.Mtu | Should -Be $b.mtu
            [string]$s.State | Should -Be $(if ($b.operstate -eq 'UP') { 'Up' } else { 'Unknown' })
            foreach ($pair in @(('ReceivedBytes', 'rx', 'bytes'), ('ReceivedPackets', 'rx', 'packets'), ('SentBytes', 'tx', 'bytes'),
                                ('SentPackets', 'tx', 'packets'), ('ReceivedPacketErrors', 'rx', 'errors'), ('SentDiscardedPackets', 'tx', 'dropped'))) {
                $property, $direction, $field = $pair
                $s.$property | Should -BeGreaterOrEqual $b.stats64.$direction.$field -Because "$($s.Name) $property"
                $s.$property | Should -BeLessOrEqual $a.stats64.$direction.$field -Because "$($s.Name) $property"
            }
            $s.ReceivedUnicastPackets + $s.ReceivedNonUnicastPackets | Should -Be $s.ReceivedPackets
        }
    }

    It 'moves the sender''s and the receiver''s counters by at least the datagrams sent' {
        $reading = $A.Reading | Where-Object Name -eq 'pt0'
        ($A.AfterBurst.SentPackets - $reading.SentPackets) | Should -BeGreaterOrEqual 20
        ($A.AfterBurst.SentBytes - $reading.SentBytes) | Should -BeGreaterOrEqual (20 * 42) # Ethernet + IPv4 + UDP headers + 2 bytes
        ($IpBAfter.rx.packets - $IpBBefore.rx.packets) | Should -BeGreaterOrEqual 40
    }

    It '-Interval reports the change and rate; -Name takes wildcards' {
        $A.Sampled | Should -HaveCount 1
        $A.Sampled.Name | Should -Be 'pt0'
        $A.Sampled.IntervalSeconds | Should -BeGreaterOrEqual 2
        $A.Sampled.Delta['tx_packets'] | Should -BeGreaterOrEqual 20
        $A.Sampled.SentPacketsPerSecond | Should -Be ($A.Sampled.Delta['tx_packets'] / $A.Sampled.IntervalSeconds)
        $A.Sampled.PerSecond['tx_packets'] | Should -Be $A.Sampled.SentPacketsPerSecond
    }

    It 'writes InterfaceNotFound for an unknown name and lists the others' {
        $A.Missing.Name | Should -Be 'pt0'
        $A.Errors | Should -Be 'InterfaceNotFound,PortTools.Commands.GetInterfaceStatisticCommand'
    }

    It 'renders the netstat -i table, the rate view and the netstat -e block' {
        $A.Table | Should -Match 'Iface\s+State\s+MTU\s+RX-Bytes\s+RX-OK\s+RX-ERR\s+RX-DRP\s+TX-Bytes\s+TX-OK\s+TX-ERR\s+TX-DRP'
        $A.Table | Should -Match 'pt0\s+Up\s+1500\s+\d+'
        $A.Rate | Should -Match 'pt0\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d\s+2\.\d\d'
        $A.Netstat | Should -Match 'pt0 \(Up, MTU 1500\)'
        $A.Netstat | Should -Match 'Unicast packets\s+\d+'
    }
}

Describe 'Get-InterfaceStatistic errors' {
    It 'rejects a negative interval' {
        { Get-InterfaceStatistic -Interval -5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PortTools.Commands.GetInterfaceStatisticCommand'
    }

    It 'writes InterfaceNotFound for a name that does not exist' {
        { Get-InterfaceStatistic -Name 'no-such-if0' -ErrorAction Stop } | Should -Throw -ErrorId 'InterfaceNotFound,PortTools.Commands.GetInterfaceStatisticCommand'
        Get-InterfaceStatistic -Name 'no-such-*' -ErrorAction Stop | Should -BeNullOrEmpty
    }
}

Describe 'Get-InterfaceStatistic completion' {
    BeforeEach { Skip-WithoutPrerequisite ip }

    It 'completes -Name with the interfaces ip link shows' {
        $names = @(& ip -j link show | ConvertFrom-Json | ForEach-Object ifname)
        $line = 'Get-InterfaceStatistic -Name '
        $completed = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText)
        @($completed | Sort-Object) | Should -Be @($names | Sort-Object)
        $line = 'Get-InterfaceStatistic -Name l'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'lo'
    }
}
