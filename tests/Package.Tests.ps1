#Requires -Modules Pester
# The Gallery package (build.ps1 -Task Package; Test makes it first) as a user meets it: published to a folder
# repository, installed with Install-PSResource into a fresh home, then a new pwsh that knows only that home
# auto-loads PortTools by name and runs every cmdlet. And one version everywhere: manifest, DLL, package.

BeforeAll {
    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    $script:Manifest = Import-PowerShellDataFile $ModulePath
    $script:Version = $Manifest.ModuleVersion
    $packages = @(Get-ChildItem (Join-Path (Split-Path (Split-Path $ModulePath)) 'package') -Filter '*.nupkg' -ErrorAction Ignore)
    if ($packages.Count -ne 1) { throw "Expected one package in out/package (build.ps1 -Task Package), found $($packages.Count)." }
    $script:Package = $packages[0].FullName

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "porttools-package-$([guid]::NewGuid().ToString('N'))"
    $script:FreshHome = Join-Path $Work 'home'
    # .NET reports a special folder that does not exist yet as '', and PSResourceGet then writes to the current folder.
    New-Item -ItemType Directory (Join-Path $Work 'repository'), (Join-Path $FreshHome '.local/share'), (Join-Path $FreshHome '.config') | Out-Null

    # A new pwsh (this session's own, from the local tool) whose home, and so PSResourceGet's repository list and
    # CurrentUser module folder, is the fresh one; JSON back.
    function Invoke-FreshPwsh([string] $Script, [hashtable] $Environment = @{}) {
        $saved = @{}
        $Environment['HOME'] = $FreshHome
        $Environment['XDG_DATA_HOME'] = Join-Path $FreshHome '.local/share'
        $Environment['XDG_CONFIG_HOME'] = Join-Path $FreshHome '.config'
        foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
        Push-Location $Work
        try {
            $output = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Script | ConvertTo-Json -Depth 3 -Compress"
            if ($LASTEXITCODE -ne 0) { throw "pwsh failed ($LASTEXITCODE): $output" }
            $output | Select-Object -Last 1 | ConvertFrom-Json
        }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'The PortTools package' {
    It 'carries the manifest version, as the DLL and the help do' {
        Split-Path $Package -Leaf | Should -Be "PortTools.$Version.nupkg"
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Package)
        try {
            $reader = [IO.StreamReader]::new($zip.GetEntry('PortTools.nuspec').Open())
            $nuspec = [xml]$reader.ReadToEnd()
            $reader.Dispose()
            $nuspec.package.metadata.version | Should -Be $Version
            $nuspec.package.metadata.id | Should -Be 'PortTools'
            # Only the laid-out module: a stray file in the staging folder would ship too.
            $shipped = @($zip.Entries.FullName | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|PortTools\.nuspec$)' } | Sort-Object)
            $laidOut = @(Get-ChildItem (Split-Path $ModulePath) -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath((Split-Path $ModulePath), $_.FullName) -replace '\\', '/' } | Sort-Object)
            $shipped | Should -Be $laidOut
        }
        finally { $zip.Dispose() }
        $dll = Join-Path (Split-Path $ModulePath) 'PortTools.dll'
        [Reflection.AssemblyName]::GetAssemblyName($dll).Version | Should -Be ([version]"$Version.0")
        [Diagnostics.FileVersionInfo]::GetVersionInfo($dll).ProductVersion | Should -Match "^$([regex]::Escape($Version))(\+|$)"
        # platyPS's module page repeats it as its help version.
        (Select-String -Path (Join-Path $PSScriptRoot '../docs/PortTools.md') -Pattern '^Help Version: (.+)$').Matches[0].Groups[1].Value | Should -Be $Version
    }

    It 'publishes to a folder repository, installs with Install-PSResource, and auto-loads by name to run every cmdlet' {
        $installed = Invoke-FreshPwsh @"
Register-PSResourceRepository -Name PortToolsTest -Uri '$(Join-Path $Work 'repository')' -Trusted
Publish-PSResource -NupkgPath '$Package' -Repository PortToolsTest
Install-PSResource PortTools -Repository PortToolsTest -Scope CurrentUser -TrustRepository -Quiet
Get-InstalledPSResource PortTools -Scope CurrentUser | Select-Object Name, @{ Name = "Version"; Expression = { [string]`$_.Version } }, InstalledLocation
"@
        $installed.Version | Should -Be $Version
        $installed.InstalledLocation | Should -BeLike "$FreshHome*"
        Join-Path $Work "repository/PortTools.$Version.nupkg" | Should -Exist

        # Every exported cmdlet, by name only; the arguments keep the outputs small and bound the watch, which
        # sees bash connect to a listener of the child's once a second.
        $arguments = @{ 'Resolve-WellKnownPort' = '22'; 'Get-PortConnection' = '-State Listen'; 'Get-ProtocolStatistic' = '-Protocol Tcp'
            'Watch-PortConnection' = '-LocalPort $port -Count 1 -Duration 20' }
        $peer = '$listener = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; ' +
            '$start = [Diagnostics.ProcessStartInfo]::new(''bash''); $start.ArgumentList.Add(''-c''); ' +
            '$start.ArgumentList.Add("for i in 1 2 3 4 5 6 7 8 9 10; do sleep 1; exec 3<>/dev/tcp/127.0.0.1/$port; exec 3>&-; done"); ' +
            '$null = [Diagnostics.Process]::Start($start)'
        $calls = ($Manifest.CmdletsToExport | ForEach-Object { "'$_' = @($_ $($arguments[$_]))[0].PSObject.TypeNames[0]" }) -join '; '
        $loaded = Invoke-FreshPwsh "$peer; `$r = [ordered]@{ $calls }; `$r.Module = (Get-Module PortTools).ModuleBase; `$r.Version = [string](Get-Module PortTools).Version; `$r" @{
            PSModulePath = $installed.InstalledLocation
        }
        $loaded.Module | Should -Be (Join-Path $installed.InstalledLocation "PortTools/$Version")
        $loaded.Version | Should -Be $Version
        foreach ($cmdlet in $Manifest.CmdletsToExport) {
            $loaded.$cmdlet | Should -BeLike "PortTools.*" -Because "$cmdlet ran and returned its objects"
        }
    }
}
