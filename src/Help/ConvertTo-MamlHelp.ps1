<#
.SYNOPSIS
    Builds the module's offline help from docs/: MAML for every cmdlet page, plain text for every about_ page.
.DESCRIPTION
    docs/<Verb-Noun>.md (platyPS 0.14 schema)  ->  <OutputPath>/<HelpFile>   (default PortTools.dll-Help.xml)
    docs/about_<Topic>.md                      ->  <OutputPath>/about_<Topic>.help.txt
    docs/<Module>.md (the module page, "Module Name" without "external help file") is not help: skipped.
    Needs no platyPS; see src/Help/HelpMarkdown.psm1.
.EXAMPLE
    ./src/Help/ConvertTo-MamlHelp.ps1 -DocsPath docs -OutputPath out/PortTools/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    [string] $HelpFile = 'PortTools.dll-Help.xml'
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'HelpMarkdown.psm1') -Force

New-Item -ItemType Directory -Force $OutputPath | Out-Null
$pages = Get-ChildItem -LiteralPath $DocsPath -Filter *.md | Sort-Object Name

$cmdlets = foreach ($page in $pages | Where-Object Name -NotLike 'about_*') {
    $text = Get-Content -LiteralPath $page.FullName -Raw
    if ($text -notmatch '(?m)^external help file:') { continue }   # the module page
    Read-HelpMarkdown -Path $page.FullName
}
$maml = Join-Path $OutputPath $HelpFile
ConvertTo-MamlXml -Help $cmdlets | Set-Content -LiteralPath $maml -Encoding utf8NoBOM
Write-Verbose "$maml ($(@($cmdlets).Count) cmdlets)"

foreach ($page in $pages | Where-Object Name -Like 'about_*') {
    $target = Join-Path $OutputPath ($page.BaseName + '.help.txt')
    ConvertTo-AboutText -Path $page.FullName | Set-Content -LiteralPath $target -Encoding utf8NoBOM -NoNewline
    Write-Verbose $target
}
