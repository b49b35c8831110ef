BeforeAll {
    . (Join-Path $PSScriptRoot 'NetnsHelpers.ps1')
    Import-Module $script:ModulePath -Force

    # One line per route with every field ip prints; ip leaves out the defaults (type unicast, protocol boot,
    # scope global, metric 0, table main).
    function ConvertTo-IpSignature($j, [bool] $V6) {
        $onLink = if ($V6) { '::' } else { '0.0.0.0' }
        $dst = [string]$j.dst
        $dst = if ($dst -eq 'default') { if ($V6) { '::/0' } else { '0.0.0.0/0' } } elseif ($dst.Contains('/')) { $dst } elseif ($V6) { "$dst/128" } else { "$dst/32" }
        $table = switch ([string]$j.table) { '' { 254 } 'main' { 254 } 'local' { 255 } 'default' { 253 } default { $_ } }
        $hops = if ($j.nexthops) { $j.nexthops | ForEach-Object { "$(if ($_.gateway) { $_.gateway } else { $onLink })@$($_.dev)*$($_.weight)" } }
                elseif ($j.dev -or $j.gateway) { "$(if ($j.gateway) { $j.gateway } else { $onLink })@$($j.dev)*1" }
        $type = if ($j.type) { $j.type } else { 'unicast' }
        $proto = if ($j.protocol) { $j.protocol } else { 'boot' }
        $scope = if ($j.scope) { $j.scope } else { 'global' }
        "$type $dst table $table proto $proto scope $scope metric $([int64]$j.metric) src $($j.prefsrc) hops $(@($hops) -join ',')"
    }

    function ConvertTo-Signature($r) {
        $hops = @($r.NextHops) | Where-Object { $_ } | ForEach-Object { "$($_.NextHop)@$($_.InterfaceAlias)*$($_.Weight)" }
        "$(([string]$r.Type).ToLowerInvariant()) $($r.DestinationPrefix) table $($r.Table) proto $(([string]$r.Protocol).ToLowerInvariant()) " +
        "scope $(([string]$r.Scope).ToLowerInvariant()) metric $($r.RouteMetric) src $($r.PreferredSource) hops $(@($hops) -join ',')"
    }

    $script:Namespaces = New-TestNamespacePair 'rt'
    $script:Ns = $script:Namespaces[0]
    $script:Lookups = '10.99.7.5', '10.99.2.9', '10.99.6.1', '10.99.1.1', '127.0.0.1', 'fd00:99:2::1', 'fd00:99:7::1', 'fd00:99:6::1', 'fd00:99:1::1'
    $script:Netlink = Invoke-InNamespace $script:Ns @"
@{
    All = @(Get-RouteTable)
    Lookups = @(Get-RouteTable -Destination $($script:Lookups -join ','))
    Table100 = @(Get-RouteTable -Table 100)
    Main = @(Get-RouteTable -Table main -AddressFamily IPv4)
    Exact = @(Get-RouteTable -DestinationPrefix 10.99.6.0/24)
    Wildcard = @(Get-RouteTable -DestinationPrefix '10.99.5.*')
    Lo = @(Get-RouteTable -InterfaceAlias 'l?')
    V6 = @(Get-RouteTable -AddressFamily IPv6)
    NoRoute = @(Get-RouteTable -Destination 10.99.4.1, 192.0.2.1, 10.99.5.1 -ErrorVariable errors -ErrorAction SilentlyContinue).Count
    NoRouteErrors = @(`$errors | ForEach-Object { `$_.FullyQualifiedErrorId + '|' + `$_.Exception.Message })
    Table = Get-RouteTable -DestinationPrefix 10.99.2.0/24, 10.99.6.0/24 | Out-String -Width 200
    Compact = Get-RouteTable -DestinationPrefix 10.99.6.0/24 | Format-Table -View Compact | Out-String -Width 200
}
"@
    $script:Proc = Invoke-InNamespace $script:Ns @'
@{
    All = @(Get-RouteTable -WarningVariable warnings -WarningAction SilentlyContinue)
    Warnings = @($warnings | ForEach-Object Message)
    Lookup = @(Get-RouteTable -Destination 10.99.2.9, 10.99.5.200 -WarningAction SilentlyContinue)
}
'@ @{ PORTTOOLS_LINUX_SOURCE = 'proc' }
}

AfterAll {
    Remove-TestNamespacePair $script:Namespaces
}

Describe 'Get-RouteTable in a network namespace' {
    It 'lists every IPv4 and IPv6 route of every table, as ip -j route show table all does' {
        $expected = @(Invoke-Json ip, -n, $Ns, -4, -j, route, show, table, all | ForEach-Object { ConvertTo-IpSignature $_ $false }) +
                    @(Invoke-Json ip, -n, $Ns, -6, -j, route, show, table, all | ForEach-Object { ConvertTo-IpSignature $_ $true })
        $expected.Count | Should -BeGreaterThan 20
        @($Netlink.All | ForEach-Object { ConvertTo-Signature $_ } | Sort-Object) | Should -Be @($expected | Sort-Object)
    }

    It 'reports the multipath route with every next hop and weight' {
        $Netlink.Exact | Should -HaveCount 1
        $route = $Netlink.Exact[0]
        @($route.NextHops | ForEach-Object { "$($_.NextHop) $($_.InterfaceAlias) $($_.Weight)" }) | Should -Be '10.99.1.2 pt0 1', '10.99.1.3 pt0 3'
        [string]$route.Type | Should -Be 'Unicast'
    }

    It '-Destination <address> gives the table entry the kernel chose, as ip route get fibmatch does' {
        $Netlink.Lookups | Should -HaveCount $Lookups.Count
        for ($i = 0; $i -lt $Lookups.Count; $i++) {
            $address = $Lookups[$i]
            $v6 = $address.Contains(':')
            $family = if ($v6) { '-6' } else { '-4' }
            $ip = Invoke-Json ip, -n, $Ns, $family, -j, route, get, fibmatch, $address
            # The source address is the one plain `ip route get` reports; the rest is the matched table entry.
            $source = (Invoke-Json ip, -n, $Ns, $family, -j, route, get, $address)[0].prefsrc
            $source | Should -Not -BeNullOrEmpty
            $Netlink.Lookups[$i].PreferredSource | Should -Be $source -Because $address
            (ConvertTo-Signature $Netlink.Lookups[$i]) -replace ' src \S*', '' | Should -Be ((ConvertTo-IpSignature $ip[0] $v6) -replace ' src \S*', '') -Because $address
        }
        # The policy rule sends 10.99.7.0/24 to table 100; 10.99.2.0/24 has two metrics and 50 wins.
        $Netlink.Lookups[0].Table | Should -Be 100
        $Netlink.Lookups[1].RouteMetric | Should -Be 50
    }

    It '-Destination writes NoRoute for a blackhole, an unreachable network and an unreachable route' {
        $Netlink.NoRoute | Should -Be 0
        $Netlink.NoRouteErrors | Should -HaveCount 3
        $Netlink.NoRouteErrors | ForEach-Object { $_ | Should -BeLike 'NoRoute,PortTools.Commands.GetRouteTableCommand|There is no usable route to *' }
        $Netlink.NoRouteErrors[1] | Should -BeLike '*192.0.2.1: Network is unreachable.'
    }

    It 'filters by table, exact prefix, wildcard prefix, interface and family' {
        $expected = @(Invoke-Json ip, -n, $Ns, -4, -j, route, show, table, 100) + @(Invoke-Json ip, -n, $Ns, -6, -j, route, show, table, 100)
        $Netlink.Table100 | Should -HaveCount $expected.Count
        $Netlink.Table100 | ForEach-Object { $_.Table | Should -Be 100 }
        $Netlink.Main | Should -HaveCount (Invoke-Json ip, -n, $Ns, -4, -j, route, show, table, main).Count
        @($Netlink.Wildcard.DestinationPrefix | Sort-Object) | Should -Be '10.99.5.0/24', '10.99.5.128/25'
        @($Netlink.Wildcard | ForEach-Object { [string]$_.Type } | Sort-Object) | Should -Be 'Prohibit', 'Unreachable'
        $Netlink.Lo | Should -Not -BeNullOrEmpty
        $Netlink.Lo | ForEach-Object { $_.InterfaceAlias | Should -Be 'lo' }
        $Netlink.V6 | Should -HaveCount (Invoke-Json ip, -n, $Ns, -6, -j, route, show, table, all).Count
        $Netlink.V6 | ForEach-Object { [string]$_.AddressFamily | Should -Be 'IPv6' }
    }

    It 'falls back to /proc/net/route and ipv6_route, with one warning' {
        $main = Invoke-Json ip, -n, $Ns, -4, -j, route, show, table, main
        # Deserialized enums compare as numbers: compare their text.
        $v4 = @($Proc.All | Where-Object { [string]$_.AddressFamily -eq 'IPv4' })
        $v4 | Should -HaveCount $main.Count
        @($v4.DestinationPrefix | Sort-Object) | Should -Be @($main | ForEach-Object { ConvertTo-IpSignature $_ $false } | ForEach-Object { ($_ -split ' ')[1] } | Sort-Object)
        ($v4 | Where-Object { $_.DestinationPrefix -eq '10.99.2.0/24' -and $_.RouteMetric -eq 50 }).NextHop | Should -Be '10.99.1.2'
        @($Proc.All | Where-Object { [string]$_.AddressFamily -eq 'IPv6' }).DestinationPrefix | Should -Contain 'fd00:99:7::/64'
        $Proc.Warnings | Should -HaveCount 1
        $Proc.Warnings[0] | Should -BeLike '*/proc/net*main table only*'
    }

    It '-Destination falls back to longest prefix and metric' {
        $Proc.Lookup | Should -HaveCount 2
        $Proc.Lookup[0].DestinationPrefix, $Proc.Lookup[0].RouteMetric | Should -Be '10.99.2.0/24', 50
        $Proc.Lookup[1].DestinationPrefix | Should -Be '10.99.5.128/25'
    }

    It 'renders the netstat -r view and the compact view, deserialized too' {
        $Netlink.Table | Should -Match 'Destination\s+Gateway\s+Genmask\s+Flags\s+Metric\s+Iface'
        $Netlink.Table | Should -Match '10\.99\.2\.0\s+10\.99\.1\.2\s+255\.255\.255\.0\s+UG\s+50\s+pt0'
        $Netlink.Compact | Should -Match '10\.99\.6\.0/24\s+10\.99\.1\.2,10\.99\.1\.3\s+pt0'
        $text = $Netlink.Exact | Out-String -Width 200
        $text | Should -Match '10\.99\.6\.0\s+10\.99\.1\.2\s+255\.255\.255\.0\s+UG\s+0\s+pt0\s+main'
    }
}

Describe 'Get-RouteTable errors' {
    It 'rejects a bad prefix' {
        { Get-RouteTable -DestinationPrefix 10.0.0.0/33 } | Should -Throw -ErrorId 'InvalidDestinationPrefix,PortTools.Commands.GetRouteTableCommand'
        { Get-RouteTable -DestinationPrefix banana } | Should -Throw -ErrorId 'InvalidDestinationPrefix,PortTools.Commands.GetRouteTableCommand'
    }

    It 'rejects an unknown table name' {
        { Get-RouteTable -Table mian } | Should -Throw -ErrorId 'InvalidTable,PortTools.Commands.GetRouteTableCommand'
    }

    It 'writes InvalidDestination for a bad address and goes on with the next' {
        $routes = Get-RouteTable -Destination 'not-an-address', '127.0.0.1' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidDestination,PortTools.Commands.GetRouteTableCommand'
        $routes | Should -HaveCount 1
        $routes.Type | Should -Be 'Local'
    }

    It 'looks up an IPv4-mapped address in the IPv4 table and refuses the unspecified address' {
        (Get-RouteTable -Destination '::ffff:127.0.0.1').DestinationPrefix | Should -Be '127.0.0.1/32'
        { Get-RouteTable -Destination 0.0.0.0 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDestination,PortTools.Commands.GetRouteTableCommand'
        { Get-RouteTable -Destination :: -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDestination,PortTools.Commands.GetRouteTableCommand'
    }

    It 'writes InterfaceNotFound for an interface name no route uses' {
        { Get-RouteTable -InterfaceAlias 'no-such-if0' -ErrorAction Stop } | Should -Throw -ErrorId 'InterfaceNotFound,PortTools.Commands.GetRouteTableCommand'
        Get-RouteTable -InterfaceAlias 'no-such-*' -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'takes addresses from the pipeline' {
        $routes = '127.0.0.1', '::1' | Get-RouteTable
        $routes | Should -HaveCount 2
        $routes.DestinationPrefix | Should -Be '127.0.0.1/32', '::1/128'
        # Get-PortConnection output binds by its RemoteAddress.
        ([pscustomobject]@{ RemoteAddress = '127.0.0.2' } | Get-RouteTable).DestinationPrefix | Should -Be '127.0.0.0/8'
    }
}
