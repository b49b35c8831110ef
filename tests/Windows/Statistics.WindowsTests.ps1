#Requires -Modules Pester
# Get-ProtocolStatistic (GetIpStatisticsEx, GetIcmpStatisticsEx, GetTcp/UdpStatisticsEx) and Get-InterfaceStatistic
# (GetIfTable2) under Wine, bracketed by two reads of the kernel's own counters.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'WineHelpers.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'WineHelpers.ps1')
    Import-Module $ModulePath -Force
    # Set by configuration, not by traffic: equal in both reads.
    $script:Settings = 'IpForwarding', 'IpDefaultTTL', 'TcpRtoAlgorithm', 'TcpRtoMin', 'TcpRtoMax', 'TcpMaxConn'
    # A gauge rises and falls; the bracket holds only for counters.
    $script:Gauges = @('TcpCurrEstab')
}

Describe 'Get-ProtocolStatistic under Wine agrees with /proc/net/snmp' {
    BeforeAll {
        $script:Before = Read-ProcSnmp
        $script:Statistics = @(Get-ProtocolStatistic -AddressFamily IPv4)
        $script:After = Read-ProcSnmp
        $script:Counters = @{}
        foreach ($s in $Statistics) { foreach ($c in $s.Counters.GetEnumerator()) { $Counters[$c.Key] = [long]$c.Value } }
    }

    It 'reads IPv4 Ip, Icmp, Tcp and Udp' {
        @($Statistics.Protocol | ForEach-Object ToString) | Should -Be @('Ip', 'Icmp', 'Tcp', 'Udp')
    }

    It 'reports the configuration values the kernel has' {
        foreach ($name in $Settings) { $Counters[$name] | Should -Be $Before[$name] -Because $name }
    }

    It 'reports every counter /proc/net/snmp also has between its two reads' {
        $compared = 0
        foreach ($name in $Counters.Keys) {
            if (-not $Before.ContainsKey($name) -or $Settings -contains $name -or $Gauges -contains $name) { continue }
            # The Windows structures are 32-bit (MIB_IPSTATS, MIB_TCPSTATS ...): the kernel's 64-bit counters wrap.
            $low = $Before[$name] % 4294967296; $high = $After[$name] % 4294967296
            if ($high -lt $low) { continue } # wrapped between the reads
            $Counters[$name] | Should -BeGreaterOrEqual $low -Because $name
            $Counters[$name] | Should -BeLessOrEqual $high -Because $name
            $compared++
        }
        $compared | Should -BeGreaterThan 30
        # Loopback traffic of this very test moves these between reads; zero would mean nothing was read.
        $Counters['IpInReceives'] | Should -BeGreaterThan 0
        $Counters['TcpActiveOpens'] | Should -BeGreaterThan 0
    }

    It 'takes the 64-bit TCP and UDP counters from GetTcpStatisticsEx2 where Windows has it' -Skip:$IsWine {
        # Wine 8 has no GetTcpStatisticsEx2/GetUdpStatisticsEx2, so only the 32-bit fallback runs here;
        # WindowsStatisticsDecoderTests decodes MIB_TCPSTATS2/MIB_UDPSTATS2 from laid-out fixtures.
    }
}

Describe 'Get-InterfaceStatistic under Wine agrees with ip -s link' {
    BeforeAll {
        $script:LinksBefore = Invoke-LinuxCommand 'ip -s -j link' | ConvertFrom-Json
        $script:Interfaces = @(Get-InterfaceStatistic)
        $script:LinksAfter = Invoke-LinuxCommand 'ip -s -j link' | ConvertFrom-Json
    }

    It 'lists every interface with its index and MTU' {
        ($Interfaces.Name | Sort-Object) -join ',' | Should -Be (($LinksBefore.ifname | Sort-Object) -join ',')
        foreach ($link in $LinksBefore) {
            $interface = $Interfaces | Where-Object Name -eq $link.ifname
            $interface.InterfaceIndex | Should -Be $link.ifindex
            $interface.Mtu | Should -Be $link.mtu
        }
    }

    It 'reports an interface Up when it is administratively up and its link is (RFC 2863 "unknown" counts: lo)' {
        foreach ($link in $LinksBefore) {
            $up = $link.flags -contains 'UP' -and $link.operstate -in 'UP', 'UNKNOWN'
            ($Interfaces | Where-Object Name -eq $link.ifname).State | Should -Be ($up ? 'Up' : 'Down') -Because $link.ifname
        }
    }

    It 'reports each counter between two reads of the kernel''s' {
        $pairs = @{
            ReceivedBytes = 'rx.bytes'; ReceivedPackets = 'rx.packets'; ReceivedPacketErrors = 'rx.errors'; ReceivedDiscardedPackets = 'rx.dropped'
            SentBytes = 'tx.bytes'; SentPackets = 'tx.packets'; SentPacketErrors = 'tx.errors'; SentDiscardedPackets = 'tx.dropped'
        }
        foreach ($interface in $Interfaces) {
            $before = ($LinksBefore | Where-Object ifname -eq $interface.Name).stats64
            $after = ($LinksAfter | Where-Object ifname -eq $interface.Name).stats64
            foreach ($property in $pairs.Keys) {
                $direction, $field = $pairs[$property] -split '\.'
                $interface.$property | Should -BeGreaterOrEqual $before.$direction.$field -Because "$($interface.Name) $property"
                $interface.$property | Should -BeLessOrEqual $after.$direction.$field -Because "$($interface.Name) $property"
            }
        }
        ($Interfaces | Where-Object Name -eq 'lo').ReceivedPackets | Should -BeGreaterThan 0
    }
}
