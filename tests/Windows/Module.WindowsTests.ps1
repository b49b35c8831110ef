#Requires -Modules Pester
# The built module as Windows PowerShell 7 sees it under Wine: import, every cmdlet, format views (live and
# deserialized, as remoting and Import-Clixml hand them back) and help.

BeforeAll {
    . (Join-Path $PSScriptRoot 'WineHelpers.ps1')
    Import-Module $ModulePath -Force
    $script:Module = Get-Module PortTools
}

Describe 'The module on Windows' {
    It 'imports on the Windows code paths' {
        $IsWindows | Should -BeTrue
        $Module | Should -Not -BeNullOrEmpty
        @($Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @('Get-InterfaceStatistic', 'Get-PortConnection', 'Get-ProtocolStatistic', 'Get-RouteTable', 'Resolve-WellKnownPort', 'Watch-PortConnection')
    }

    It 'runs <Command> without an error' -ForEach @(
        @{ Command = 'Get-PortConnection'; Arguments = @{} }
        @{ Command = 'Get-RouteTable'; Arguments = @{} }
        @{ Command = 'Get-ProtocolStatistic'; Arguments = @{} }
        @{ Command = 'Get-InterfaceStatistic'; Arguments = @{} }
        @{ Command = 'Resolve-WellKnownPort'; Arguments = @{ Port = 443 } }
    ) {
        $errors = $null
        $result = @(& $Command @Arguments -ErrorVariable errors)
        $errors | Should -BeNullOrEmpty
        $result.Count | Should -BeGreaterThan 0
    }

    It 'stops <_> -NetworkNamespace with NetworkNamespaceNotSupported: Windows has no network namespaces' -ForEach @('Get-PortConnection', 'Watch-PortConnection', 'Get-RouteTable') {
        $command, $failure = $_, $null
        try { & $command -NetworkNamespace blue -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be "NetworkNamespaceNotSupported,PortTools.Commands.$($command -replace '-')Command"
        [string]$failure.CategoryInfo.Category | Should -Be 'NotImplemented'
        $failure.Exception.Message | Should -BeLike '*Linux network namespace*Windows has none*'
    }

    It 'measures a rate over an interval (Get-InterfaceStatistic -Interval)' {
        $rate = @(Get-InterfaceStatistic -Name lo -Interval 0.2)
        $rate.Count | Should -Be 1
        $rate[0].IntervalSeconds | Should -BeGreaterThan 0
    }

    It 'reads the port names from the Windows services file' {
        # %SystemRoot%\System32\drivers\etc\services, which Wine's prefix has too.
        $services = Join-Path ([Environment]::SystemDirectory) 'drivers\etc\services'
        $line = Get-Content $services | Where-Object { $_ -match '^([^#\s]+)\s+80/tcp' } | Select-Object -First 1
        $line | Should -Not -BeNullOrEmpty
        (Resolve-WellKnownPort -Port 80 -Protocol Tcp).HostServiceName | Should -Be ($line -split '\s+')[0]
    }
}

Describe 'Format views on Windows' {
    It 'renders <Command> the same live and deserialized' -ForEach @(
        @{ Command = 'Get-PortConnection'; Header = 'Proto' }
        @{ Command = 'Get-RouteTable'; Header = 'Destination' }
        @{ Command = 'Get-ProtocolStatistic'; Header = 'Tcp' }
        @{ Command = 'Get-InterfaceStatistic'; Header = 'Iface' }
        @{ Command = 'Resolve-WellKnownPort'; Header = 'Service' }
    ) {
        $arguments = if ($Command -eq 'Resolve-WellKnownPort') { @{ Port = 22 } } else { @{} }
        $live = @(& $Command @arguments)
        $deserialized = [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($live, 3))
        $deserialized[0].PSObject.TypeNames[0] | Should -BeLike 'Deserialized.PortTools.*'
        $text = $live | Out-String -Width 120
        $text | Should -Match ([regex]::Escape($Header))
        $again = $deserialized | Out-String -Width 120
        if ($Command -eq 'Get-ProtocolStatistic') {
            # Same lines; deserialized counters are listed by name (Get-ProtocolStatistic.Tests.ps1 checks that on Linux).
            ($again -split "`r?`n" | Sort-Object) -join "`n" | Should -Be (($text -split "`r?`n" | Sort-Object) -join "`n")
        }
        else { $again | Should -Be $text }
    }
}

Describe 'Help on Windows' {
    It 'has full help for <_>' -ForEach @('Get-PortConnection', 'Get-RouteTable', 'Get-ProtocolStatistic', 'Get-InterfaceStatistic', 'Resolve-WellKnownPort') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*Get-|^\s*Resolve-' -Because 'a synopsis that is the syntax means the help file was not found'
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
    }

    It 'has the about_PortTools topic' {
        (Get-Help about_PortTools | Out-String) | Should -Match 'PortTools'
    }
}
