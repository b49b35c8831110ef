# Resolve-WellKnownPort and the LocalService/RemoteService of Get-PortConnection, against the built module.
BeforeAll {
    $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    Import-Module $modulePath -Force
    $script:Cmd = 'PortTools.Commands.ResolveWellKnownPortCommand'

    # Every name a result answers to.
    function Get-KnownName($result) {
        @($result.ServiceName, $result.HostServiceName, $result.CommonName) +
            @(([string]$result.Aliases) -split ', ' -replace ' \(historic\)$') + @(([string]$result.CommonAliases) -split ', ') |
            Where-Object { $_ }
    }

    function Format-Key($result) { $result | ForEach-Object { "$($_.Port)/$($_.Protocol)" } }
}

Describe 'Resolve-WellKnownPort by port' {
    It 'says https, its description, tcp/udp/sctp and WellKnown for 443' {
        $result = Resolve-WellKnownPort 443
        $result.Protocol | Should -Be @('Tcp', 'Udp', 'Sctp')
        $result.ServiceName | Should -Be @('https', 'https', 'https')
        $result.Category | Select-Object -Unique | Should -Be 'WellKnown'
        $tcp = $result | Where-Object Protocol -EQ 'Tcp'
        $tcp.Description | Should -Be 'http protocol over TLS/SSL'
        $tcp.CommonName | Should -Be 'HTTPS'
        $tcp.Reference | Should -Be 'RFC9110'
        $tcp | Should -BeOfType 'PortTools.Models.WellKnownPort'
    }

    It 'says what admins call 1521 beside IANA''s name' {
        $result = Resolve-WellKnownPort 1521 -Protocol Tcp
        $result.CommonName | Should -Be 'Oracle DB server'
        $result.ServiceName | Should -Be 'ncube-lm'
        $result.Category | Should -Be 'Registered'
    }

    It 'answers for a dynamic port that was never assigned, with this host''s ephemeral range' {
        $result = @(Resolve-WellKnownPort 49200)
        $result.Count | Should -Be 1
        $result[0].ServiceName | Should -BeNullOrEmpty
        $result[0].Protocol | Should -BeNullOrEmpty
        $result[0].Category | Should -Be 'Dynamic'
        $result[0].Description | Should -Match 'never assigned'
        $range = Get-Content /proc/sys/net/ipv4/ip_local_port_range -ErrorAction SilentlyContinue
        if ($range) {
            $first, $last = [int[]]($range -split '\s+' | Where-Object { $_ })
            foreach ($port in 1024, ($first - 1), $first, 49200, $last, ($last + 1)) {
                (Resolve-WellKnownPort $port -Protocol Tcp).InEphemeralRange | Should -Be ($port -ge $first -and $port -le $last) -Because "port $port, range $range"
            }
        }
    }

    It 'matches every port inside a range row' {
        foreach ($port in 6000, 6010, 6063) {
            $result = Resolve-WellKnownPort $port -Protocol Tcp
            $result.ServiceName | Should -Be 'x11'
            $result.PortRange | Should -Be '6000-6063'
            $result.Port | Should -Be $port
        }
        (Resolve-WellKnownPort 6064 -Protocol Tcp).ServiceName | Should -Not -Be 'x11'
    }

    It 'puts <Port> in <Category> (RFC 6335)' -TestCases @(
        @{ Port = 0; Category = 'WellKnown' }
        @{ Port = 1023; Category = 'WellKnown' }
        @{ Port = 1024; Category = 'Registered' }
        @{ Port = 49151; Category = 'Registered' }
        @{ Port = 49152; Category = 'Dynamic' }
        @{ Port = 65535; Category = 'Dynamic' }
    ) {
        param($Port, $Category)
        Resolve-WellKnownPort $Port | ForEach-Object { $_.Category | Should -Be $Category }
    }

    It 'filters by protocol and still answers for an unassigned one' {
        $dns = Resolve-WellKnownPort 53 -Protocol Udp
        $dns.ServiceName | Should -Be 'domain'
        $dns.CommonName | Should -Be 'DNS'
        $dns.Protocol | Should -Be 'Udp'
        $none = Resolve-WellKnownPort 8 -Protocol Sctp
        $none.Protocol | Should -Be 'Sctp'
        $none.Description | Should -Be 'Unassigned'
        $none.ServiceName | Should -BeNullOrEmpty
    }
}

Describe 'Resolve-WellKnownPort pipeline input' {
    It 'takes numbers and numeric text by value' {
        (22, '3306' | Resolve-WellKnownPort -Protocol Tcp).ServiceName | Should -Be @('ssh', 'mysql')
    }

    It 'binds Port, else LocalPort, else RemotePort by property name' {
        ([pscustomobject]@{ Port = 25; LocalPort = 22; RemotePort = 443 } | Resolve-WellKnownPort -Protocol Tcp).Port | Should -Be 25
        ([pscustomobject]@{ LocalPort = 22; RemotePort = 443 } | Resolve-WellKnownPort -Protocol Tcp).Port | Should -Be 22
        ([pscustomobject]@{ RemotePort = 443 } | Resolve-WellKnownPort -Protocol Tcp).Port | Should -Be 443
    }

    It 'binds the Protocol of piped sockets, and all protocols when there is none' {
        $result = [pscustomobject]@{ LocalPort = 22; Protocol = 'Tcp' }, [pscustomobject]@{ LocalPort = 53; Protocol = 'Udp' },
            [pscustomobject]@{ LocalPort = 80 } | Resolve-WellKnownPort
        $result | ForEach-Object { "$($_.Port)/$($_.Protocol)" } | Should -Be @('22/Tcp', '53/Udp', '80/Tcp', '80/Udp', '80/Sctp')
    }

    It 'takes its own output back' {
        $back = Resolve-WellKnownPort 3389 -Protocol Udp | Resolve-WellKnownPort
        Format-Key $back | Should -Be '3389/Udp'
        $back.CommonName | Should -Be 'MS Remote Desktop'
    }

    It 'resolves Get-PortConnection output by LocalPort and Protocol' {
        $socket = Get-PortConnection | Select-Object -First 1
        if (-not $socket) { Set-ItResult -Skipped -Because 'this host has no sockets' }
        $result = $socket | Resolve-WellKnownPort
        $result.Port | Should -Be $socket.LocalPort
        [string]$result.Protocol | Should -Be ([string]$socket.Protocol)
    }

    It 'reports a bad pipeline value and goes on with the rest' {
        $ports = 22, 70000, 23 | Resolve-WellKnownPort -Protocol Tcp -ErrorVariable failures -ErrorAction SilentlyContinue
        $ports.Port | Should -Be @(22, 23)
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,$Cmd"
    }
}

Describe 'Resolve-WellKnownPort by name' {
    It 'finds ssh on 22' {
        $result = Resolve-WellKnownPort -Name ssh
        $result.Port | Select-Object -Unique | Should -Be 22
        $result.Protocol | Should -Contain 'Tcp'
    }

    It 'finds every port whose names match a wildcard, and only those' {
        $result = Resolve-WellKnownPort -Name *sql*
        $result.Port | Should -Contain 3306
        $result.Port | Should -Contain 5432
        $result.Port | Should -Contain 1433
        foreach ($r in $result) {
            (Get-KnownName $r) -like '*sql*' | Should -Not -BeNullOrEmpty -Because "$($r.Port)/$($r.Protocol) was found by *sql*"
        }
    }

    It 'returns a range once, by its first port' {
        $result = Resolve-WellKnownPort -Name x11 -Protocol Tcp
        $result.Port | Should -Be 6000
        $result.PortRange | Should -Be '6000-6063'
    }

    It 'knows historic aliases and marks them' {
        $result = Resolve-WellKnownPort -Name 'whois++' -Protocol Tcp
        $result.Port | Should -Be 63
        $result.ServiceName | Should -Be 'whoispp'
        $result.Aliases | Should -Be 'whois++ (historic)'
    }

    It 'completes -Name from the registry' {
        $line = 'Resolve-WellKnownPort -Name orac'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'oracle'
        $completions | Should -Contain "'Oracle DB server'"
        $completions | ForEach-Object { $_.Trim("'") | Should -BeLike 'orac*' }
    }

    It 'knows admins'' names, in any case' {
        (Resolve-WellKnownPort -Name 'oracle db server' -Protocol Tcp).Port | Should -Be 1521
        (Resolve-WellKnownPort -Name DNS -Protocol Udp).ServiceName | Should -Be 'domain'
        Format-Key (Resolve-WellKnownPort -Name RDP) | Should -Be '3389/Tcp', '3389/Udp'
    }
}

Describe 'Resolve-WellKnownPort -Name with the names admins type' {
    BeforeDiscovery {
        # The curated table, read from the module: every name in it is checked, not a copy of it.
        $assembly = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'PortTools' } | Select-Object -First 1
        if (-not $assembly) {
            $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
            $assembly = (Import-Module $modulePath -PassThru -Force).ImplementingAssembly
        }
        $entries = $assembly.GetType('PortTools.Services.CommonPortNames').GetField('All', [System.Reflection.BindingFlags]'Static,NonPublic').GetValue($null)
        $names = $entries | ForEach-Object { $_.GetType().GetProperty('Name', [System.Reflection.BindingFlags]'Instance,NonPublic').GetValue($_)
            $_.GetType().GetProperty('Aliases', [System.Reflection.BindingFlags]'Instance,NonPublic').GetValue($_) } | Sort-Object -Unique
        $script:AdminNames = foreach ($name in $names) {
            $keys = foreach ($entry in $entries) {
                $type = $entry.GetType()
                $entryNames = @($type.GetProperty('Name', [System.Reflection.BindingFlags]'Instance,NonPublic').GetValue($entry)) +
                    $type.GetProperty('Aliases', [System.Reflection.BindingFlags]'Instance,NonPublic').GetValue($entry)
                if ($entryNames -contains $name) {
                    $port = $type.GetProperty('Port', [System.Reflection.BindingFlags]'Instance,NonPublic').GetValue($entry)
                    foreach ($protocol in $type.GetProperty('Protocols', [System.Reflection.BindingFlags]'Instance,NonPublic').GetValue($entry)) {
                        [pscustomobject]@{ Port = $port; Protocol = [int]$protocol; Text = "$port/$protocol" }
                    }
                }
            }
            @{ Name = $name; Expected = @($keys | Sort-Object Port, Protocol | ForEach-Object Text) }
        }
    }

    It 'finds <Name> on the ports admins mean: <Expected>' -ForEach @(
        @{ Name = 'oracle'; Expected = '1521/Tcp' }
        @{ Name = 'rdp'; Expected = '3389/Tcp', '3389/Udp' }
        @{ Name = 'mssql'; Expected = '1433/Tcp' }
        @{ Name = 'mysql'; Expected = '3306/Tcp' }
        @{ Name = 'mariadb'; Expected = '3306/Tcp' }
        @{ Name = 'postgres'; Expected = '5432/Tcp' }
        @{ Name = 'postgresql'; Expected = '5432/Tcp' }
        @{ Name = 'redis'; Expected = '6379/Tcp' }
        @{ Name = 'mongodb'; Expected = '27017/Tcp' }
        @{ Name = 'elasticsearch'; Expected = '9200/Tcp', '9300/Tcp' }
        @{ Name = 'kafka'; Expected = '9092/Tcp' }
        @{ Name = 'ldap'; Expected = '389/Tcp', '389/Udp' }
        @{ Name = 'ldaps'; Expected = '636/Tcp' }
        @{ Name = 'smb'; Expected = '445/Tcp' }
        @{ Name = 'winrm'; Expected = '5985/Tcp', '5986/Tcp' }
        @{ Name = 'vnc'; Expected = '5900/Tcp' }
    ) {
        $result = @(Resolve-WellKnownPort -Name $Name -ErrorAction Stop)
        Format-Key ($result | Select-Object -First $Expected.Count) | Should -Be $Expected
        # What it is called is shown beside the port, so that the match can be seen.
        foreach ($r in $result | Select-Object -First $Expected.Count) { Get-KnownName $r | Should -Contain $Name }
    }

    It 'puts admins'' <Name> (<Expected>) ahead of every other match' -ForEach $AdminNames {
        $result = @(Resolve-WellKnownPort -Name $Name -ErrorAction Stop)
        Format-Key ($result | Select-Object -First $Expected.Count) | Should -Be $Expected
        @(Format-Key ($result | Select-Object -Skip $Expected.Count)) | Where-Object { $Expected -contains $_ } | Should -BeNullOrEmpty
        foreach ($r in $result) { Get-KnownName $r | Should -Contain $Name }
    }

    It 'still lists IANA''s assignment of the name after the admins'' port' {
        Format-Key (Resolve-WellKnownPort -Name oracle) | Should -Be '1521/Tcp', '2005/Udp'
        $iana = Resolve-WellKnownPort -Name oracle -Protocol Udp
        Format-Key $iana | Should -Be '2005/Udp'
        $iana.ServiceName | Should -Be 'oracle'
        Format-Key (Resolve-WellKnownPort -Name winrm) | Should -Be '5985/Tcp', '5986/Tcp', '47001/Tcp'
        (Resolve-WellKnownPort -Name winrm | Select-Object -First 1).CommonAliases | Should -Be 'winrm'
    }

    It 'puts admins'' matches first for a wildcard too' {
        $result = @(Resolve-WellKnownPort -Name orac*)
        Format-Key $result[0] | Should -Be '1521/Tcp'
        Format-Key $result | Should -Contain '2005/Udp'
    }

    It 'completes -Name with the short names' {
        $line = 'Resolve-WellKnownPort -Name mss'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'mssql'
        $line = 'Resolve-WellKnownPort -Name elastic'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'elasticsearch'
    }
}

Describe 'Resolve-WellKnownPort errors' {
    It 'rejects port <Port>' -TestCases @(@{ Port = -1 }, @{ Port = 65536 }) {
        param($Port)
        { Resolve-WellKnownPort $Port } | Should -Throw -ErrorId "ParameterArgumentValidationError,$Cmd"
    }

    It 'rejects an unknown protocol' {
        { Resolve-WellKnownPort 80 -Protocol icmp } | Should -Throw -ErrorId "CannotConvertArgumentNoMessage,$Cmd"
    }

    It 'writes ServiceNameNotFound for a name that matches nothing, and resolves the others' {
        $result = Resolve-WellKnownPort -Name nosuchservice, ssh -Protocol Tcp -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.Port | Should -Be 22
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "ServiceNameNotFound,$Cmd"
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'nosuchservice'
        { Resolve-WellKnownPort -Name nosuchservice -ErrorAction Stop } | Should -Throw -ErrorId "ServiceNameNotFound,$Cmd"
    }

    It 'writes ServiceNameNotFound when the name exists but not for that protocol' {
        Resolve-WellKnownPort -Name https -Protocol Dccp -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be "ServiceNameNotFound,$Cmd"
        $failures[0].Exception.Message | Should -Match 'Dccp'
    }

    It 'writes InvalidServiceName for <Name>' -TestCases @(
        @{ Name = '' }, @{ Name = '   ' }, @{ Name = '443' }, @{ Name = '[ab' }, @{ Name = "ss`th" }, @{ Name = 'x' * 65 }
    ) {
        param($Name)
        Resolve-WellKnownPort -Name $Name -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "InvalidServiceName,$Cmd"
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Resolve-WellKnownPort agrees with this host''s services database' {
    BeforeEach { Skip-WithoutPrerequisite getent }

    It 'knows every getent services entry by port and protocol, and by name' {
        $entries = @(getent services | ForEach-Object {
                $name, $portProto, $aliases = $_ -split '\s+' | Where-Object { $_ }
                $port, $proto = $portProto -split '/'
                [pscustomobject]@{ Name = $name; Port = [int]$port; Protocol = $proto; Aliases = @($aliases | Where-Object { $_ }) }
            })
        # AppleTalk's ddp has no IANA ports; every other protocol in the file must resolve.
        $checked = $entries | Where-Object Protocol -In 'tcp', 'udp', 'sctp', 'dccp'
        $checked.Count | Should -BeGreaterThan 100
        $missing = foreach ($entry in $checked) {
            $names = Get-KnownName (Resolve-WellKnownPort $entry.Port -Protocol $entry.Protocol)
            foreach ($name in @($entry.Name) + $entry.Aliases) {
                if ($names -notcontains $name) { "$name $($entry.Port)/$($entry.Protocol) (knows: $($names -join ', '))" }
            }
            $byName = Resolve-WellKnownPort -Name $entry.Name -Protocol $entry.Protocol -ErrorAction SilentlyContinue
            if ($byName.Port -notcontains $entry.Port) { "-Name $($entry.Name) did not find $($entry.Port)/$($entry.Protocol)" }
        }
        $missing | Should -BeNullOrEmpty
    }
}

Describe 'Get-PortConnection service names' {
    BeforeAll {
        # A loopback listener on a free port this host's services database names (netstat prints that name).
        $script:listener = $null
        $script:Missing = Get-MissingPrerequisite getent
        if ($Missing) { return }
        foreach ($candidate in 3306, 5432, 8080, 6379, 11211, 27017, 9418, 5672) {
            $line = getent services "$candidate/tcp" 2>$null
            if (-not $line) { continue }
            try {
                $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $candidate)
                $l.Start()
                $script:listener = $l
                $script:port = $candidate
                $script:expected = ($line -split '\s+')[0]
                break
            }
            catch [System.Net.Sockets.SocketException] { }
        }
        if ($script:listener) {
            # IPv4 on purpose: a default TcpClient is a dual-stack IPv6 socket whose peer reads ::ffff:127.0.0.1.
            $script:client = [System.Net.Sockets.TcpClient]::new([System.Net.Sockets.AddressFamily]::InterNetwork)
            $script:client.Connect([System.Net.IPAddress]::Loopback, $script:port)
        }
    }
    AfterAll {
        if ($script:client) { $script:client.Dispose() }
        if ($script:listener) { $script:listener.Stop() }
    }

    BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

    It 'names a real listener''s LocalService as netstat does, and its client''s RemoteService' {
        if (-not $script:listener) { Set-ItResult -Skipped -Because 'no free port named in getent services could be bound' }
        $listen = Get-PortConnection -Protocol Tcp -State Listen -LocalPort $script:port | Where-Object LocalAddress -EQ '127.0.0.1'
        $listen.LocalService | Should -Be $script:expected
        $listen.RemoteService | Should -BeNullOrEmpty -Because 'a listener has remote port 0'
        $outgoing = Get-PortConnection -Protocol Tcp -State Established -RemotePort $script:port | Where-Object RemoteAddress -EQ '127.0.0.1'
        @($outgoing).Count | Should -Be 1
        $outgoing.RemoteService | Should -Be $script:expected
        $outgoing.LocalService | Should -Be (Resolve-WellKnownPort $outgoing.LocalPort -Protocol Tcp |
                ForEach-Object { if ($_.HostServiceName) { $_.HostServiceName } elseif ($_.CommonName) { $_.CommonName } else { $_.ServiceName } })
        Get-PortConnection -Protocol Tcp -RemotePort $script:port | Group-Object RemoteService |
            Select-Object -ExpandProperty Name | Should -Contain $script:expected
    }

    It 'shows service names in the Service view, as netstat without -n does' {
        if (-not $script:listener) { Set-ItResult -Skipped -Because 'no free port named in getent services could be bound' }
        $text = Get-PortConnection -Protocol Tcp -State Listen -LocalPort $script:port | Format-Table -View Service | Out-String -Width 200
        $text | Should -Match ([regex]::Escape("127.0.0.1:$script:expected"))
        $text | Should -Match ([regex]::Escape('0.0.0.0:*'))
    }
}

Describe 'Resolve-WellKnownPort module conformance and view' {
    It 'is exported and declares its output type' {
        $command = Get-Command Resolve-WellKnownPort -Module PortTools
        $command.OutputType.Type | Should -Be ([PortTools.Models.WellKnownPort])
        $command.DefaultParameterSet | Should -Be 'ByPort'
    }

    It 'renders the netstat-minded table, also for deserialized objects' {
        $live = Resolve-WellKnownPort 1521 -Protocol Tcp
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
        $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.PortTools.Models.WellKnownPort'
        foreach ($item in $live, $copy) {
            $text = $item | Format-Table | Out-String -Width 200
            $text | Should -Match 'Common Name'
            $text | Should -Match '1521 tcp\s+ncube-lm\s+Oracle DB server\s+Registered'
        }
    }

    It 'shows the short names in Format-List' {
        Resolve-WellKnownPort 3306 -Protocol Tcp | Format-List | Out-String | Should -Match 'CommonAliases\s*: mysql, mariadb'
    }

    It 'exports flat to CSV' {
        $row = Resolve-WellKnownPort 6010 -Protocol Tcp | ConvertTo-Csv | ConvertFrom-Csv
        $row.PortRange | Should -Be '6000-6063'
        $row.ServiceName | Should -Be 'x11'
        $row.Protocol | Should -Be 'Tcp'
    }
}
