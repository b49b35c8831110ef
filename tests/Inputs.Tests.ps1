#Requires -Modules Pester
# Addresses the user types mean exactly what they say, or are refused: no inet_aton shorthand (1.2.3 would be
# 1.2.0.3), no signs or spaces in a prefix length. One parser (AddressText) serves every parameter that takes one.

BeforeDiscovery {
    # Each one IPAddress.TryParse or int.TryParse took, as another address or prefix than it looks like.
    $script:Shorthand = @(
        @{ Text = '1.2.3'; Meant = '1.2.0.3' }
        @{ Text = '127.1'; Meant = '127.0.0.1' }
        @{ Text = '0x7f000001'; Meant = '127.0.0.1' }
        @{ Text = '0x7f.0.0.1'; Meant = '127.0.0.1' }
        @{ Text = '443'; Meant = '0.0.1.187' }
        @{ Text = '010.1.1.1'; Meant = '8.1.1.1 to inet_aton' }
        @{ Text = '::ffff:1.2.3'; Meant = 'a mapped 1.2.0.3' }
        @{ Text = '127.0.0.0/ 8'; Meant = '127.0.0.0/8' }
        @{ Text = '127.0.0.0/+8'; Meant = '127.0.0.0/8' }
        @{ Text = '127.0.0.0 /8'; Meant = '127.0.0.0/8' }
        @{ Text = '127.1/8'; Meant = '127.0.0.1/8' }
        @{ Text = '[::1]:80'; Meant = '::1 (the port dropped)' }
        @{ Text = '[127.0.0.1]'; Meant = '127.0.0.1' }
        @{ Text = 'fe80::1%'; Meant = 'fe80::1 (an empty zone)' }
        @{ Text = '::1%lo'; Meant = '::1 (a zone on loopback)' }
    )
}

BeforeAll {
    $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $modulePath -Force

    # A listener on loopback, so that an accepted address can be seen to match.
    $script:Listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $Listener.Start()
    $script:Port = $Listener.LocalEndpoint.Port
}

AfterAll { $Listener.Stop() }

Describe 'Address shorthand is refused, not read as another address' {
    It 'Get-PortConnection -<Parameter> <Text> (<Meant> to IPAddress.TryParse) is InvalidAddressPrefix' -ForEach @(
        foreach ($case in $Shorthand) {
            @{ Parameter = 'LocalAddress' } + $case
            @{ Parameter = 'RemoteAddress' } + $case
        }
    ) {
        $arguments = @{ $Parameter = $Text }
        $err = { Get-PortConnection @arguments } | Should -Throw -ErrorId 'InvalidAddressPrefix,PortTools.Commands.GetPortConnectionCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match ([regex]::Escape("'$Text'"))
    }

    It 'Get-RouteTable -DestinationPrefix <Text> is InvalidDestinationPrefix' -ForEach ($Shorthand | Where-Object { $_.Text -notmatch '\[' }) {
        # Texts with brackets are left out: -DestinationPrefix reads [ ] as a wildcard pattern.
        { Get-RouteTable -DestinationPrefix $Text } | Should -Throw -ErrorId 'InvalidDestinationPrefix,PortTools.Commands.GetRouteTableCommand'
    }
}

Describe 'Addresses written out in full are accepted' {
    It 'Get-PortConnection -LocalAddress ''<Text>'' finds the loopback listener' -ForEach @(
        @{ Text = '127.0.0.1' }
        @{ Text = ' 127.0.0.1 ' }
        @{ Text = "127.0.0.0/8`t" }
        @{ Text = '127.0.0.0/008' }
    ) {
        $found = @(Get-PortConnection -LocalAddress $Text -LocalPort $Port -State Listen)
        $found.Count | Should -Be 1
        $found[0].LocalAddress | Should -Be '127.0.0.1'
    }

    It 'Get-PortConnection -LocalAddress ''<Text>'' is a valid filter that this listener does not match' -ForEach @(
        @{ Text = '[::1]' }
        @{ Text = '[fe80::]/10' }
        @{ Text = 'fe80::1%lo' }
        @{ Text = 'fe80::1%1' }
        @{ Text = 'ff02::1%eth0' }
        @{ Text = '10.0.0.0/8' }
        @{ Text = '::ffff:127.0.0.1' }      # an IPv6 filter: it matches IPv6 sockets only
    ) {
        @(Get-PortConnection -LocalAddress $Text -LocalPort $Port -State Listen -ErrorAction Stop).Count | Should -Be 0
    }
}
