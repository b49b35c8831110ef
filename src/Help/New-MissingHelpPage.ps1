<#
.SYNOPSIS
    Writes docs/<Verb-Noun>.md for every cmdlet of the module that has no page yet, as platyPS's
    New-MarkdownHelp would (SYNTAX, PARAMETERS yaml, INPUTS, OUTPUTS from the cmdlet; {{ placeholders }} for prose).
.DESCRIPTION
    Run it in a fresh pwsh (build.ps1 -Task Docs does), since it imports the built module. Existing pages are left
    alone. Then fill in the placeholders, add the cmdlet to docs/PortTools.md and docs/about_PortTools.md, and run
    the tests: tests/Help.Tests.ps1 fails while a placeholder is left.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'HelpMarkdown.psm1') -Force
$module = (Import-PowerShellDataFile $ModulePath).RootModule -replace '\.dll$', ''
foreach ($command in Get-Command -Module $module -CommandType Cmdlet) {
    $page = Join-Path $DocsPath "$($command.Name).md"
    if (Test-Path $page) { continue }
    New-HelpMarkdown -Command $command | Set-Content -LiteralPath $page -Encoding utf8NoBOM -NoNewline
    Write-Host "Wrote ${page}: fill in the {{ }} placeholders; add $($command.Name) to docs/PortTools.md and docs/about_PortTools.md."
}
