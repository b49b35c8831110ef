#Requires -Modules Pester
# Get-Help for every exported cmdlet: it comes from docs/<Cmdlet>.md through the built MAML, it is not the stub
# PowerShell generates, and what it documents equals the cmdlet's real parameters, sets, pipeline input and output.
# A cmdlet or parameter added without docs fails here.

BeforeDiscovery {
    $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $modulePath -Force
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $script:Cmdlets = foreach ($command in Get-Command -Module PortTools -CommandType Cmdlet) {
        @{
            Name       = $command.Name
            Parameters = @($command.Parameters.Values | Where-Object Name -NotIn $common | ForEach-Object { @{ Parameter = $_.Name } })
        }
    }
}

BeforeAll {
    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $ModulePath -Force
    Import-Module (Join-Path $PSScriptRoot '../src/Help/HelpMarkdown.psm1') -Force
    $script:DocsPath = Join-Path $PSScriptRoot '../docs'
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    # The yaml entry of a documented parameter that covers a set ((All) covers every set).
    function Get-DocEntry($DocParameter, [string] $SetName) {
        $DocParameter.Entries | Where-Object { $_.ParameterSets -contains '(All)' -or $_.ParameterSets -contains $SetName } | Select-Object -First 1
    }

    # What PowerShell itself accepts for a parameter: enum names or a ValidateSet; nothing otherwise.
    function Get-AcceptedValue([System.Management.Automation.ParameterMetadata] $Parameter) {
        $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        if ($set) { return $set.ValidValues }
        $type = $Parameter.ParameterType
        if ($type.IsArray) { $type = $type.GetElementType() }
        $type = [Nullable]::GetUnderlyingType($type) ?? $type
        if ($type.IsEnum) { [enum]::GetNames($type) }
    }

    function Format-Pipeline([bool] $ByValue, [bool] $ByPropertyName) {
        "ByValue=$ByValue ByPropertyName=$ByPropertyName"
    }
}

Describe 'Help for <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $page = Join-Path $DocsPath "$Name.md"
        $doc = if (Test-Path $page) { Read-HelpMarkdown -Path $page }
        $real = @($command.Parameters.Values | Where-Object Name -NotIn $Common)
    }

    It 'has a page docs/<Name>.md in the platyPS schema' {
        $page | Should -Exist
        $doc.Name | Should -Be $Name
        $doc.Metadata['external help file'] | Should -Be 'PortTools.dll-Help.xml'
        $doc.Metadata['Module Name'] | Should -Be 'PortTools'
    }

    It 'has no {{ placeholders }} left from New-HelpMarkdown or platyPS' {
        Get-Content $page -Raw | Should -Not -Match '\{\{.*\}\}'
    }

    It 'is the help from the MAML file, not the generated stub' {
        # The stub's synopsis is the syntax line and it has no description.
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name*"
        $help.Synopsis.Trim() | Should -Be $doc.Synopsis
        ($help.description.Text -join "`n").Trim() | Should -Not -BeNullOrEmpty
        $help.description[0].Text.Trim() | Should -Be ($doc.Description -split "`n`n")[0]
    }

    It 'has at least two examples, each with code' {
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        @($help.examples.example).Count | Should -Be $doc.Examples.Count
        foreach ($example in $help.examples.example) { $example.code | Should -Not -BeNullOrEmpty }
    }

    It 'documents exactly the real parameters' {
        $documented = @($doc.Parameters.Name | Sort-Object)
        $documented | Should -Be @($real.Name | Sort-Object)
        @($help.parameters.parameter.name | Sort-Object) | Should -Be @($real.Name | Sort-Object)
    }

    It 'documents -<Parameter>: type, aliases, wildcards, accepted values, description' -ForEach $Parameters {
        $p = $command.Parameters[$Parameter]
        $d = $doc.Parameters | Where-Object Name -EQ $Parameter
        $d | Should -Not -BeNullOrEmpty -Because "-$Parameter has no '### -$Parameter' in docs/$Name.md"
        $d.Type | Should -Be $p.ParameterType.Name
        @($d.Aliases | Sort-Object) | Should -Be @($p.Aliases | Sort-Object)
        $wildcards = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        $d.Wildcards | Should -Be $wildcards
        @($d.AcceptedValues) | Should -Be @(Get-AcceptedValue $p)
        $d.Description | Should -Not -BeNullOrEmpty
        # And Get-Help -Parameter shows the same.
        $h = Get-Help $Name -Parameter $Parameter
        $h.type.name | Should -Be $p.ParameterType.Name
        $h.globbing | Should -Be $wildcards.ToString().ToLowerInvariant()
        ($h.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'documents the parameter sets: names, default, and per set the parameters, required, position and pipeline input' {
        $realSets = @($command.ParameterSets)
        @($doc.ParameterSets.Name | Sort-Object) | Should -Be @($realSets.Name | Sort-Object)
        @($doc.ParameterSets | Where-Object IsDefault).Name | Should -Be @($realSets | Where-Object { $_.IsDefault -and $realSets.Count -gt 1 }).Name
        foreach ($set in $realSets) {
            $setParameters = @($set.Parameters | Where-Object Name -NotIn $Common)
            $inDoc = @($doc.Parameters | Where-Object { Get-DocEntry $_ $set.Name })
            @($inDoc.Name | Sort-Object) | Should -Be @($setParameters.Name | Sort-Object) -Because "set $($set.Name)"
            $docSet = $doc.ParameterSets | Where-Object Name -EQ $set.Name
            @($docSet.Order | Sort-Object) | Should -Be @($setParameters.Name | Sort-Object) -Because "the SYNTAX block of set $($set.Name)"
            foreach ($p in $setParameters) {
                $entry = Get-DocEntry ($doc.Parameters | Where-Object Name -EQ $p.Name) $set.Name
                $because = "-$($p.Name) in set $($set.Name)"
                $entry.Required | Should -Be $p.IsMandatory -Because $because
                $entry.Position | Should -Be $(if ($p.Position -lt 0) { 'Named' } else { [string]$p.Position }) -Because $because
                (Format-Pipeline $entry.ByValue $entry.ByPropertyName) |
                    Should -Be (Format-Pipeline $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName) -Because $because
            }
        }
    }

    It 'shows one syntax per parameter set in Get-Help, with the real parameters, required and positions' {
        $items = @($help.syntax.syntaxItem)
        $items.Count | Should -Be $command.ParameterSets.Count
        $shown = foreach ($item in $items) {
            (@($item.parameter | ForEach-Object {
                        $position = if ($_.position -eq 'named') { 'named' } else { $_.position }
                        "$($_.name):$($_.required):$position"
                    }) | Sort-Object) -join ' '
        }
        $expected = foreach ($set in $command.ParameterSets) {
            (@($set.Parameters | Where-Object Name -NotIn $Common | ForEach-Object {
                        $position = if ($_.Position -lt 0) { 'named' } else { [string]$_.Position }
                        "$($_.Name):$($_.IsMandatory.ToString().ToLowerInvariant()):$position"
                    }) | Sort-Object) -join ' '
        }
        @($shown | Sort-Object) | Should -Be @($expected | Sort-Object)
    }

    It 'names the types it takes from the pipeline under INPUTS' {
        $pipelineTypes = @($real | Where-Object { $_.Attributes | Where-Object { $_ -is [Parameter] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } } |
                ForEach-Object { $_.ParameterType.FullName } | Sort-Object -Unique)
        $documented = @($doc.Inputs.Type | Where-Object { $_ -ne 'None' } | Sort-Object -Unique)
        $documented | Should -Be $pipelineTypes
    }

    It 'names its [OutputType] under OUTPUTS' {
        $outputTypes = @($command.OutputType.Name | Sort-Object -Unique)
        $outputTypes.Count | Should -BeGreaterThan 0
        @($doc.Outputs.Type | Sort-Object -Unique) | Should -Be $outputTypes
        @($help.returnValues.returnValue.type.name | Sort-Object -Unique) | Should -Be $outputTypes
    }

    It 'ends SYNTAX and PARAMETERS with CommonParameters as platyPS writes them' {
        $doc.SupportsCommonParameters | Should -BeTrue
        $text = Get-Content $page -Raw
        $text | Should -Match ([regex]::Escape("### CommonParameters`n$CommonParametersText") -replace '\\n', '\r?\n')
        $syntaxBlocks = [regex]::Matches(($text -split '## DESCRIPTION')[0], '(?ms)^```\r?\n(.*?)^```')
        $syntaxBlocks.Count | Should -Be $command.ParameterSets.Count
        foreach ($block in $syntaxBlocks) { $block.Groups[1].Value.TrimEnd() | Should -BeLike '*`[<CommonParameters>`]' }
    }

    It 'opens the project docs page with -Online' {
        $online = "https://github.com/porttools/PortTools/blob/main/docs/$Name.md"
        $doc.Metadata['online version'] | Should -Be $online
        # Get-Help -Online opens the first related link with an absolute uri.
        $first = @($help.relatedLinks.navigationLink | Where-Object { $_.uri -match '^https?://' })[0]
        $first.uri | Should -Be $online
        # And it really opens it: on Linux, Get-Help -Online starts xdg-open with the address; a stand-in records it.
        $bin = Join-Path $TestDrive "bin-$Name"
        New-Item -ItemType Directory $bin | Out-Null
        $opened = Join-Path $bin 'opened'
        Set-Content (Join-Path $bin 'xdg-open') "#!/bin/sh`necho `"`$@`" > '$opened'`n" -NoNewline
        & chmod +x (Join-Path $bin 'xdg-open')
        $savedPath = $env:PATH
        $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
        try { Get-Help $Name -Online } finally { $env:PATH = $savedPath }
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (-not (Test-Path $opened) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Start-Sleep -Milliseconds 100
        (Get-Content $opened -Raw).Trim() | Should -Be $online
    }

    It 'links only to pages that exist or to absolute addresses' {
        foreach ($link in $doc.Links) {
            if ($link.Uri -notmatch '^https?://') { Join-Path $DocsPath $link.Uri | Should -Exist }
        }
    }
}

Describe 'docs/ as a whole' {
    It 'has no cmdlet page for a cmdlet the module does not export' {
        $exported = @(Get-Command -Module PortTools -CommandType Cmdlet).Name
        $pages = Get-ChildItem $DocsPath -Filter *.md | Where-Object { (Get-Content $_.FullName -Raw) -match '(?m)^external help file:' }
        foreach ($page in $pages) { $exported | Should -Contain $page.BaseName }
    }

    It 'lists every exported cmdlet, with its synopsis, on the module page PortTools.md' {
        $modulePage = Get-Content (Join-Path $DocsPath 'PortTools.md') -Raw
        $modulePage | Should -Match '(?m)^Module Name: PortTools\s*$'
        $listed = [regex]::Matches($modulePage, '(?m)^### \[([\w-]+)\]\(([\w-]+)\.md\)\s*\r?\n(.+)$')
        @($listed | ForEach-Object { $_.Groups[1].Value } | Sort-Object) |
            Should -Be @(Get-Command -Module PortTools -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
        foreach ($m in $listed) {
            $m.Groups[2].Value | Should -Be $m.Groups[1].Value
            $m.Groups[3].Value.Trim() | Should -Be (Read-HelpMarkdown -Path (Join-Path $DocsPath "$($m.Groups[1].Value).md")).Synopsis
        }
    }
}

Describe 'about_PortTools' {
    It 'is shipped as en-US/about_PortTools.help.txt and shown by Get-Help' {
        Join-Path (Split-Path $ModulePath) 'en-US/about_PortTools.help.txt' | Should -Exist
        $text = Get-Help about_PortTools | Out-String
        $text | Should -Match 'about_PortTools'
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'Get-PortConnection'
    }

    It 'is found before the module is imported, when the module is on PSModulePath' {
        $env:PSModulePath, $saved = (Split-Path (Split-Path $ModulePath)) + [IO.Path]::PathSeparator + $env:PSModulePath, $env:PSModulePath
        # This session's own PowerShell, whoever runs the tests (dotnet pwsh would need the local tool restored for them).
        try { $text = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command '(Get-Module PortTools).Count; Get-Help about_PortTools | Out-String' }
        finally { $env:PSModulePath = $saved }
        $text[0] | Should -Be '0'
        ($text -join "`n") | Should -Match 'SHORT DESCRIPTION'
    }

    It 'fits 80 columns, as about topics must' {
        foreach ($line in Get-Content (Join-Path (Split-Path $ModulePath) 'en-US/about_PortTools.help.txt')) {
            $line.Length | Should -BeLessOrEqual 80 -Because $line
        }
    }

    It 'names every exported cmdlet' {
        $text = Get-Content (Join-Path (Split-Path $ModulePath) 'en-US/about_PortTools.help.txt') -Raw
        foreach ($name in (Get-Command -Module PortTools -CommandType Cmdlet).Name) { $text | Should -Match ([regex]::Escape($name)) }
    }
}

Describe 'Get-Help -Parameter' {
    It 'shows the accepted values of <Command> -<Parameter>' -ForEach @(
        @{ Command = 'Get-PortConnection'; Parameter = 'State' }
        @{ Command = 'Get-PortConnection'; Parameter = 'Protocol' }
        @{ Command = 'Resolve-WellKnownPort'; Parameter = 'Protocol' }
    ) {
        $values = [Enum]::GetNames((Get-Command $Command).Parameters[$Parameter].ParameterType.GetElementType())
        $text = (Get-Help $Command -Parameter $Parameter | Out-String -Width 400) -replace '\s+', ' '
        $text | Should -Match ([regex]::Escape("Accepted values: $($values -join ', ')"))
    }
}

Describe 'Empty lists' {
    It 'are refused by every array parameter of <Name>, never read as all or none' -ForEach @(
        Get-Command -Module PortTools -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }
    ) {
        foreach ($parameter in (Get-Command $Name).Parameters.Values | Where-Object { $_.ParameterType.IsArray }) {
            $arguments = @{ $parameter.Name = @() }
            { & $Name @arguments -ErrorAction Stop } | Should -Throw -Because "-$($parameter.Name) @()"
        }
    }
}
