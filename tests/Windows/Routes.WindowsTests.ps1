#Requires -Modules Pester
# Get-RouteTable (GetIpForwardTable2, GetBestRoute2) under Wine against the kernel's main table (ip -j route).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'WineHelpers.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'WineHelpers.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Get-RouteTable under Wine agrees with ip route' {
    It 'lists the IPv4 routes of the main table: prefix, next hop, interface and metric' {
        $expected = foreach ($route in Invoke-LinuxCommand 'ip -4 -j route show table main' | ConvertFrom-Json) {
            $prefix = if ($route.dst -eq 'default') { '0.0.0.0/0' } elseif ($route.dst -notmatch '/') { "$($route.dst)/32" } else { $route.dst }
            $gateway = if ($route.PSObject.Properties['gateway']) { $route.gateway } else { '0.0.0.0' }
            $metric = if ($route.PSObject.Properties['metric']) { $route.metric } else { 0 }
            "$prefix via $gateway dev $($route.dev) metric $metric"
        }
        $listed = foreach ($route in Get-RouteTable -AddressFamily IPv4) {
            "$($route.DestinationPrefix) via $($route.NextHop) dev $($route.InterfaceAlias) metric $($route.RouteMetric)"
        }
        @($expected).Count | Should -BeGreaterThan 0
        ($listed | Sort-Object) -join "`n" | Should -Be (($expected | Sort-Object) -join "`n")
    }

    It 'joins each route to its interface by index, as GetIfTable2 numbers them' {
        $links = Invoke-LinuxCommand 'ip -j link' | ConvertFrom-Json
        foreach ($route in Get-RouteTable -AddressFamily IPv4) {
            $route.InterfaceIndex | Should -Be ($links | Where-Object ifname -eq $route.InterfaceAlias).ifindex
        }
    }

    It 'lists the IPv6 routes' -Skip:$IsWine {
        # Wine 8's GetIpForwardTable2 returns no IPv6 rows; WindowsForwardTable2DecoderTests decodes IPv6 rows
        # laid out from MIB_IPFORWARD_ROW2.
    }

    It 'finds the route Windows would use for -Destination (GetBestRoute2)' -Skip:$IsWine {
        # Wine 8's GetBestRoute2 answers ERROR_NOT_SUPPORTED; the next test checks that answer's error.
    }

    It 'reports a lookup the OS cannot make as RouteListingFailed, not as "no route"' {
        # ERROR_NOT_SUPPORTED says nothing about the destination: only an OS answer of "no route" is NoRoute.
        $err = { Get-RouteTable -Destination 127.0.0.1 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'RouteListingFailed,PortTools.Commands.GetRouteTableCommand'
        $err.CategoryInfo.Category | Should -Be 'ReadError'
        $err.Exception.Message | Should -Match '^The routing table could not be read: [^.]+$'
    }
}
