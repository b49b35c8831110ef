<#
.SYNOPSIS
    The one entry point: build, test and run PortTools.
.DESCRIPTION
    Build    lays the finished module out in out/PortTools, ready to import or publish.
    Test     builds, runs the xunit tests, the Pester tests (in a child pwsh, against the built module) and the
             TestWindows stage, and ends with one line "N passed, N failed, N skipped"; exits 1 on any failure.
    TestWindows  builds, then runs tests/Windows/*.WindowsTests.ps1 on the module's Windows code paths in a win-x64
             PowerShell under Wine (tests/WindowsHost), against the Linux side's view of the same kernel; ends with
             "N passed, N failed, N skipped". Test runs it too when `wine` is installed and says why not otherwise.
    Run      builds, imports the module in a child pwsh and shows Get-PortConnection.
    Bench    builds and runs the benchmark against ss and netstat (tests/Benchmark/Measure-PortConnection.ps1).
    Docs     builds and writes docs/<Cmdlet>.md (platyPS schema, placeholders for the prose) for each cmdlet
             that has no page yet (src/Help/New-MissingHelpPage.ps1).
    Pester   builds and runs only Pester: every tests/*.Tests.ps1, or the files given with -Path.
    PesterAsNobody  the same as the user nobody with a PATH without ip, ss, nstat, setpriv, unshare, getent and
             OpenSSH (tests/Invoke-PesterAsNobody.ps1): what a machine without root or those tools runs. What
             needs them must be skipped with a reason, nothing may fail. Needs root to start (setpriv).
    Xunit    builds, then runs only the xunit tests, or those -Filter selects (dotnet test --filter syntax), against
             the module's own DLL (out/PortTools/PortTools.dll), the one Pester imports.
    Clean    removes out/ and the projects' bin/ and obj/ folders.
    Package  builds, then makes the PowerShell Gallery package out/package/PortTools.<version>.nupkg from out/PortTools
             with PSResourceGet (Compress-PSResource); Test makes it too, for tests/Package.Tests.ps1.
    Fuzz     builds, then runs only the decoder fuzz tests (tests/PortTools.Tests/Fuzz*.cs), for PORTTOOLS_FUZZ_SECONDS per
             decoder (default 30) instead of Test's bounded run, and prints the inputs tried per decoder.
    Test results are written to out/test-results: xunit as TRX and JUnit XML, Pester as NUnit XML.
.EXAMPLE
    dotnet tool restore && dotnet pwsh -File build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh -File build.ps1 -Task Pester -Path tests/Security.Tests.ps1
.EXAMPLE
    dotnet pwsh -File build.ps1 -Task Xunit -Filter FullyQualifiedName~Fidelity
#>
[CmdletBinding()]
param(
    # One or more of Build, Test, TestWindows, Pester, PesterAsNobody, Xunit, Clean, Run, Bench, Docs, Package, Fuzz; "Build,Test"
    # also works (pwsh -File passes one string).
    [string[]] $Task = @('Build'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Pester, PesterAsNobody: the test files to run (all of tests/*.Tests.ps1 by default).
    [string[]] $Path,
    # Xunit: a dotnet test --filter expression.
    [string] $Filter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'PortTools'
$ResultsDir = Join-Path $OutDir 'test-results'
# Child pwsh processes (tests, Run) make no network calls of their own: the socket tests compare this
# machine's sockets with ss, and no-network machines would only see failed connection attempts.
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
# pwsh -File passes "a,b" as one string: split lists on commas.
function Split-List([string[]] $Items) { @($Items | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ }) }
$Tasks = Split-List $Task
$Path = Split-List $Path

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

# A child pwsh from the same local tool manifest: a binary module locks its DLL for the session that
# imported it, and each test run must start clean.
function Invoke-ChildPwsh([string] $Script, [hashtable] $Environment = @{}) {
    foreach ($name in $Environment.Keys) { Set-Item "env:$name" $Environment[$name] }
    try {
        Push-Location $Root
        & dotnet pwsh -NoProfile -NonInteractive -Command $Script | Out-Host
        return $LASTEXITCODE
    }
    finally {
        Pop-Location
        foreach ($name in $Environment.Keys) { Remove-Item "env:$name" -ErrorAction SilentlyContinue }
    }
}

function Invoke-Build {
    $manifest = Import-PowerShellDataFile (Join-Path $Root 'PortTools.psd1')
    $binDir = Join-Path $OutDir "bin/$Configuration"
    Invoke-Native 'dotnet build' {
        dotnet build (Join-Path $Root 'src/PortTools/PortTools.csproj') -c $Configuration -o $binDir --nologo -v quiet "-p:Version=$($manifest.ModuleVersion)"
    }
    # A clean staging folder: publishing packs everything in it.
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    New-Item -ItemType Directory $ModuleDir | Out-Null
    Copy-Item (Join-Path $Root 'PortTools.psd1') $ModuleDir
    Copy-Item (Join-Path $binDir 'PortTools.dll'), (Join-Path $binDir 'PortTools.format.ps1xml') $ModuleDir
    # Offline help: docs/*.md (platyPS schema) -> en-US/PortTools.dll-Help.xml and about_*.help.txt.
    & (Join-Path $Root 'src/Help/ConvertTo-MamlHelp.ps1') -DocsPath (Join-Path $Root 'docs') -OutputPath (Join-Path $ModuleDir 'en-US')
    Write-Host "Built PortTools $($manifest.ModuleVersion) in $ModuleDir"
}

function Get-PesterModulePath {
    $testProject = Join-Path $Root 'tests/PortTools.Tests/PortTools.Tests.csproj'
    Invoke-Native 'dotnet restore' { dotnet restore $testProject --nologo -v quiet }
    $line = dotnet nuget locals global-packages --list | Select-Object -First 1
    $packages = ($line -replace '^global-packages:\s*', '').Trim()
    $version = (Select-Xml -Path $testProject -XPath '//PackageDownload[@Include="Pester"]').Node.Version.Trim('[', ']')
    Join-Path $packages "pester/$version/tools/Pester.psd1"
}

# xunit references the module's own DLL (out/PortTools/PortTools.dll, what Pester imports), so Build runs first.
function Invoke-XunitTests {
    $trx = Join-Path $ResultsDir 'xunit.trx'
    $junit = Join-Path $ResultsDir 'xunit.junit.xml'
    $filterArguments = if ($Filter) { @('--filter', $Filter) } else { @() }
    dotnet test (Join-Path $Root 'tests/PortTools.Tests/PortTools.Tests.csproj') -c $Configuration --nologo "-p:PortToolsDll=$(Join-Path $ModuleDir 'PortTools.dll')" @filterArguments `
        --logger "trx;LogFileName=$trx" --logger "junit;LogFilePath=$junit" | Out-Host
    if (-not (Test-Path $trx)) { return @{ Passed = 0; Failed = 1; Skipped = 0 } }  # did not even build
    $counters = ([xml](Get-Content $trx)).TestRun.ResultSummary.Counters
    @{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error; Skipped = [int]$counters.notExecuted }
}

function Invoke-PesterTests {
    $resultFile = Join-Path $ResultsDir 'pester.json'
    $files = if ($Path) { $Path | ForEach-Object { (Resolve-Path $_).Path } } else { Join-Path $Root 'tests' }
    $testPaths = ($files | ForEach-Object { "'$_'" }) -join ', '
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-PesterModulePath)'
`$config = New-PesterConfiguration
`$config.Run.Path = @($testPaths)
`$config.Run.PassThru = `$true
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputFormat = 'NUnitXml'
`$config.TestResult.OutputPath = '$(Join-Path $ResultsDir 'pester.nunit.xml')'
`$config.Output.Verbosity = 'Detailed'
`$result = Invoke-Pester -Configuration `$config
@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount; Skipped = `$result.SkippedCount } |
    ConvertTo-Json | Set-Content '$resultFile'
"@
    $exit = Invoke-ChildPwsh $script @{ PORTTOOLS_MODULE = (Join-Path $ModuleDir 'PortTools.psd1') }
    if (-not (Test-Path $resultFile)) { return @{ Passed = 0; Failed = [Math]::Max(1, $exit); Skipped = 0 } }
    $counts = Get-Content $resultFile | ConvertFrom-Json
    @{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed; Skipped = [int]$counts.Skipped }
}

function Invoke-PesterAsNobody {
    $files = if ($Path) { $Path } else { Get-ChildItem (Join-Path $Root 'tests') -Filter '*.Tests.ps1' | ForEach-Object FullName }
    $result = & (Join-Path $Root 'tests/Invoke-PesterAsNobody.ps1') -Path $files -ModulePath (Join-Path $ModuleDir 'PortTools.psd1') `
        -PesterPath (Split-Path (Get-PesterModulePath))
    $result.Failures | ForEach-Object { Write-Host "FAILED $_" }
    $result.Reasons | ForEach-Object { Write-Host "skipped because $_" }
    @{ Passed = [int]$result.Passed; Failed = [int]$result.Failed; Skipped = [int]$result.Skipped }
}

function Reset-Results {
    if (Test-Path $ResultsDir) { Remove-Item $ResultsDir -Recurse -Force }
    New-Item -ItemType Directory $ResultsDir | Out-Null
}

# One stage alone (Pester or Xunit), with the same summary line as Test.
function Invoke-Stage([scriptblock] $Stage) {
    Reset-Results
    $counts = & $Stage
    Write-Host "$($counts.Passed) passed, $($counts.Failed) failed, $($counts.Skipped) skipped"
    if ($counts.Failed -gt 0) { exit 1 }
}

function Invoke-Clean {
    foreach ($folder in @($OutDir) + @(Get-ChildItem (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj | ForEach-Object FullName)) {
        if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
    }
    Write-Host 'Removed out/ and every bin/ and obj/.'
}

function Invoke-Test {
    Reset-Results
    $xunit = Invoke-XunitTests
    $pester = Invoke-PesterTests
    $windows = Invoke-WindowsTests # TestWindows
    $passed = $xunit.Passed + $pester.Passed + $windows.Passed
    $failed = $xunit.Failed + $pester.Failed + $windows.Failed
    $skipped = $xunit.Skipped + $pester.Skipped + $windows.Skipped
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    if ($windows.ContainsKey('Reason')) { Write-Host "Windows stage skipped: $($windows.Reason)." } # TestWindows
    else { Write-Host "Windows (Wine): $($windows.Passed) passed, $($windows.Failed) failed, $($windows.Skipped) skipped" }
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

# --- TestWindows: the Windows suite under Wine ---------------------------------------------------------------
# Debian's Wine implements iphlpapi over the host kernel, so the module's Windows code paths run for real here.
# Returns the counts like the other runners; @{ Reason } instead when Wine is not installed.
function Invoke-WindowsTests {
    if (-not (Get-Command wine -ErrorAction SilentlyContinue)) {
        return @{ Passed = 0; Failed = 0; Skipped = 0; Reason = 'wine is not installed (apt-get install wine64)' }
    }
    $started = [Diagnostics.Stopwatch]::StartNew()
    $hostDir = Join-Path $OutDir 'windows-host'
    Invoke-Native 'dotnet publish (Windows test host)' {
        dotnet publish (Join-Path $Root 'tests/WindowsHost/WindowsHost.csproj') -c Release -o $hostDir --nologo -v quiet | Out-Host
    }
    $work = Join-Path ([IO.Path]::GetTempPath()) "porttools-wine-$([guid]::NewGuid().ToString('N'))"
    $scratch = Join-Path $work 'scratch'
    New-Item -ItemType Directory $scratch | Out-Null
    $resultFile = Join-Path $scratch 'windows.json'
    # Headless and quiet, in a prefix of our own. W^X off: the CLR's double-mapped code pages crash under Wine.
    $environment = @{
        WINEPREFIX = (Join-Path $work 'prefix'); WINEDEBUG = '-all'; DOTNET_EnableWriteXorExecute = '0'; DISPLAY = $null
        WINEDLLOVERRIDES = 'mscoree,mshtml='
        PORTTOOLS_MODULE = (ConvertTo-WinePath (Join-Path $ModuleDir 'PortTools.psd1')); PORTTOOLS_WINE_SCRATCH = $scratch
    }
    $saved = @{}
    foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
    try {
        # No Mono or Gecko: the prefix is made without them (mscoree and mshtml off while booting); the .NET
        # app brings its own runtime, but Wine's loader still needs its builtin mscoree for IL-only DLLs.
        Invoke-Native 'wine wineboot' { wine wineboot -i 2>&1 | Out-Null }
        $env:WINEDLLOVERRIDES = 'mshtml='
        $runner = ConvertTo-WinePath (Join-Path $Root 'tests/Windows/Invoke-WindowsTests.ps1')
        # Bounded: a hung Wine must not hang CI. Wine's own chatter about the Z: volume is noise.
        & timeout 600 wine (Join-Path $hostDir 'pwsh-win.exe') -File $runner -PesterPath (ConvertTo-WinePath (Get-PesterModulePath)) -ResultPath (ConvertTo-WinePath $resultFile) 2>&1 |
            Where-Object { "$_" -notmatch 'FS volume label and serial are not available' } | Out-Host
        $exit = $LASTEXITCODE
        & wineserver -k
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
    $counts = if (Test-Path $resultFile) { Get-Content $resultFile | ConvertFrom-Json } else { $null }
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
    Write-Host ("Windows stage under Wine took {0:N0} s" -f $started.Elapsed.TotalSeconds)
    if (-not $counts) { return @{ Passed = 0; Failed = [Math]::Max(1, $exit); Skipped = 0 } }
    @{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed; Skipped = [int]$counts.Skipped }
}

# Wine's drive Z: is the Linux root.
function ConvertTo-WinePath([string] $Path) { 'Z:' + ($Path -replace '/', '\') }

function Invoke-TestWindows {
    $windows = Invoke-WindowsTests
    if ($windows.ContainsKey('Reason')) { Write-Host "Windows stage skipped: $($windows.Reason)." }
    Write-Host "$($windows.Passed) passed, $($windows.Failed) failed, $($windows.Skipped) skipped"
    if ($windows.Failed -gt 0) { exit 1 }
}
# --- end TestWindows -----------------------------------------------------------------------------------------

# --- Package: the PowerShell Gallery package ----------------------------------------------------------------
# PSResourceGet packs everything in the folder it is given, and names the package after the folder: a clean
# staging copy named PortTools. The version comes from the manifest, like the DLL's.
function Invoke-Package {
    $staging = Join-Path $OutDir 'package-staging/PortTools'
    $packageDir = Join-Path $OutDir 'package'
    foreach ($dir in (Split-Path $staging), $packageDir) { if (Test-Path $dir) { Remove-Item $dir -Recurse -Force } }
    New-Item -ItemType Directory $staging, $packageDir | Out-Null
    Copy-Item (Join-Path $ModuleDir '*') $staging -Recurse
    Compress-PSResource -Path $staging -DestinationPath $packageDir
    Remove-Item (Split-Path $staging) -Recurse -Force
    $package = @(Get-ChildItem $packageDir -Filter '*.nupkg')
    if ($package.Count -ne 1) { throw "Compress-PSResource made $($package.Count) packages in $packageDir, expected one." }
    Write-Host "Packaged $($package[0].FullName)"
}
# --- end Package ---------------------------------------------------------------------------------------------

function Invoke-Run {
    $exit = Invoke-ChildPwsh "Import-Module '$(Join-Path $ModuleDir 'PortTools.psd1')'; Get-PortConnection | Format-Table"
    if ($exit -ne 0) { exit $exit }
}

function Invoke-Bench {
    $exit = Invoke-ChildPwsh "& '$(Join-Path $Root 'tests/Benchmark/Measure-PortConnection.ps1')' -ModulePath '$(Join-Path $ModuleDir 'PortTools.psd1')'"
    if ($exit -ne 0) { exit $exit }
}

function Invoke-Docs {
    $exit = Invoke-ChildPwsh "& '$(Join-Path $Root 'src/Help/New-MissingHelpPage.ps1')' -ModulePath '$(Join-Path $ModuleDir 'PortTools.psd1')' -DocsPath '$(Join-Path $Root 'docs')'"
    if ($exit -ne 0) { exit $exit }
}

function Invoke-Fuzz {
    $report = Join-Path $OutDir 'fuzz-report.txt'
    New-Item -ItemType Directory $OutDir -Force | Out-Null
    Remove-Item $report -ErrorAction SilentlyContinue
    $env:PORTTOOLS_FUZZ_REPORT = $report
    if (-not $env:PORTTOOLS_FUZZ_SECONDS) { $env:PORTTOOLS_FUZZ_SECONDS = '30' }
    try {
        dotnet test (Join-Path $Root 'tests/PortTools.Tests/PortTools.Tests.csproj') -c $Configuration --nologo "-p:PortToolsDll=$(Join-Path $ModuleDir 'PortTools.dll')" --filter 'Category=Fuzz' | Out-Host
        $exit = $LASTEXITCODE
    }
    finally { Remove-Item env:PORTTOOLS_FUZZ_REPORT, env:PORTTOOLS_FUZZ_SECONDS }
    if (Test-Path $report) { Get-Content $report | Write-Host }
    if ($exit -ne 0) { exit $exit }
}

foreach ($name in $Tasks) {
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Package; Invoke-Test }
        'TestWindows' { Invoke-Build; Invoke-TestWindows }
        'Pester' { Invoke-Build; Invoke-Package; Invoke-Stage { Invoke-PesterTests } }
        'PesterAsNobody' { Invoke-Build; Invoke-Package; Invoke-Stage { Invoke-PesterAsNobody } }
        'Xunit' { Invoke-Build; Invoke-Stage { Invoke-XunitTests } }
        'Clean' { Invoke-Clean }
        'Run' { Invoke-Build; Invoke-Run }
        'Bench' { Invoke-Build; Invoke-Bench }
        'Docs' { Invoke-Build; Invoke-Docs }
        'Package' { Invoke-Build; Invoke-Package }
        'Fuzz' { Invoke-Build; Invoke-Fuzz }
        default { throw "Unknown task '$name'. Tasks: Build, Test, TestWindows, Pester, PesterAsNobody, Xunit, Clean, Run, Bench, Docs, Package, Fuzz." }
    }
}
