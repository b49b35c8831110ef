@{
    # The source of truth for the version: build.ps1 stamps it into the assembly.
    ModuleVersion        = '0.1.0'
    GUID                 = 'ee230c45-dcdc-4caf-a444-aec23e04cf9d'
    RootModule           = 'PortTools.dll'
    Author               = 'PortTools contributors'
    CompanyName          = 'PortTools'
    Copyright            = '(c) PortTools contributors. MIT License.'
    Description          = 'netstat, ss and ip route as PowerShell objects: which process owns which port, who is connected to it, how the machine routes, and what the protocol counters say.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('PortTools.format.ps1xml')
    # Explicit lists: with '*', Get-Module -ListAvailable shows no cmdlets and auto-loading fails.
    CmdletsToExport      = @(
        'Get-PortConnection'
        'Resolve-WellKnownPort'
        'Get-RouteTable'
        'Get-ProtocolStatistic'
        'Get-InterfaceStatistic'
        'Watch-PortConnection'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('netstat', 'ss', 'network', 'tcp', 'udp', 'port', 'socket', 'PSEdition_Core', 'PSEdition_Desktop', 'Linux', 'Windows', 'MacOS')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
