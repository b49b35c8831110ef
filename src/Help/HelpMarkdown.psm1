<#
    Reads cmdlet help written in the platyPS 0.14 markdown schema (schema: 2.0.0) and writes it as MAML, the
    XML that Get-Help reads; renders about_ topics as plain-text help. No platyPS needed: it is not
    installable here, and the build must not depend on the Gallery. Anyone with platyPS can keep editing
    docs/*.md with New-MarkdownHelp / Update-MarkdownHelp; this reads what they write.

    Read-HelpMarkdown   docs/<Cmdlet>.md -> one object (also used by tests/Help.Tests.ps1)
    ConvertTo-MamlXml   those objects -> the text of <Module>.dll-Help.xml
    ConvertTo-AboutText docs/about_<Topic>.md -> the text of about_<Topic>.help.txt
    New-HelpMarkdown    a cmdlet -> a new page as platyPS's New-MarkdownHelp writes it, {{ placeholders }} for prose
#>
Set-StrictMode -Version Latest

# What platyPS writes under ### CommonParameters, and the token it puts at the end of each syntax line.
$script:CommonParametersText = 'This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).'

# Splits lines into the sections that start with a heading of exactly $Level '#'s; fenced code is never a heading.
function Split-MarkdownSection([string[]] $Lines, [int] $Level) {
    $prefix = ('#' * $Level) + ' '
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Title = $null; Lines = [System.Collections.Generic.List[string]]::new() }
    $sections.Add($current)
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($prefix)) {
            $current = [pscustomobject]@{ Title = $line.Substring($prefix.Length).Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $sections.Add($current)
            continue
        }
        $current.Lines.Add($line)
    }
    $sections
}

# Prose and code blocks of a section body, in order: @{ Kind = 'Text' | 'Code'; Text; Language }.
function Split-MarkdownBlock([string[]] $Lines) {
    $blocks = [System.Collections.Generic.List[object]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $language = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```(.*)$') {
            if ($inFence) {
                $blocks.Add([pscustomobject]@{ Kind = 'Code'; Language = $language; Text = ($buffer -join "`n") })
            }
            else {
                $text = ConvertFrom-MarkdownProse $buffer
                if ($text) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Language = $null; Text = $text }) }
                $language = $Matches[1].Trim()
            }
            $buffer.Clear()
            $inFence = -not $inFence
            continue
        }
        $buffer.Add($line)
    }
    if ($inFence) { throw "A code block is not closed." }
    $text = ConvertFrom-MarkdownProse $buffer
    if ($text) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Language = $null; Text = $text }) }
    $blocks
}

# Markdown prose -> paragraphs separated by one blank line; lines of a paragraph joined with a space, list items
# kept on their own line; platyPS's backslash escapes (\< \> \[ \] \`) undone.
function ConvertFrom-MarkdownProse([string[]] $Lines) {
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = $null
    foreach ($line in $Lines) {
        $trimmed = $line.Trim()
        if ($trimmed -eq '' -or $trimmed -match '^<!--.*-->$') {
            if ($null -ne $current) { $paragraphs.Add($current); $current = $null }
            continue
        }
        $trimmed = $trimmed -replace '\\([<>\[\]`\\()])', '$1'
        if ($null -eq $current) { $current = $trimmed }
        elseif ($trimmed -match '^([-*+]|\d+\.) ') { $current += "`n" + $trimmed }
        else { $current += ' ' + $trimmed }
    }
    if ($null -ne $current) { $paragraphs.Add($current) }
    $paragraphs -join "`n`n"
}

function Get-SectionText($Section) {
    if ($null -eq $Section) { return '' }
    ConvertFrom-MarkdownProse $Section.Lines
}

# A platyPS parameter yaml block is flat "Key: value" lines.
function ConvertFrom-ParameterYaml([string] $Text) {
    $map = [ordered]@{}
    foreach ($line in $Text -split "`n") {
        if ($line -match '^\s*([A-Za-z][A-Za-z ]*):\s*(.*?)\s*$') { $map[$Matches[1]] = $Matches[2] }
    }
    foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position', 'Accept pipeline input', 'Accept wildcard characters') {
        if (-not $map.Contains($key)) { throw "The yaml block has no '$key'." }
    }
    $list = { param($v) @(if ($v) { $v -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ } }) }
    [pscustomobject]@{
        Type            = $map['Type']
        ParameterSets   = [string[]] @(& $list $map['Parameter Sets'])
        Aliases         = [string[]] @(& $list $map['Aliases'])
        AcceptedValues  = [string[]] @(& $list $map['Accepted values'])
        Required        = $map['Required'] -eq 'True'
        Position        = $map['Position']
        DefaultValue    = if ($map['Default value'] -and $map['Default value'] -ne 'None') { $map['Default value'] } else { '' }
        PipelineInput   = $map['Accept pipeline input']
        ByValue         = $map['Accept pipeline input'] -match 'ByValue'
        ByPropertyName  = $map['Accept pipeline input'] -match 'ByPropertyName'
        Wildcards       = $map['Accept wildcard characters'] -eq 'True'
    }
}

<#
.SYNOPSIS
    Parses one platyPS 0.14 cmdlet page into an object: Name, Metadata, Synopsis, ParameterSets, Description,
    Examples, Parameters, SupportsCommonParameters, Inputs, Outputs, Notes, Links.
#>
function Read-HelpMarkdown {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)

    $lines = (Get-Content -LiteralPath $Path -Raw) -replace "`r`n", "`n" -split "`n"
    $fail = { param($why) throw "${Path}: $why" }
    if (@($lines -match '^\s*```').Count % 2) { & $fail 'a code block is not closed (odd number of ``` lines).' }

    # Front matter: "key: value" lines between the first two '---' lines.
    $metadata = [ordered]@{}
    $start = 0
    if ($lines[0] -eq '---') {
        $end = [Array]::IndexOf($lines, '---', 1)
        if ($end -lt 0) { & $fail 'the front matter is not closed with ---.' }
        foreach ($line in $lines[1..($end - 1)]) {
            if ($line -match '^([^:]+):\s*(.*?)\s*$') { $metadata[$Matches[1].Trim()] = $Matches[2] }
        }
        $start = $end + 1
    }
    if ($metadata['schema'] -ne '2.0.0') { & $fail "the front matter must say 'schema: 2.0.0' (platyPS 0.14)." }

    $top = Split-MarkdownSection $lines[$start..($lines.Count - 1)] 1
    $titled = @($top | Where-Object Title)
    if ($titled.Count -ne 1) { & $fail 'expected exactly one "# <Cmdlet-Name>" heading.' }
    $name = $titled[0].Title
    $sections = @{}
    foreach ($s in Split-MarkdownSection $titled[0].Lines 2) { if ($s.Title) { $sections[$s.Title.ToUpperInvariant()] = $s } }
    foreach ($required in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.ContainsKey($required)) { & $fail "there is no '## $required' section." }
    }

    # SYNTAX: "### SetName" or "### SetName (Default)" before each code block; a single set has no heading.
    $sets = foreach ($s in Split-MarkdownSection $sections['SYNTAX'].Lines 3) {
        $code = @(Split-MarkdownBlock $s.Lines | Where-Object Kind -EQ 'Code')
        if ($code.Count -eq 0) { continue }
        $title = if ($s.Title) { $s.Title } else { '__AllParameterSets' }
        [pscustomobject]@{
            Name      = ($title -replace '\s*\(Default\)$', '')
            IsDefault = $title -match '\(Default\)$'
            # The order the syntax line shows; MAML syntax keeps it.
            Order     = [string[]] @([regex]::Matches($code[0].Text, '(?<=[\s\[])-(\w+)') | ForEach-Object { $_.Groups[1].Value })
        }
    }

    $examples = foreach ($s in Split-MarkdownSection $sections['EXAMPLES'].Lines 3) {
        if (-not $s.Title) { continue }
        $blocks = @(Split-MarkdownBlock $s.Lines)
        $firstCode = [Array]::FindIndex($blocks, [Predicate[object]] { param($b) $b.Kind -eq 'Code' })
        if ($firstCode -lt 0) { & $fail "'### $($s.Title)' has no code block." }
        $lastCode = [Array]::FindLastIndex($blocks, [Predicate[object]] { param($b) $b.Kind -eq 'Code' })
        [pscustomobject]@{
            Title        = $s.Title
            Introduction = (@($blocks[0..$firstCode] | Where-Object Kind -EQ 'Text' | ForEach-Object Text) -join "`n`n")
            Code         = @($blocks | Where-Object Kind -EQ 'Code')
            Remarks      = (@($blocks | Select-Object -Skip ($lastCode + 1) | Where-Object Kind -EQ 'Text' | ForEach-Object Text) -join "`n`n")
        }
    }

    $supportsCommon = $false
    $parameters = foreach ($s in Split-MarkdownSection $sections['PARAMETERS'].Lines 3) {
        if (-not $s.Title) { continue }
        if ($s.Title -eq 'CommonParameters') { $supportsCommon = $true; continue }
        if ($s.Title -notmatch '^-(\w+)$') { & $fail "'### $($s.Title)' under PARAMETERS is not '### -Name'." }
        $parameterName = $Matches[1]
        $blocks = @(Split-MarkdownBlock $s.Lines)
        $yaml = @($blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -eq 'yaml' })
        if ($yaml.Count -eq 0) { & $fail "'### $($s.Title)' has no yaml block." }
        $entries = @(foreach ($y in $yaml) {
                try { ConvertFrom-ParameterYaml $y.Text } catch { & $fail "'### $($s.Title)': $($_.Exception.Message)" }
            })
        [pscustomobject]@{
            Name        = $parameterName
            Description = (@($blocks | Where-Object Kind -EQ 'Text' | ForEach-Object Text) -join "`n`n")
            Entries     = $entries                 # one per group of parameter sets with the same metadata
            Type        = $entries[0].Type
            Aliases     = $entries[0].Aliases
            AcceptedValues = $entries[0].AcceptedValues
            DefaultValue = $entries[0].DefaultValue
            Wildcards   = $entries[0].Wildcards
        }
    }

    # INPUTS / OUTPUTS: "### TypeName" then an optional description.
    $types = {
        param($section)
        if ($null -eq $section) { return }
        foreach ($t in Split-MarkdownSection $section.Lines 3) {
            if ($t.Title) { [pscustomobject]@{ Type = $t.Title; Description = (ConvertFrom-MarkdownProse $t.Lines) } }
        }
    }
    $links = if ($sections.ContainsKey('RELATED LINKS')) {
        foreach ($line in $sections['RELATED LINKS'].Lines) {
            foreach ($m in [regex]::Matches($line, '\[([^\]]+)\]\(([^)]*)\)')) {
                [pscustomobject]@{ Text = $m.Groups[1].Value; Uri = $m.Groups[2].Value }
            }
        }
    }

    [pscustomobject]@{
        Name                     = $name
        Metadata                 = $metadata
        Synopsis                 = Get-SectionText $sections['SYNOPSIS']
        ParameterSets            = @($sets)
        Description              = Get-SectionText $sections['DESCRIPTION']
        Examples                 = @($examples)
        Parameters               = @($parameters)
        SupportsCommonParameters = $supportsCommon
        Inputs                   = @(& $types $sections['INPUTS'])
        Outputs                  = @(& $types $sections['OUTPUTS'])
        Notes                    = Get-SectionText $sections['NOTES']
        Links                    = @($links)
    }
}

# --- MAML ------------------------------------------------------------------------------------------------------

$script:Namespaces = [ordered]@{
    ''        = 'http://msh'
    'maml'    = 'http://schemas.microsoft.com/maml/2004/10'
    'command' = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    'dev'     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    'MSHelp'  = 'http://msdn.microsoft.com/mshelp'
}

function Write-Element([System.Xml.XmlWriter] $Writer, [string] $QName, [string] $Text, [hashtable] $Attributes = @{}) {
    $prefix, $local = $QName -split ':', 2
    $Writer.WriteStartElement($prefix, $local, $script:Namespaces[$prefix])
    foreach ($key in $Attributes.Keys | Sort-Object) { $Writer.WriteAttributeString($key, [string]$Attributes[$key]) }
    if ($null -ne $Text) { $Writer.WriteString($Text) }
    $Writer.WriteEndElement()
}

function Start-Element([System.Xml.XmlWriter] $Writer, [string] $QName, [hashtable] $Attributes = @{}) {
    $prefix, $local = $QName -split ':', 2
    $Writer.WriteStartElement($prefix, $local, $script:Namespaces[$prefix])
    foreach ($key in $Attributes.Keys | Sort-Object) { $Writer.WriteAttributeString($key, [string]$Attributes[$key]) }
}

# Paragraphs as <maml:para>, one per paragraph (Get-Help puts a blank line between them).
function Write-Paragraphs([System.Xml.XmlWriter] $Writer, [string] $Text) {
    foreach ($para in ($Text -split "`n`n")) { if ($para.Trim()) { Write-Element $Writer 'maml:para' $para.Trim() } }
}

function Write-Description([System.Xml.XmlWriter] $Writer, [string] $Text, [string] $Element = 'maml:description') {
    Start-Element $Writer $Element
    Write-Paragraphs $Writer $Text
    $Writer.WriteEndElement()
}

# One <command:parameter>; $Entry is the yaml block that applies (position and required differ between sets).
function Write-Parameter([System.Xml.XmlWriter] $Writer, $Parameter, $Entry) {
    $pipeline = if ($Entry.ByValue -and $Entry.ByPropertyName) { 'True (ByPropertyName, ByValue)' }
    elseif ($Entry.ByValue) { 'True (ByValue)' } elseif ($Entry.ByPropertyName) { 'True (ByPropertyName)' } else { 'False' }
    $isSwitch = $Parameter.Type -eq 'SwitchParameter'
    Start-Element $Writer 'command:parameter' @{
        required = $Entry.Required.ToString().ToLowerInvariant(); variableLength = 'true'
        globbing = $Entry.Wildcards.ToString().ToLowerInvariant(); pipelineInput = $pipeline
        position = if ($Entry.Position -eq 'Named') { 'named' } else { $Entry.Position }
        aliases = if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }
    }
    Write-Element $Writer 'maml:name' $Parameter.Name
    # Get-Help -Parameter prints the description but not parameterValueGroup: the accepted values go into the text too.
    $description = $Parameter.Description
    if ($Parameter.AcceptedValues.Count) { $description += "`n`nAccepted values: $($Parameter.AcceptedValues -join ', ')" }
    Write-Description $Writer $description
    if ($Parameter.AcceptedValues.Count) {
        Start-Element $Writer 'command:parameterValueGroup'
        foreach ($value in $Parameter.AcceptedValues) {
            Write-Element $Writer 'command:parameterValue' $value @{ required = 'false'; variableLength = 'false' }
        }
        $Writer.WriteEndElement()
    }
    if (-not $isSwitch) {
        Write-Element $Writer 'command:parameterValue' $Parameter.Type @{ required = 'true'; variableLength = 'false' }
    }
    Start-Element $Writer 'dev:type'
    Write-Element $Writer 'maml:name' $Parameter.Type
    Write-Element $Writer 'maml:uri' ''
    $Writer.WriteEndElement()
    Write-Element $Writer 'dev:defaultValue' $(if ($Parameter.DefaultValue) { $Parameter.DefaultValue } else { 'None' })
    $Writer.WriteEndElement()
}

# The yaml entry of a parameter that covers the set $SetName ((All) covers every set).
function Get-ParameterEntry($Parameter, [string] $SetName) {
    foreach ($entry in $Parameter.Entries) {
        if ($entry.ParameterSets -contains '(All)' -or $entry.ParameterSets -contains $SetName) { return $entry }
    }
}

function Write-Command([System.Xml.XmlWriter] $Writer, $Help) {
    $verb, $noun = $Help.Name -split '-', 2
    Start-Element $Writer 'command:command'
    Start-Element $Writer 'command:details'
    Write-Element $Writer 'command:name' $Help.Name
    Write-Element $Writer 'command:verb' $verb
    Write-Element $Writer 'command:noun' $noun
    Write-Description $Writer $Help.Synopsis
    $Writer.WriteEndElement()
    Write-Description $Writer $Help.Description

    # Syntax: one item per parameter set, positional parameters first, then in the order the SYNTAX block shows.
    Start-Element $Writer 'command:syntax'
    foreach ($set in $Help.ParameterSets) {
        Start-Element $Writer 'command:syntaxItem'
        Write-Element $Writer 'maml:name' $Help.Name
        $inSet = foreach ($p in $Help.Parameters) {
            $entry = Get-ParameterEntry $p $set.Name
            if ($entry) {
                $order = if ($entry.Position -eq 'Named') { [int]::MaxValue } else { [int]$entry.Position }
                [pscustomobject]@{ Parameter = $p; Entry = $entry; Order = $order; Shown = [Array]::IndexOf($set.Order, $p.Name) }
            }
        }
        foreach ($item in @($inSet) | Sort-Object Order, Shown -Stable) { Write-Parameter $Writer $item.Parameter $item.Entry }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    Start-Element $Writer 'command:parameters'
    foreach ($p in $Help.Parameters) { Write-Parameter $Writer $p $p.Entries[0] }
    $Writer.WriteEndElement()

    foreach ($kind in @(@('command:inputTypes', 'command:inputType', $Help.Inputs), @('command:returnValues', 'command:returnValue', $Help.Outputs))) {
        Start-Element $Writer $kind[0]
        foreach ($io in $kind[2]) {
            Start-Element $Writer $kind[1]
            Start-Element $Writer 'dev:type'
            Write-Element $Writer 'maml:name' $io.Type
            $Writer.WriteEndElement()
            Write-Description $Writer $io.Description
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    Start-Element $Writer 'maml:alertSet'
    Start-Element $Writer 'maml:alert'
    Write-Paragraphs $Writer $Help.Notes
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    Start-Element $Writer 'command:examples'
    foreach ($example in $Help.Examples) {
        Start-Element $Writer 'command:example'
        Write-Element $Writer 'maml:title' "-------------------------- $($example.Title) --------------------------"
        Write-Element $Writer 'dev:code' (@($example.Code | ForEach-Object Text) -join "`n`n")
        Start-Element $Writer 'dev:remarks'
        Write-Paragraphs $Writer (@($example.Introduction, $example.Remarks | Where-Object { $_ }) -join "`n`n")
        Write-Element $Writer 'maml:para' ''   # a blank line before the next example's title
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # The first link with an absolute uri is what Get-Help -Online opens.
    Start-Element $Writer 'command:relatedLinks'
    foreach ($link in $Help.Links) {
        Start-Element $Writer 'maml:navigationLink'
        Write-Element $Writer 'maml:linkText' $link.Text
        Write-Element $Writer 'maml:uri' $(if ($link.Uri -match '^https?://') { $link.Uri } else { '' })
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

<#
.SYNOPSIS
    Turns parsed cmdlet pages (Read-HelpMarkdown) into the text of a MAML help file.
#>
function ConvertTo-MamlXml {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [object[]] $Help)
    begin { $all = [System.Collections.Generic.List[object]]::new() }
    process { $all.AddRange($Help) }
    end {
        $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; IndentChars = '  '; Encoding = [System.Text.UTF8Encoding]::new($false) }
        $text = [System.Text.StringBuilder]::new()
        $writer = [System.Xml.XmlWriter]::Create([System.IO.StringWriter]::new($text), $settings)
        try {
            $writer.WriteStartDocument()
            $writer.WriteStartElement('helpItems', 'http://msh')
            $writer.WriteAttributeString('schema', 'maml')
            foreach ($ns in $script:Namespaces.Keys | Where-Object { $_ }) {
                $writer.WriteAttributeString('xmlns', $ns, $null, $script:Namespaces[$ns])
            }
            foreach ($h in $all | Sort-Object Name) { Write-Command $writer $h }
            $writer.WriteEndElement()
            $writer.WriteEndDocument()
        }
        finally { $writer.Dispose() }
        $text.ToString() -replace '^<\?xml version="1.0" encoding="utf-16"\?>', '<?xml version="1.0" encoding="utf-8"?>'
    }
}

<#
.SYNOPSIS
    Renders a platyPS about_ page (docs/about_X.md) as the plain text of about_X.help.txt: "# HEADING" at the
    margin in capitals, text and "## Subheadings" indented four spaces, code eight.
#>
function ConvertTo-AboutText {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $lines = (Get-Content -LiteralPath $Path -Raw) -replace "`r`n", "`n" -split "`n"
    if ($lines[0] -eq '---') { $lines = $lines[([Array]::IndexOf($lines, '---', 1) + 1)..($lines.Count - 1)] }
    $topic = ($lines | Where-Object { $_ -match '^## (about_\w+)\s*$' } | Select-Object -First 1) -replace '^## ', ''
    if (-not $topic) { throw "${Path}: expected a '## about_Name' line under the title (platyPS about schema)." }
    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC'); $out.Add("    $topic"); $out.Add('')
    $inFence = $false
    $seenFirstSection = $false
    foreach ($line in $lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence; continue }
        if ($inFence) { $out.Add(('        ' + $line).TrimEnd()); continue }
        if ($line -match '^# (.+)$') {
            if ($Matches[1] -match '^(SHORT DESCRIPTION|LONG DESCRIPTION|EXAMPLES|NOTE|NOTES|TROUBLESHOOTING NOTE|SEE ALSO|KEYWORDS)$' -or $seenFirstSection) {
                $seenFirstSection = $true
                $out.Add($Matches[1].ToUpperInvariant())
            }
            continue   # the page title ("# About PortTools") is replaced by TOPIC
        }
        if (-not $seenFirstSection) { continue }   # "## about_Name" and anything before the first section
        if ($line -match '^## (.+)$') { $out.Add('    ' + $Matches[1].ToUpperInvariant()); continue }
        if ($line -match '^<!--.*-->$') { continue }
        $text = $line -replace '\\([<>\[\]`\\()])', '$1'
        $out.Add($(if ($text.Trim()) { '    ' + $text } else { '' }))
    }
    # No runs of blank lines.
    (($out -join "`n") -replace "\n{3,}", "`n`n").TrimEnd() + "`n"
}

# --- New pages ------------------------------------------------------------------------------------------------

# Enum names or ValidateSet values: what platyPS writes as "Accepted values".
function Get-AcceptedValueList([System.Management.Automation.ParameterMetadata] $Parameter) {
    $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($set) { return @($set.ValidValues) }
    $type = $Parameter.ParameterType
    if ($type.IsArray) { $type = $type.GetElementType() }
    $underlying = [Nullable]::GetUnderlyingType($type)
    if ($underlying) { $type = $underlying }
    if ($type.IsEnum) { return @([enum]::GetNames($type)) }
    @()
}

function Format-PipelineInput([bool] $ByValue, [bool] $ByPropertyName) {
    if ($ByValue -and $ByPropertyName) { 'True (ByPropertyName, ByValue)' }
    elseif ($ByValue) { 'True (ByValue)' } elseif ($ByPropertyName) { 'True (ByPropertyName)' } else { 'False' }
}

<#
.SYNOPSIS
    Writes a new docs page for a cmdlet, as platyPS's New-MarkdownHelp would: exact SYNTAX, PARAMETERS yaml,
    INPUTS and OUTPUTS from the cmdlet itself, and {{ placeholders }} for the prose (tests/Help.Tests.ps1 fails
    until they are filled in).
#>
function New-HelpMarkdown {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.CmdletInfo] $Command,
        [string] $OnlineBase = 'https://github.com/porttools/PortTools/blob/main/docs/'
    )
    $nl = "`n"
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $sets = @($Command.ParameterSets)
    $helpFile = if ($Command.HelpFile) { Split-Path $Command.HelpFile -Leaf } else { "$($Command.ModuleName).dll-Help.xml" }
    $online = "$OnlineBase$($Command.Name).md"
    $out = [System.Text.StringBuilder]::new()
    $null = $out.Append("---${nl}external help file: $helpFile${nl}Module Name: $($Command.ModuleName)${nl}online version: $online${nl}schema: 2.0.0${nl}---${nl}${nl}")
    $null = $out.Append("# $($Command.Name)${nl}${nl}## SYNOPSIS${nl}{{ Fill in the Synopsis }}${nl}${nl}## SYNTAX${nl}${nl}")
    foreach ($set in $sets) {
        if ($sets.Count -gt 1) { $null = $out.Append("### $($set.Name)$(if ($set.IsDefault) { ' (Default)' })${nl}") }
        # Positional parameters first, by position, then the others in the order the cmdlet declares them.
        $inSet = @($set.Parameters | Where-Object Name -NotIn $common)
        $ordered = @($inSet | Where-Object Position -GE 0 | Sort-Object Position) + @($inSet | Where-Object Position -LT 0)
        $tokens = foreach ($p in $ordered) {
            if ($p.ParameterType -eq [System.Management.Automation.SwitchParameter]) { "[-$($p.Name)]"; continue }
            $token = if ($p.Position -ge 0) { "[-$($p.Name)]" } else { "-$($p.Name)" }
            $token = "$token <$($p.ParameterType.Name)>"
            if ($p.IsMandatory) { $token } else { "[$token]" }
        }
        $line = [System.Text.StringBuilder]::new($Command.Name)
        $width = $line.Length
        foreach ($token in @($tokens) + '[<CommonParameters>]') {
            if ($width + $token.Length + 1 -gt 110) { $null = $line.Append($nl); $width = 0 }
            $null = $line.Append(" $token")
            $width += $token.Length + 1
        }
        $null = $out.Append('```' + $nl + $line.ToString() + $nl + '```' + $nl + $nl)
    }
    $null = $out.Append("## DESCRIPTION${nl}{{ Fill in the Description }}${nl}${nl}## EXAMPLES${nl}${nl}")
    $null = $out.Append("### Example 1${nl}" + '```powershell' + "${nl}{{ Add example code here }}${nl}" + '```' + "${nl}${nl}{{ Add example description here }}${nl}${nl}")
    $null = $out.Append("## PARAMETERS${nl}${nl}")
    foreach ($parameter in $Command.Parameters.Values | Where-Object Name -NotIn $common) {
        $null = $out.Append("### -$($parameter.Name)${nl}{{ Fill $($parameter.Name) Description }}${nl}${nl}")
        # One yaml block per group of sets in which the parameter behaves the same (platyPS's SimplifyParamSets).
        $groups = [ordered]@{}
        foreach ($set in $sets) {
            $m = $set.Parameters | Where-Object Name -EQ $parameter.Name
            if (-not $m) { continue }
            $key = "$($m.IsMandatory)|$($m.Position)|$($m.ValueFromPipeline)|$($m.ValueFromPipelineByPropertyName)"
            if (-not $groups.Contains($key)) { $groups[$key] = [pscustomobject]@{ Metadata = $m; Sets = [System.Collections.Generic.List[string]]::new() } }
            $groups[$key].Sets.Add($set.Name)
        }
        $accepted = @(Get-AcceptedValueList $parameter)
        $wildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        foreach ($group in $groups.Values) {
            $m = $group.Metadata
            $setNames = if ($sets.Count -eq 1 -or $group.Sets.Count -eq $sets.Count) { '(All)' } else { $group.Sets -join ', ' }
            $yaml = @(
                "Type: $($parameter.ParameterType.Name)"
                "Parameter Sets: $setNames"
                "Aliases:$(if ($parameter.Aliases.Count) { ' ' + ($parameter.Aliases -join ', ') })"
                if ($accepted.Count) { "Accepted values: $($accepted -join ', ')" }
                ''
                "Required: $($m.IsMandatory)"
                "Position: $(if ($m.Position -ge 0) { $m.Position } else { 'Named' })"
                'Default value: None'
                "Accept pipeline input: $(Format-PipelineInput $m.ValueFromPipeline $m.ValueFromPipelineByPropertyName)"
                "Accept wildcard characters: $wildcards"
            )
            $null = $out.Append('```yaml' + $nl + ($yaml -join $nl) + $nl + '```' + $nl + $nl)
        }
    }
    $null = $out.Append("### CommonParameters${nl}$script:CommonParametersText${nl}${nl}## INPUTS${nl}${nl}")
    $inputs = @($Command.Parameters.Values | Where-Object Name -NotIn $common |
            Where-Object { $_.Attributes | Where-Object { $_ -is [Parameter] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } } |
            ForEach-Object { $_.ParameterType.FullName } | Select-Object -Unique)
    if ($inputs.Count -eq 0) { $inputs = @('None') }
    foreach ($type in $inputs) { $null = $out.Append("### $type${nl}${nl}") }
    $null = $out.Append("## OUTPUTS${nl}${nl}")
    foreach ($type in $Command.OutputType.Name | Select-Object -Unique) { $null = $out.Append("### $type${nl}${nl}") }
    $null = $out.Append("## NOTES${nl}${nl}## RELATED LINKS${nl}${nl}[Online Version]($online)${nl}")
    $out.ToString()
}

Export-ModuleMember -Function Read-HelpMarkdown, ConvertTo-MamlXml, ConvertTo-AboutText, New-HelpMarkdown -Variable CommonParametersText
