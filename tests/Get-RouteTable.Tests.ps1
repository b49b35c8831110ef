BeforeAll {
    . (Join-Path $PSScriptRoot 'NetnsHelpers.ps1')
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    Import-Module $script:ModulePath -Force

    # The text of one column of a table view, wrapped lines joined: the columns are where the view's widths put them.
    function Get-ViewColumn([string] $Text, [string] $View, [int] $Index) {
        $widths = @((Get-FormatData -TypeName PortTools.Models.RouteEntry).FormatViewDefinition | Where-Object Name -EQ $View)[0].Control.Headers.Width
        $start = 0
        for ($c = 0; $c -lt $Index; $c++) { $start += $widths[$c] + 1 }
        $lines = @($Text -split '\r?\n' | Where-Object { $_.Trim() })
        $body = $lines[([array]::FindIndex($lines, [Predicate[string]] { $args[0] -match '^-' }) + 1)..($lines.Count - 1)]
        # The last column has no width: it takes the rest of the line.
        $width = if ($widths[$Index]) { $widths[$Index] } else { [int]::MaxValue }
        (@($body | Where-Object { $_.Length -gt $start } | ForEach-Object { $_.Substring($start, [Math]::Min($width, $_.Length - $start)) }) -join '') -replace '\s', ''
    }

    $script:NoNetns = Get-MissingPrerequisite netns
}

Describe 'Get-RouteTable in a network namespace' {
    BeforeAll {
        if ($NoNetns) { return }
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
        if ($script:Namespaces) { Remove-TestNamespacePair $script:Namespaces }
    }

    BeforeEach { if ($NoNetns) { Set-ItResult -Skipped -Because $NoNetns } }

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

    It '-Destination ADDRESS gives what ip route get says, and the table entry as ip route get fibmatch says' {
        $Netlink.Lookups | Should -HaveCount $Lookups.Count
        Compare-WithIpRouteGet $Ns $Lookups $Netlink.Lookups | Should -BeNullOrEmpty
        # The policy rule sends 10.99.7.0/24 to table 100; 10.99.2.0/24 has two metrics and 50 wins.
        $Netlink.Lookups[0].Table | Should -Be 100
        $Netlink.Lookups[0].MatchedRoute.DestinationPrefix | Should -Be '10.99.7.0/24'
        $Netlink.Lookups[1].MatchedRoute.RouteMetric | Should -Be 50
    }

    It '-Destination writes NoRoute for a blackhole, an unreachable network and an unreachable route' {
        $Netlink.NoRoute | Should -Be 0
        $Netlink.NoRouteErrors | Should -HaveCount 3
        $Netlink.NoRouteErrors | ForEach-Object { $_ | Should -BeLike 'NoRoute,PortTools.Commands.GetRouteTableCommand|There is no usable route to *' }
        $Netlink.NoRouteErrors[1] | Should -BeLike '*192.0.2.1: Network is unreachable.'
        $Netlink.NoRouteErrors | ForEach-Object { $_ | Should -Not -BeLike '*..' }
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
        $Proc.Lookup[0].DestinationPrefix, $Proc.Lookup[0].NextHop, $Proc.Lookup[0].InterfaceAlias | Should -Be '10.99.2.9/32', '10.99.1.2', 'pt0'
        $Proc.Lookup[0].MatchedRoute.DestinationPrefix, $Proc.Lookup[0].MatchedRoute.RouteMetric | Should -Be '10.99.2.0/24', 50
        $Proc.Lookup[1].MatchedRoute.DestinationPrefix | Should -Be '10.99.5.128/25'
    }

    It 'renders the netstat -r view and the compact view, deserialized too' {
        $Netlink.Table | Should -Match 'Destination\s+Gateway\s+Genmask\s+Flags\s+Metric\s+Table\s+Iface'
        $Netlink.Table | Should -Match '10\.99\.2\.0\s+10\.99\.1\.2\s+255\.255\.255\.0\s+UG\s+50\s+main\s+pt0'
        # Fixed widths: the paths wrap inside their column at any width.
        Get-ViewColumn $Netlink.Compact Compact 0 | Should -Be '10.99.6.0/24'
        Get-ViewColumn $Netlink.Compact Compact 1 | Should -Be '10.99.1.2,10.99.1.3'
        Get-ViewColumn $Netlink.Compact Compact 5 | Should -Be 'pt0'
        $text = $Netlink.Exact | Out-String -Width 200
        $text | Should -Match '10\.99\.6\.0\s+10\.99\.1\.2\s+255\.255\.255\.0\s+UG\s+0\s+main\s+pt0'
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
        $route = [pscustomobject]@{ RemoteAddress = '127.0.0.2' } | Get-RouteTable
        $route.DestinationPrefix, $route.MatchedRoute.DestinationPrefix | Should -Be '127.0.0.2/32', '127.0.0.0/8'
    }

    It 'writes one clear error per bad zone or scope and goes on' {
        $cases = @(
            @{ Arguments = @{ Destination = 'fe80::1%' }; Id = 'InvalidDestination' }
            @{ Arguments = @{ Destination = 'fe80::1%no-such-if0' }; Id = 'InterfaceNotFound' }
            @{ Arguments = @{ Destination = '127.0.0.1%lo' }; Id = 'InvalidDestination' }
            @{ Arguments = @{ Destination = '127.0.0.1'; ScopeId = 1 }; Id = 'InvalidDestination' }
            @{ Arguments = @{ Destination = 'fe80::1%1'; ScopeId = 2 }; Id = 'InvalidDestination' }
        )
        foreach ($case in $cases) {
            $arguments = $case.Arguments
            $routes = @(Get-RouteTable @arguments -ErrorVariable errors -ErrorAction SilentlyContinue)
            $routes | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -Be "$($case.Id),PortTools.Commands.GetRouteTableCommand"
            $errors[0].Exception.Message | Should -BeLike "*'$($arguments.Destination)'*"
        }
        $routes = @(Get-RouteTable -Destination 'fe80::1%no-such-if0', '::1' -ErrorAction SilentlyContinue)
        $routes.DestinationPrefix | Should -Be '::1/128'
    }
}

Describe 'Get-RouteTable with a positional argument' {
    It 'looks up a bare address, as ip route get does' {
        $lookup = @(Get-RouteTable 127.0.0.1)
        $lookup | Should -HaveCount 1
        $lookup[0].DestinationPrefix, [string]$lookup[0].Type | Should -Be '127.0.0.1/32', 'Local'
        $lookup[0].MatchedRoute | Should -Not -BeNullOrEmpty
        (ConvertTo-LookupSignature $lookup[0]) | Should -Be (ConvertTo-LookupSignature (Get-RouteTable -Destination 127.0.0.1))
        $v6 = @(Get-RouteTable '[::1]')
        $v6.DestinationPrefix | Should -Be '::1/128'
    }

    It 'lists for a CIDR prefix or a wildcard' {
        @(Get-RouteTable 127.0.0.0/8 | ForEach-Object { ConvertTo-Signature $_ }) | Should -Be @(Get-RouteTable -DestinationPrefix 127.0.0.0/8 | ForEach-Object { ConvertTo-Signature $_ })
        @(Get-RouteTable 127.0.0.0/8).Count | Should -BeGreaterThan 0
        @(Get-RouteTable '127.*' | Where-Object { -not $_.DestinationPrefix.StartsWith('127.') }) | Should -BeNullOrEmpty
        @(Get-RouteTable '127.*').Count | Should -BeGreaterThan 0
    }

    It 'refuses a lookup mixed with listing filters, with a clear error' {
        foreach ($arguments in @{ DestinationPrefix = '127.0.0.1'; Table = 'main' }, @{ DestinationPrefix = '127.0.0.1', '127.0.0.0/8' }, @{ DestinationPrefix = '::1'; AddressFamily = 'IPv6' }) {
            { Get-RouteTable @arguments } | Should -Throw -ErrorId 'LookupWithListFilter,PortTools.Commands.GetRouteTableCommand'
        }
        { Get-RouteTable 127.0.0.1 -InterfaceAlias lo } | Should -Throw '*(127.0.0.1/32).*'
        { Get-RouteTable ::1 -InterfaceAlias lo } | Should -Throw '*(::1/128).*'
    }
}

Describe 'Get-RouteTable -Destination against ip route get' {
    BeforeAll {
        if ($NoNetns) { return }
        $script:Namespaces = New-TestNamespacePair 'lk'
        $script:Ns = $script:Namespaces[0]
        & bash (Join-Path $PSScriptRoot 'netns-route-lookup.sh') @Namespaces
        if ($LASTEXITCODE -ne 0) { throw 'netns-route-lookup.sh failed' }
        # The default routes have four paths, 10.99.6.0/24 and fd00:99:6::/64 two: the kernel hashes each
        # destination to one of them (net/ipv4/fib_semantics.c fib_select_multipath, net/ipv6/route.c
        # fib6_select_path).
        $script:Multipath = @(1..30 | ForEach-Object { "198.51.100.$_" }) + @(1..10 | ForEach-Object { "10.99.6.$_" }) +
            @(1..20 | ForEach-Object { '2001:db8:5::{0:x}' -f $_ }) + @(1..10 | ForEach-Object { "fd00:99:6::$_" })
        # Multicast and broadcast leave by a device without a gateway; local addresses go through lo.
        $script:Special = '224.0.0.1', '239.1.2.3', '10.99.1.255', '10.98.1.255', '255.255.255.255', '10.99.1.1', '10.98.1.1', '127.0.0.1',
            'ff02::1', 'fd00:99:1::1', '::1'
        # Link-local: scope the lookup to the interface the kernel would not take by itself, so that ignoring the scope shows.
        $unscoped = (Invoke-Json ip, -n, $Ns, -6, -j, route, get, 'fe80::99')[0].dev
        $script:ScopedTo = if ($unscoped -eq 'pt0') { 'pt2' } else { 'pt0' }
        $script:ScopeIndex = [uint32](Invoke-Json ip, -n, $Ns, -j, link, show, $ScopedTo)[0].ifindex
        $script:Result = Invoke-InNamespace $Ns @"
# A connection to a link-local peer that does not answer stays in SYN-SENT, bound to its interface.
`$socket = [Net.Sockets.Socket]::new([Net.Sockets.AddressFamily]::InterNetworkV6, [Net.Sockets.SocketType]::Stream, [Net.Sockets.ProtocolType]::Tcp)
`$socket.Blocking = `$false
try { `$socket.Connect([Net.IPEndPoint]::new([Net.IPAddress]::Parse('fe80::99%$ScopeIndex'), 9)) } catch [Net.Sockets.SocketException] { }
`$connection = @(Get-PortConnection -RemotePort 9 -Protocol TCP)
@{
    Multipath = @(Get-RouteTable -Destination $($Multipath -join ','))
    Special = @(Get-RouteTable -Destination $($Special -join ','))
    Positional = @(Get-RouteTable 198.51.100.7)
    ZoneName = @(Get-RouteTable -Destination 'fe80::99%$ScopedTo')
    ZoneNumber = @(Get-RouteTable '[fe80::99%$ScopeIndex]')
    Unscoped = @(Get-RouteTable -Destination 'fe80::99')
    Connection = `$connection
    ConnectionRoute = @(`$connection | Get-RouteTable)
    Routes = @(Get-RouteTable -AddressFamily IPv6 -Table main) + @(Get-RouteTable -Destination 'fe80::99%$ScopedTo', 10.98.1.1)
    Table80 = Get-RouteTable -AddressFamily IPv6 -Table main | Out-String -Width 80
    Compact80 = Get-RouteTable -AddressFamily IPv6 -Table main | Format-Table -View Compact | Out-String -Width 80
}
`$socket.Dispose()
"@
    }

    AfterAll {
        if ($script:Namespaces) { Remove-TestNamespacePair $script:Namespaces }
    }

    BeforeEach { if ($NoNetns) { Set-ItResult -Skipped -Because $NoNetns } }

    It 'gives the next hop, interface and source the kernel chose for each destination of a multipath route' {
        $Result.Multipath | Should -HaveCount $Multipath.Count
        $disagreements = @(Compare-WithIpRouteGet $Ns $Multipath $Result.Multipath)
        $disagreements | Should -BeNullOrEmpty
        Write-Host "    $($Multipath.Count - $disagreements.Count) of $($Multipath.Count) multipath lookups agree with ip route get and ip route get fibmatch"
        # The test bed makes the kernel's choice matter: several paths are taken, on both links, and the first
        # path of the table entry is often not the one.
        @($Result.Multipath | ForEach-Object NextHop | Sort-Object -Unique).Count | Should -BeGreaterOrEqual 6
        @($Result.Multipath | ForEach-Object InterfaceAlias | Sort-Object -Unique) | Should -Be 'pt0', 'pt2'
        @($Result.Multipath | Where-Object { $_.NextHop -ne $_.MatchedRoute.NextHops[0].NextHop }).Count | Should -BeGreaterThan 10
        $Result.Multipath | ForEach-Object { @($_.MatchedRoute.NextHops).Count | Should -BeGreaterOrEqual 2 }
    }

    It 'answers multicast, broadcast and local destinations as ip route get does: type, device, no gateway' {
        $Result.Special | Should -HaveCount $Special.Count
        Compare-WithIpRouteGet $Ns $Special $Result.Special | Should -BeNullOrEmpty
        $Result.Special[0..4] | ForEach-Object { $_.NextHop | Should -Be '0.0.0.0' }
        @($Result.Special | ForEach-Object { [string]$_.Type }) | Should -Be Multicast, Multicast, Broadcast, Broadcast, Broadcast, Local, Local, Local, Multicast, Local, Local
    }

    It 'looks up a positional bare address' {
        Compare-WithIpRouteGet $Ns '198.51.100.7' $Result.Positional | Should -BeNullOrEmpty
    }

    It 'binds a zone (name or number) to that interface, as ip route get ... oif does' {
        $Result.ZoneName[0].InterfaceAlias | Should -Be $ScopedTo
        Compare-WithIpRouteGet $Ns 'fe80::99' $Result.ZoneName oif, $ScopedTo | Should -BeNullOrEmpty
        Compare-WithIpRouteGet $Ns 'fe80::99' $Result.ZoneNumber oif, $ScopedTo | Should -BeNullOrEmpty
        Compare-WithIpRouteGet $Ns 'fe80::99' $Result.Unscoped | Should -BeNullOrEmpty
        $Result.Unscoped[0].InterfaceAlias | Should -Not -Be $ScopedTo
    }

    It 'looks up a link-local connection from Get-PortConnection on its interface' {
        $Result.Connection | Should -HaveCount 1
        $Result.Connection[0].ScopeId | Should -Be $ScopeIndex
        $Result.ConnectionRoute | Should -HaveCount 1
        Compare-WithIpRouteGet $Ns 'fe80::99' $Result.ConnectionRoute oif, $ScopedTo | Should -BeNullOrEmpty
    }

    It 'renders the route views in 80 columns without losing or collapsing a column, live and deserialized' {
        $Result.Routes.NextHop | Should -Contain 'fe80::1234:5678:9abc:def0'
        $live = @{ RouteEntry = $Result.Table80; Compact = $Result.Compact80 }
        foreach ($view in 'RouteEntry', 'Compact') {
            foreach ($text in $live[$view], ($Result.Routes | Format-Table -View $view | Out-String -Width 80)) {
                $lines = @($text -split '\r?\n' | Where-Object { $_.Trim() })
                $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because $_ }
                # One header line with every label, then the dashes.
                $labels = @((Get-FormatData -TypeName PortTools.Models.RouteEntry).FormatViewDefinition | Where-Object Name -EQ $view)[0].Control.Headers.Label
                $lines[0] | Should -Match (($labels | ForEach-Object { [regex]::Escape($_) }) -join '\s+')
                $lines[1] | Should -Match '^-'
            }
        }
        # Every address and name is whole in its column (wrapped lines joined).
        $routes = @($Result.Routes)
        $text = $routes | Format-Table -View RouteEntry | Out-String -Width 80
        Get-ViewColumn $text RouteEntry 0 | Should -Be (($routes | ForEach-Object { ($_.DestinationPrefix -split '/')[0] }) -join '')
        Get-ViewColumn $text RouteEntry 1 | Should -Be (($routes | ForEach-Object { if ($_.NextHop -in '::', '0.0.0.0') { '*' } else { $_.NextHop } }) -join '')
        Get-ViewColumn $text RouteEntry 5 | Should -Be ($routes.TableName -join '')
        Get-ViewColumn $text RouteEntry 6 | Should -Be (($routes | ForEach-Object { if ($_.InterfaceAlias) { $_.InterfaceAlias } else { '*' } }) -join '')
        $text = $routes | Format-Table -View Compact | Out-String -Width 80
        Get-ViewColumn $text Compact 0 | Should -Be ($routes.DestinationPrefix -join '')
        Get-ViewColumn $text Compact 1 | Should -Be (($routes | ForEach-Object { if (@($_.NextHops).Count -gt 1) { @($_.NextHops.NextHop) -join ',' } else { $_.NextHop } }) -join '')
    }
}

Describe 'Get-RouteTable completion' {
    BeforeEach { Skip-WithoutPrerequisite ip }

    It 'completes -Table with the tables ip route show table all lists, and -InterfaceAlias with interface names' {
        $tables = @(& ip -j route show table all | ConvertFrom-Json | ForEach-Object { if ($_.table) { $_.table } else { 'main' } } | Sort-Object -Unique)
        $line = 'Get-RouteTable -Table '
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Sort-Object) | Should -Be $tables
        $line = 'Get-RouteTable -InterfaceAlias l'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'lo'
    }
}
