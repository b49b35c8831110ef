#Requires -Modules Pester
# src/Help: the platyPS-markdown reader, the MAML and about-text writers, and the page generator, on pages built
# here (a switch, a parameter whose position differs between sets, escapes, CRLF) and on the module's own cmdlets.

BeforeDiscovery {
    $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $modulePath -Force
    $script:Cmdlets = @(Get-Command -Module PortTools -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $modulePath -Force
    Import-Module (Join-Path $PSScriptRoot '../src/Help/HelpMarkdown.psm1') -Force
    $script:Converter = Join-Path $PSScriptRoot '../src/Help/ConvertTo-MamlHelp.ps1'

    # A page as platyPS writes it for a two-set cmdlet: -Path is positional 0 in one set and named (and mandatory)
    # in the other, -Force is a switch, the prose has platyPS escapes.
    $script:Page = @'
---
external help file: Sample.dll-Help.xml
Module Name: Sample
online version: https://example.org/Get-Sample.md
schema: 2.0.0
---

# Get-Sample

## SYNOPSIS
Gets \<samples\> from a \[store\].

## SYNTAX

### ByPath (Default)
```
Get-Sample [-Path] <String> [-Force] [<CommonParameters>]
```

### ById
```
Get-Sample -Id <Int32> -Path <String> [<CommonParameters>]
```

## DESCRIPTION
First paragraph,
wrapped.

Second paragraph.

## EXAMPLES

### Example 1: One
```powershell
Get-Sample ./a
```

```Output
a
```

It gets a.

### Example 2: Two
```powershell
Get-Sample -Id 1 -Path ./b
```

## PARAMETERS

### -Force
Forces it.

```yaml
Type: SwitchParameter
Parameter Sets: ByPath
Aliases: f

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### -Id
The id.

```yaml
Type: Int32
Parameter Sets: ById
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
```

### -Path
The path.

```yaml
Type: String
Parameter Sets: ByPath
Aliases:

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: True
```

```yaml
Type: String
Parameter Sets: ById
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: True
```

### CommonParameters
This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).

## INPUTS

### System.String

## OUTPUTS

### Sample.Item
One per sample.

## NOTES
Note one.

## RELATED LINKS

[about_Sample](about_Sample.md)

[Online Version](https://example.org/Get-Sample.md)
'@
    function Write-Page([string] $Text, [string] $Name = 'Get-Sample.md', [string] $Folder = $TestDrive) {
        $path = Join-Path $Folder $Name
        Set-Content -LiteralPath $path -Value $Text -NoNewline
        $path
    }
    function Get-Maml([object[]] $Help) {
        $xml = [xml](ConvertTo-MamlXml -Help $Help)
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        [pscustomobject]@{ Xml = $xml; Ns = $ns }
    }
}

Describe 'Read-HelpMarkdown' {
    It 'reads every section of a platyPS page, with LF or CRLF line ends' -ForEach @(@{ Ending = "`n" }, @{ Ending = "`r`n" }) {
        $help = Read-HelpMarkdown -Path (Write-Page ($Page -replace '\r?\n', $Ending))
        $help.Name | Should -Be 'Get-Sample'
        $help.Metadata['online version'] | Should -Be 'https://example.org/Get-Sample.md'
        $help.Synopsis | Should -Be 'Gets <samples> from a [store].'
        $help.Description | Should -Be "First paragraph, wrapped.`n`nSecond paragraph."
        $help.ParameterSets.Name | Should -Be @('ByPath', 'ById')
        $help.ParameterSets.IsDefault | Should -Be @($true, $false)
        $help.ParameterSets[1].Order | Should -Be @('Id', 'Path')
        $help.Examples.Count | Should -Be 2
        $help.Examples[0].Code.Language | Should -Be @('powershell', 'Output')
        $help.Examples[0].Remarks | Should -Be 'It gets a.'
        $help.Parameters.Name | Should -Be @('Force', 'Id', 'Path')
        $help.SupportsCommonParameters | Should -BeTrue
        $help.Inputs.Type | Should -Be 'System.String'
        $help.Outputs[0].Description | Should -Be 'One per sample.'
        $help.Notes | Should -Be 'Note one.'
        $help.Links.Uri | Should -Be @('about_Sample.md', 'https://example.org/Get-Sample.md')
    }

    It 'keeps one yaml entry per group of sets' {
        $path = (Read-HelpMarkdown -Path (Write-Page $Page)).Parameters | Where-Object Name -EQ 'Path'
        $path.Entries.Count | Should -Be 2
        $path.Entries[0].Position | Should -Be '0'
        $path.Entries[0].ByValue | Should -BeTrue
        $path.Entries[1].ParameterSets | Should -Be 'ById'
        $path.Entries[1].Position | Should -Be 'Named'
        $path.Wildcards | Should -BeTrue
    }

    It 'refuses <Why>' -ForEach @(
        @{ Why = 'a page without schema 2.0.0'; From = 'schema: 2.0.0'; To = 'schema: 1.0.0'; Message = 'schema: 2.0.0' }
        @{ Why = 'a page without SYNOPSIS'; From = '## SYNOPSIS'; To = '## SUMMARY'; Message = 'SYNOPSIS' }
        @{ Why = 'a parameter without its yaml block'; From = '```yaml\nType: Int32\n'; To = '```text\nType: Int32\n'; Message = 'no yaml block' }
        @{ Why = 'a yaml block without Required'; From = 'Required: True\nPosition: 0'; To = 'Position: 0'; Message = "no 'Required'" }
        @{ Why = 'an example without code'; From = '```powershell\nGet-Sample -Id 1 -Path ./b\n```'; To = 'Get-Sample -Id 1'; Message = 'no code block' }
        @{ Why = 'an unclosed code block'; From = '```Output\na\n```'; To = '```Output\na\n'; Message = 'not closed' }
    ) {
        $broken = $Page.Replace($From.Replace('\n', "`n"), $To.Replace('\n', "`n"))
        $broken | Should -Not -Be $Page
        { Read-HelpMarkdown -Path (Write-Page $broken) } | Should -Throw "*$Message*"
    }
}

Describe 'ConvertTo-MamlXml' {
    BeforeAll {
        $maml = Get-Maml (Read-HelpMarkdown -Path (Write-Page $Page))
        $command = $maml.Xml.SelectSingleNode('//command:command', $maml.Ns)
        function Select-Maml([string] $XPath) { @($command.SelectNodes($XPath, $maml.Ns)) }
    }

    It 'names the command as Get-Help needs (command:details/command:name, verb, noun)' {
        (Select-Maml 'command:details/command:name').InnerText | Should -Be 'Get-Sample'
        (Select-Maml 'command:details/command:verb').InnerText | Should -Be 'Get'
        (Select-Maml 'command:details/command:noun').InnerText | Should -Be 'Sample'
        (Select-Maml 'command:details/maml:description/maml:para').InnerText | Should -Be 'Gets <samples> from a [store].'
        (Select-Maml 'maml:description/maml:para').InnerText | Should -Be @('First paragraph, wrapped.', 'Second paragraph.')
    }

    It 'writes one syntax item per set, with the position and required of that set' {
        $items = @(Select-Maml 'command:syntax/command:syntaxItem')
        $items.Count | Should -Be 2
        $byPath = @($items[0].SelectNodes('command:parameter', $maml.Ns))
        $byPath.ForEach({ $_.SelectSingleNode('maml:name', $maml.Ns).InnerText }) | Should -Be @('Path', 'Force')
        $byPath[0].GetAttribute('position') | Should -Be '0'
        $byPath[0].GetAttribute('pipelineInput') | Should -Be 'True (ByValue)'
        $byId = @($items[1].SelectNodes('command:parameter', $maml.Ns))
        $byId.ForEach({ $_.SelectSingleNode('maml:name', $maml.Ns).InnerText }) | Should -Be @('Id', 'Path')
        $byId[1].GetAttribute('position') | Should -Be 'named'
        $byId[0].GetAttribute('pipelineInput') | Should -Be 'True (ByPropertyName)'
    }

    It 'gives a switch no value, and other parameters their type' {
        $force = @(Select-Maml "command:parameters/command:parameter[maml:name='Force']")
        @($force[0].SelectNodes('command:parameterValue', $maml.Ns)).Count | Should -Be 0
        $force[0].GetAttribute('aliases') | Should -Be 'f'
        $path = @(Select-Maml "command:parameters/command:parameter[maml:name='Path']")
        $path[0].SelectSingleNode('command:parameterValue', $maml.Ns).InnerText | Should -Be 'String'
        $path[0].GetAttribute('globbing') | Should -Be 'true'
    }

    It 'writes inputs, outputs, notes, examples (code blocks joined) and links' {
        (Select-Maml 'command:inputTypes/command:inputType/dev:type/maml:name').InnerText | Should -Be 'System.String'
        (Select-Maml 'command:returnValues/command:returnValue/dev:type/maml:name').InnerText | Should -Be 'Sample.Item'
        (Select-Maml 'maml:alertSet/maml:alert/maml:para').InnerText | Should -Be 'Note one.'
        $examples = @(Select-Maml 'command:examples/command:example')
        $examples.Count | Should -Be 2
        $examples[0].SelectSingleNode('dev:code', $maml.Ns).InnerText | Should -Be "Get-Sample ./a`n`na"
        $examples[0].SelectSingleNode('maml:title', $maml.Ns).InnerText | Should -Match 'Example 1: One'
        $examples[0].SelectSingleNode('dev:remarks/maml:para', $maml.Ns).InnerText | Should -Be 'It gets a.'
        # A relative link keeps its text but no uri, so the first absolute one is what -Online opens.
        (Select-Maml 'command:relatedLinks/maml:navigationLink/maml:uri').InnerText | Should -Be @('', 'https://example.org/Get-Sample.md')
    }
}

Describe 'ConvertTo-MamlHelp.ps1' {
    It 'writes the MAML for cmdlet pages and text for about pages, and skips the module page' {
        $docs = Join-Path $TestDrive 'docs'
        $outDir = Join-Path $TestDrive 'en-US'
        New-Item -ItemType Directory $docs | Out-Null
        Write-Page $Page -Folder $docs | Out-Null
        Write-Page "---`nModule Name: Sample`n---`n`n# Sample Module`n## Description`nx`n" -Name 'Sample.md' -Folder $docs | Out-Null
        Write-Page "# Sample`n## about_Sample`n`n# SHORT DESCRIPTION`nShort \<text\>.`n`n# LONG DESCRIPTION`nLong.`n`n## A subtopic`nMore.`n`n# EXAMPLES`n``````powershell`nGet-Sample ./a`n```````n" -Name 'about_Sample.md' -Folder $docs | Out-Null
        & $Converter -DocsPath $docs -OutputPath $outDir -HelpFile 'Sample.dll-Help.xml'
        @(Get-ChildItem $outDir | ForEach-Object Name | Sort-Object) | Should -Be @('about_Sample.help.txt', 'Sample.dll-Help.xml')
        ([xml](Get-Content (Join-Path $outDir 'Sample.dll-Help.xml') -Raw)).helpItems.command.details.name | Should -Be 'Get-Sample'
        $about = Get-Content (Join-Path $outDir 'about_Sample.help.txt')
        $about | Should -Be @('TOPIC', '    about_Sample', '', 'SHORT DESCRIPTION', '    Short <text>.', '', 'LONG DESCRIPTION', '    Long.', '',
            '    A SUBTOPIC', '    More.', '', 'EXAMPLES', '        Get-Sample ./a')
    }
}

Describe 'New-HelpMarkdown on <Name>' -ForEach $Cmdlets {
    # The generator writes what the committed page says about parameters, sets, pipeline input and outputs; the
    # committed page is checked against the cmdlet in Help.Tests.ps1.
    BeforeAll {
        $generated = Read-HelpMarkdown -Path (Write-Page (New-HelpMarkdown -Command (Get-Command $Name)) -Name "$Name.md")
        $committed = Read-HelpMarkdown -Path (Join-Path $PSScriptRoot "../docs/$Name.md")
        function Get-Shape($Help) {
            [pscustomobject]@{
                Sets       = @($Help.ParameterSets | ForEach-Object { "$($_.Name) default=$($_.IsDefault) [$(@($_.Order | Sort-Object) -join ',')]" })
                Parameters = @($Help.Parameters | Sort-Object Name | ForEach-Object {
                        $p = $_
                        "$($p.Name) $($p.Type) aliases=$($p.Aliases -join ',') values=$($p.AcceptedValues -join ',') wildcards=$($p.Wildcards) " +
                        (@($p.Entries | ForEach-Object { "[$($_.ParameterSets -join ',') required=$($_.Required) position=$($_.Position) $($_.PipelineInput)]" }) -join ' ')
                    })
                Inputs     = @($Help.Inputs.Type | Sort-Object)
                Outputs    = @($Help.Outputs.Type | Sort-Object)
                Online     = $Help.Metadata['online version']
                Common     = $Help.SupportsCommonParameters
            } | ConvertTo-Json
        }
    }

    It 'generates the same sets, parameters, inputs and outputs as docs/<Name>.md' {
        Get-Shape $generated | Should -Be (Get-Shape $committed)
    }

    It 'marks the prose as {{ placeholders }}' {
        $generated.Synopsis | Should -Match '^\{\{.*\}\}$'
        $generated.Description | Should -Match '^\{\{.*\}\}$'
    }
}
