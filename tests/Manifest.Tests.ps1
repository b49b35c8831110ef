BeforeAll {
    $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $modulePath -Force
}
Describe 'PortTools manifest' {
    It 'exports exactly the cmdlets the DLL defines, each with an OutputType' {
        $manifest = Import-PowerShellDataFile $modulePath
        $defined = (Get-Command -Module PortTools -CommandType Cmdlet).Name | Sort-Object
        $defined | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        foreach ($name in $defined) { (Get-Command $name).OutputType | Should -Not -BeNullOrEmpty -Because $name }
    }
}
