<#
.SYNOPSIS
    Runs Pester test files as the user nobody, with a PATH without ip, ss, nstat, setpriv, unshare, getent and
    OpenSSH: the suite as a machine without root or those tools runs it. Tests that need them must end skipped,
    with their reason, never failed. Needs root (setpriv) to start, and a repository nobody can read.
.DESCRIPTION
    build.ps1 -Task PesterAsNobody runs every tests/*.Tests.ps1 this way; tests/Unprivileged.Tests.ps1 runs two of
    them in each test run. Returns the counts, the failures and the distinct skip reasons.
.EXAMPLE
    dotnet pwsh -File build.ps1 -Task PesterAsNobody -Path tests/Get-RouteTable.Tests.ps1
#>
param(
    [Parameter(Mandatory)] [string[]] $Path,
    [Parameter(Mandatory)] [string] $ModulePath,
    # The Pester module folder (the one holding Pester.psd1).
    [Parameter(Mandatory)] [string] $PesterPath
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Prerequisites.ps1')
. (Join-Path $PSScriptRoot 'NobodyHelpers.ps1')
if ($reason = Get-MissingPrerequisite nobody) { throw "Cannot run the tests as nobody: $reason." }

$sandbox = New-NobodySandbox $ModulePath $PesterPath
try {
    # Package.Tests.ps1 finds the package beside the module folder.
    $package = Join-Path (Split-Path (Split-Path $ModulePath)) 'package'
    if (Test-Path $package) { Copy-Item $package (Join-Path $sandbox 'package') -Recurse; & chmod -R a+rX (Join-Path $sandbox 'package') }
    $files = ($Path | ForEach-Object { "'$((Resolve-Path $_).Path)'" }) -join ', '
    Invoke-AsNobody $sandbox -Path (New-PathWithout (Join-Path $sandbox 'bin')) -Environment @{ PORTTOOLS_MODULE = "$sandbox/PortTools/PortTools.psd1" } @"
Import-Module '$sandbox/Pester/Pester.psd1'
`$config = New-PesterConfiguration
`$config.Run.Path = @($files)
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'None'
# Only the JSON below on stdout: warnings and host output of the tests (a listing's owner warning) go nowhere.
`$result = Invoke-Pester -Configuration `$config 3>`$null 6>`$null
[pscustomobject]@{
    Passed = `$result.PassedCount
    Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount
    Skipped = `$result.SkippedCount
    Failures = @(`$result.Failed + `$result.FailedBlocks | ForEach-Object { `$_.ExpandedPath + ': ' + `$_.ErrorRecord[0].Exception.Message }) +
        @(`$result.FailedContainers | ForEach-Object { "`$(`$_.Item): `$(`$_.ErrorRecord[0].Exception.Message)" })
    Reasons = @(`$result.Skipped | ForEach-Object { `$_.ErrorRecord[0].Exception.Message -replace '^is skipped, because ' } | Sort-Object -Unique)
} | ConvertTo-Json -Depth 3
"@
}
finally { Remove-Item $sandbox -Recurse -Force -ErrorAction SilentlyContinue }
