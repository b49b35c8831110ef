#Requires -Modules Pester
# PowerShell remoting for real: a throwaway sshd on loopback (tests/SshHelpers.ps1) reached as two hosts,
# 127.0.0.1 and 127.0.0.2, by Invoke-Command -HostName; the remote pwsh finds PortTools by name. Every output
# type comes back, is compared with the same object read here, rendered by every table view and exported to CSV.

BeforeDiscovery {
    $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    # Every table view with the type it shows, from the module's format file.
    $format = [xml](Get-Content (Join-Path (Split-Path $modulePath) 'PortTools.format.ps1xml') -Raw)
    $script:TableViews = @(foreach ($view in $format.Configuration.ViewDefinitions.View) {
            if ($view.SelectSingleNode('TableControl')) { @{ View = $view.Name; Type = $view.ViewSelectedBy.SelectionSetName -replace '^PortTools\.Models\.' } }
        })
    $script:Types = @($TableViews.Type | Sort-Object -Unique | ForEach-Object { @{ Type = $_ } })
}

Describe 'Invoke-Command -HostName to two hosts' {
    BeforeAll {
        # sshd needs root (privilege separation, and apt-get where it is not installed yet); CI runs as root.
        . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
        $script:Missing = Get-MissingPrerequisite sshd
        if ($Missing) { return }
        . (Join-Path $PSScriptRoot 'SshHelpers.ps1')
        $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
        Import-Module $ModulePath -Force
        $started = [Diagnostics.Stopwatch]::StartNew()
        # A listener of this process: a row whose process, holders and address are known on both hosts.
        $script:Listener = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $Listener.Start()
        $script:Port = $Listener.LocalEndpoint.Port
        $script:Hosts = '127.0.0.1', '127.0.0.2'
        # The folder holding out/PortTools is the remote PSModulePath: the remote side loads it by name.
        $script:Server = Start-LoopbackSshd (Split-Path (Split-Path $ModulePath))
        $ssh = Get-SshParameters $Server
        # One of each output type, as the fleet recipe asks for them.
        $query = {
            Get-PortConnection -State Listen
            Get-ProtocolStatistic -Protocol Tcp
            Get-InterfaceStatistic -Name lo
            Get-RouteTable -Destination 127.0.0.1
            Resolve-WellKnownPort 22 -Protocol Tcp
            # A change to watch: bash connects to a listener of the session's own once a second.
            $peer = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $peer.Start(); $peerPort = $peer.LocalEndpoint.Port
            $start = [Diagnostics.ProcessStartInfo]::new('bash'); $start.ArgumentList.Add('-c')
            $start.ArgumentList.Add("for i in 1 2 3 4 5; do sleep 1; exec 3<>/dev/tcp/127.0.0.1/$peerPort; exec 3>&-; done")
            $null = [Diagnostics.Process]::Start($start)
            Watch-PortConnection -LocalPort $peerPort -Count 1 -Duration 15
            $peer.Stop()
        }
        $script:Remote = @(Invoke-Command -HostName $Hosts @ssh -ScriptBlock $query -ErrorAction Stop)
        $script:Local = @(& $query)
        Write-Host ("Remoting round trip to {0} hosts (sshd start, two pwsh sessions, six cmdlets): {1:N1} s" -f $Hosts.Count, $started.Elapsed.TotalSeconds)

        # The object of $Type that stands for the comparison: our listener for connections, the first one otherwise.
        function Select-Sample([object[]] $Objects, [string] $Type) {
            $ofType = @($Objects | Where-Object { $_.PSObject.TypeNames[0] -match "^(Deserialized\.)?PortTools\.Models\.$Type$" })
            if ($Type -eq 'PortConnection') { $ofType = @($ofType | Where-Object { [int]$_.LocalPort -eq $Port }) }
            $ofType
        }
        # What a reader sees of a value: a type name instead of data is the failure this suite looks for.
        $script:TypeNameText = '^(System|PortTools|Deserialized)\.[\w.`\[\]]+$'
        $script:Assembly = (Get-Module PortTools).ImplementingAssembly
    }

    AfterAll {
        if ($Server) { Stop-LoopbackSshd $Server }
        if ($Listener) { $Listener.Stop() }
    }

    BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

    It 'reaches both hosts, which load PortTools by name, and keeps PSComputerName' {
        @($Remote.PSComputerName | Sort-Object -Unique) | Should -Be $Hosts
        foreach ($computer in $Hosts) {
            foreach ($type in $Types.Type) {
                @(Select-Sample @($Remote | Where-Object PSComputerName -eq $computer) $type).Count | Should -BeGreaterThan 0 -Because "$type from $computer"
            }
        }
    }

    It '<Type>: every property comes back from each host with a readable value' -ForEach $Types {
        $live = @(Select-Sample $Local $Type)[0]
        $properties = $Assembly.GetType("PortTools.Models.$Type").GetProperties()
        foreach ($computer in $Hosts) {
            $sample = @(Select-Sample @($Remote | Where-Object PSComputerName -eq $computer) $Type)[0]
            $sample.PSObject.TypeNames[0] | Should -Be "Deserialized.PortTools.Models.$Type"
            foreach ($property in $properties) {
                $name = $property.Name
                $sample.PSObject.Properties[$name] | Should -Not -BeNullOrEmpty -Because "$name is a property of $Type"
                if ($null -eq $live.$name) { continue }
                $value = $sample.$name
                $value | Should -Not -BeNullOrEmpty -Because "$name has a value here"
                $underlying = [Nullable]::GetUnderlyingType($property.PropertyType) ?? $property.PropertyType
                if ($underlying.IsEnum) { $value | Should -BeExactly $live.$name.ToString() -Because "$name is an enum, sent as its name" }
                if ($live.$name -is [Collections.IDictionary]) {
                    # Counters: the same names, readable as a Name/Value table.
                    @($value.Keys | Sort-Object) | Should -Be @($live.$name.Keys | Sort-Object) -Because "$name keeps every counter"
                    $table = $value.GetEnumerator() | Sort-Object Name | Select-Object -First 3 | Format-Table | Out-String
                    $table | Should -Match "(?m)^$([regex]::Escape(@($value.Keys | Sort-Object)[0]))\s+\d+\s*$"
                }
                else { "$value" | Should -Not -Match $TypeNameText -Because "$name must read as data, not as a type name" }
                if ($Type -notmatch 'Statistic|Change' -and $live.$name -isnot [Collections.IDictionary]) {
                    # Not counters or changes, so unchanged between the two reads: the same text on both sides (Holders included).
                    "$value" | Should -BeExactly "$($live.$name)" -Because "$name after a round trip"
                }
            }
        }
    }

    It 'the connection from each host names this process as holder' {
        foreach ($computer in $Hosts) {
            $row = Select-Sample @($Remote | Where-Object PSComputerName -eq $computer) PortConnection
            $row.OwningProcess | Should -Be $PID
            @($row.Holders) -join ' ' | Should -Match "\($PID\)"
            $row.State | Should -BeExactly 'Listen'
        }
    }

    It 'the default display of <Type> shows the computer each row came from' -ForEach $Types {
        # Out-Default (what a console shows) appends PowerShell's own PSComputerName column to the default view.
        $text = Select-Sample $Remote $Type | Out-String -Width 250
        foreach ($computer in $Hosts) {
            # The netstat -s style list of ProtocolStatistic names the computer in each title instead.
            if ($Type -eq 'ProtocolStatistic') { $text | Should -Match "(?m)^\w+( \(\w+\))? on $([regex]::Escape($computer)):" }
            else { $text | Should -Match 'PSComputerName'; $text | Should -Match "(?m)$([regex]::Escape($computer))\s*$" }
        }
        $text | Should -Not -Match '#ERR|Deserialized\.|System\.Collections'
        if ($Type -eq 'PortConnection') {
            # The C# row of a deserialized object is the row of the live one.
            $line = [PortTools.Formatting.ConnectionRow]::Format(@(Select-Sample $Local PortConnection)[0]).TrimEnd()
            $text | Should -Match ([regex]::Escape($line))
        }
    }

    It 'table view <View> (<Type>) renders deserialized rows, grouped by computer' -ForEach $TableViews {
        # An explicit view gets no PSComputerName column from PowerShell: -GroupBy PSComputerName names the computer
        # (under the view's own group label where it has one: Process).
        $text = Select-Sample $Remote $Type | Sort-Object PSComputerName | Format-Table -View $View -GroupBy PSComputerName | Out-String -Width 250
        foreach ($computer in $Hosts) { $text | Should -Match ": $([regex]::Escape($computer))" }
        $text | Should -Not -Match '#ERR|Deserialized\.|System\.Collections'
        @($text -split '\r?\n' | Where-Object { $_ -match '^\s*-+[ -]*$' }).Count | Should -Be $Hosts.Count -Because 'a header under each computer'
    }

    It 'the Process view groups deserialized rows by computer and process, without -GroupBy' {
        $text = Select-Sample $Remote PortConnection | Sort-Object PSComputerName | Format-Table -View Process | Out-String -Width 250
        $name = [regex]::Escape((Get-Process -Id $PID).ProcessName)
        foreach ($computer in $Hosts) { $text | Should -Match "Process: $([regex]::Escape($computer)): $name \($PID\)" }
    }

    It 'Export-Csv keeps every property, PSComputerName and the holders as text' {
        $csv = Join-Path $Server.Directory 'fleet.csv'
        Select-Sample $Remote PortConnection | Export-Csv $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        @($rows.PSComputerName | Sort-Object) | Should -Be $Hosts
        $live = @(Select-Sample $Local PortConnection)[0]
        foreach ($row in $rows) {
            foreach ($property in $Assembly.GetType('PortTools.Models.PortConnection').GetProperties()) {
                $row.($property.Name) | Should -BeExactly "$($live.($property.Name))" -Because "$($property.Name) in the CSV"
            }
        }
    }
}
