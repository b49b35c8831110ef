#Requires -Modules Pester
# What a local attacker controls, tried as one would: process names (this test process renames itself, as any
# user can with /proc/self/comm or prctl), interface names (a namespace of the test's own), the services file
# (bind-mounted in a private mount namespace), and what the admin types.

BeforeDiscovery {
    # Each name is one any user can give a process; the admin presses Tab, then Enter. Test names show them
    # escaped: reports are XML, which cannot hold control characters.
    $HostileNames = @(
        @{ Name = '$(ni pwned)' }, @{ Name = 'a;ni pwned' }, @{ Name = 'x|ni pwned' }, @{ Name = '&{ni pwned}' }
        @{ Name = '`$(ni pwned)' }, @{ Name = "a'b" }, @{ Name = 'a b' }, @{ Name = '-Verbose' }, @{ Name = '1kb' }
        @{ Name = '0x10' }, @{ Name = 'a*b[c]?' }, @{ Name = 'a,b' }, @{ Name = '@(1)' }, @{ Name = '#x' }, @{ Name = '<x' }
        @{ Name = "`e]0;t`a" }, @{ Name = "`e[2J`e[6n" }, @{ Name = "a`nb" }, @{ Name = "`u{202E}x" }, @{ Name = "`u{9B}1m" }
        @{ Name = "`u{201C}q`u{201D}" }, @{ Name = "`u{2018}s`u{2019}" }, @{ Name = "`$x`e" }, @{ Name = "a`"`$(b)`e" }
    ) | ForEach-Object { @{ Name = $_.Name; Label = [regex]::Replace($_.Name, '\p{C}', { '\u{0:X4}' -f [int][char]$args[0].Value }) } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'NetnsHelpers.ps1')
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    Import-Module $ModulePath -Force

    # Writes our own process name (the kernel's comm, 15 bytes) in one write, as prctl(PR_SET_NAME) would.
    function Set-OwnProcessName([string] $Name) {
        $bytes = [Text.Encoding]::UTF8.GetBytes($Name)
        if ($bytes.Count -gt 15) { throw "'$Name' is longer than the kernel's 15-byte comm" }
        $file = [IO.FileStream]::new('/proc/self/comm', [IO.FileMode]::Open, [IO.FileAccess]::Write)
        try { $file.Write($bytes, 0, $bytes.Count) } finally { $file.Dispose() }
    }
    $script:OwnName = (Get-Content /proc/self/comm -Raw).TrimEnd("`n")
    $script:Listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $Listener.Start()
    $script:Port = $Listener.LocalEndpoint.Port

    # Terminal commands and reordering that must never reach the terminal raw from a view.
    $script:Unsafe = '[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u200B-\u200F\u2028-\u202E\u2066-\u2069\uFEFF]'

    # Runs $Script with the module in a child pwsh inside a private mount namespace after $Setup (sh), so a
    # bind mount over /etc/services is seen by that child alone. Returns what the child wrote as JSON.
    function Invoke-InMountNamespace([string] $Setup, [string] $Script) {
        $child = "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; & { $Script } | ConvertTo-Json -Depth 4"
        Push-Location $RepoRoot # dotnet pwsh needs the tool manifest
        try { $out = & unshare --mount --propagation private -- sh -c "$Setup && exec `"`$@`"" sh dotnet pwsh -NoProfile -NonInteractive -Command $child 2>&1 }
        finally { Pop-Location }
        if ($LASTEXITCODE -ne 0) { throw "child pwsh failed: $out" }
        ($out -join "`n") | ConvertFrom-Json
    }
}

AfterAll {
    Set-OwnProcessName $OwnName
    $Listener.Stop()
}

Describe 'Tab completion inserts one literal argument, whatever a process is named' {
    It 'completes <Label> so that it runs nothing and matches only itself' -ForEach $HostileNames {
        Set-OwnProcessName $Name
        $shown = [PortTools.Formatting.DisplayText]::Escape($Name)
        $line = 'Get-PortConnection -ProcessName '
        $completion = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Where-Object ListItemText -eq $shown)
        $completion.Count | Should -Be 1
        $completion[0].ListItemText | Should -Not -Match $Unsafe
        $text = $completion[0].CompletionText

        # Parsed: exactly one argument, a string, with no code but [char] conversions.
        $errors = $null
        $ast = [Management.Automation.Language.Parser]::ParseInput("$line$text", [ref]$null, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $elements = $ast.EndBlock.Statements[0].PipelineElements[0].CommandElements
        $elements.Count | Should -Be 3
        $elements[2].GetType().Name | Should -BeIn 'StringConstantExpressionAst', 'ExpandableStringExpressionAst'
        @($elements[2].FindAll({ param($n) $n -is [Management.Automation.Language.CommandAst] }, $true)).Count | Should -Be 0

        # Run: it reads back as the (wildcard-escaped) name, creates nothing, and finds exactly our sockets.
        $folder = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "pt-complete-$([guid]::NewGuid().ToString('N'))")
        Push-Location $folder
        try {
            $values = @(& ([scriptblock]::Create("& { `$args } $text")))
            $values.Count | Should -Be 1
            [Management.Automation.WildcardPattern]::Unescape($values[0]) | Should -BeExactly $Name
            @(Get-ChildItem $folder).Count | Should -Be 0
            $found = @(& ([scriptblock]::Create("Get-PortConnection -ProcessName $text -LocalPort $Port")))
            $found.Count | Should -Be 1
            $found[0].OwningProcess | Should -Be $PID
            $found[0].ProcessName | Should -BeExactly $Name
        }
        finally {
            Pop-Location
            Remove-Item $folder -Recurse -Force
        }
    }

    It 'quotes every completion of every completer of the module' {
        # Completers added later are covered too: every parameter with an ArgumentCompleter, with a hostile process named.
        Set-OwnProcessName '$(ni pwned)'
        $checked = 0
        foreach ($command in Get-Command -Module PortTools) {
            foreach ($parameter in $command.Parameters.Values) {
                if (-not ($parameter.Attributes | Where-Object { $_ -is [ArgumentCompleter] })) { continue }
                $line = "$($command.Name) -$($parameter.Name) "
                foreach ($match in (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches) {
                    $errors = $null
                    $ast = [Management.Automation.Language.Parser]::ParseInput("$line$($match.CompletionText)", [ref]$null, [ref]$errors)
                    $errors | Should -BeNullOrEmpty
                    $ast.EndBlock.Statements[0].PipelineElements[0].CommandElements.Count | Should -Be 3 -Because $match.CompletionText
                    $match.CompletionText | Should -Match '^(''.*''|".*"|[A-Za-z0-9_.-]+)$' -Because 'code characters are only ever inside quotes'
                    $checked++
                }
            }
        }
        $checked | Should -BeGreaterThan 100
    }
}

Describe 'Views show other users'' text escaped, and the objects keep it raw' {
    BeforeAll {
        $script:Hostile = "`e]0;t`a`e[2J`n`u{202E}x"
        Set-OwnProcessName $Hostile
        $script:Row = @(Get-PortConnection -LocalPort $Port)
    }

    It 'keeps the raw name on the object' {
        $Row[0].ProcessName | Should -BeExactly $Hostile
    }

    It 'escapes it in <View>' -ForEach @(
        @{ View = 'the default table'; Render = { $args[0] | Format-Table | Out-String -Width 200 } }
        @{ View = 'Format-List'; Render = { $args[0] | Format-List | Out-String -Width 200 } }
        @{ View = 'the Process view'; Render = { $args[0] | Format-Table -View Process | Out-String -Width 200 } }
        @{ View = 'the Service view'; Render = { $args[0] | Format-Table -View Service | Out-String -Width 200 } }
        @{ View = 'deserialized rows'; Render = { [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($args[0])) | Format-Table | Out-String -Width 200 } }
    ) {
        $text = & $Render $Row
        $text | Should -Not -Match $Unsafe
        $text | Should -Match ([regex]::Escape('\e]0;t\a\e[2J\n\u202Ex'))
    }

    It 'keeps the group header of the Process view on one line' {
        $lines = ($Row | Format-Table -View Process | Out-String -Width 200) -split "`r?`n"
        @($lines | Where-Object { $_ -match 'Process: ' }).Count | Should -Be 1
        ($lines | Where-Object { $_ -match 'Process: ' }) | Should -Match "\(\s*$PID\)"
    }

    It 'exports the raw value to CSV, one row that Import-Csv reads back' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "pt-hostile-$([guid]::NewGuid().ToString('N')).csv"
        try {
            $Row | Export-Csv -LiteralPath $csv -NoTypeInformation
            $back = @(Import-Csv -LiteralPath $csv)
            $back.Count | Should -Be 1
            $back[0].ProcessName | Should -BeExactly $Hostile
        }
        finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
    }

    It 'escapes interface names in the route and interface views, live and deserialized' {
        Skip-WithoutPrerequisite netns
        $ns = "pt-hostile-$PID"
        # Linux refuses '/', ':' and white space in interface names, and nothing else.
        $ifname = "`e]0;t`a`u{202E}z"
        & ip netns add $ns
        try {
            & ip -n $ns link add name $ifname type veth peer name ptpeer
            & ip -n $ns link set $ifname up
            & ip -n $ns route add 10.98.0.0/24 dev $ifname
            $r = Invoke-InNamespace $ns @'
[pscustomobject]@{
    Routes = Get-RouteTable -InterfaceAlias '*z' | Out-String -Width 200
    Compact = Get-RouteTable -InterfaceAlias '*z' | Format-Table -View Compact | Out-String -Width 200
    RouteList = Get-RouteTable -InterfaceAlias '*z' | Format-List | Out-String -Width 200
    Interfaces = Get-InterfaceStatistic '*z' | Out-String -Width 200
    Netstat = Get-InterfaceStatistic '*z' | Format-Custom -View Netstat | Out-String -Width 200
    InterfaceList = Get-InterfaceStatistic '*z' | Format-List | Out-String -Width 200
    Objects = @(Get-RouteTable -InterfaceAlias '*z') + @(Get-InterfaceStatistic '*z')
}
'@
            $deserialized = $r.Objects | Group-Object { $_.PSObject.TypeNames[0] } | ForEach-Object {
                $_.Group | Format-Table | Out-String -Width 200
                $_.Group | Format-List | Out-String -Width 200
            }
            foreach ($text in @($r.Routes, $r.Compact, $r.RouteList, $r.Interfaces, $r.Netstat, $r.InterfaceList) + $deserialized) {
                $text | Should -Not -Match $Unsafe
                $text | Should -Match ([regex]::Escape('\e]0;t\a\u202Ez'))
            }
            $r.Objects[0].InterfaceAlias | Should -BeExactly $ifname
        }
        finally { & ip netns del $ns }
    }
}

Describe 'The services file is read with bounds' {
    BeforeAll {
        # A bind mount over /etc/services in a private mount namespace: root, unshare and mount.
        $script:Missing = Get-MissingPrerequisite root, unshare, mount, mkfifo
        if ($Missing) { return }
        $script:Work = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "pt-services-$([guid]::NewGuid().ToString('N'))")
        & mkfifo (Join-Path $Work 'fifo')
        Set-Content (Join-Path $Work 'good') "myapp 8123/tcp`n"
        Set-Content (Join-Path $Work 'hostile') "evil`e]0;t`a 49998/tcp`nmal`u{202E}gpj 49999/tcp`n"
        # One million short lines: 10 MB, which used to keep 610 MiB for the session.
        [IO.File]::WriteAllText((Join-Path $Work 'huge'), [string]::Concat([Linq.Enumerable]::Repeat("svc 1/tcp`n", 1000000)))
        $script:Probe = @'
$clock = [Diagnostics.Stopwatch]::StartNew()
$https = Resolve-WellKnownPort 443 -Protocol Tcp -ErrorVariable failed -ErrorAction SilentlyContinue
[pscustomobject]@{
    Seconds = $clock.Elapsed.TotalSeconds
    Https = $https.ServiceName
    Errors = @($failed | ForEach-Object { $_.FullyQualifiedErrorId })
    Messages = @($failed | ForEach-Object { $_.Exception.Message })
    Service = [string](Get-PortConnection -State Listen | Select-Object -First 1).LocalService
    ManagedMiB = [GC]::GetTotalMemory($true) / 1MB
}
'@
    }
    AfterAll { if ($Work) { Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue } }

    BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

    It 'answers from IANA with one PortRegistryUnavailable when /etc/services is <Case>' -ForEach @(
        @{ Case = 'a FIFO'; Source = 'fifo' }
        @{ Case = '/dev/zero'; Source = '/dev/zero' }
        @{ Case = '/dev/urandom'; Source = '/dev/urandom' }
        @{ Case = 'a million lines'; Source = 'huge' }
    ) {
        $path = if ($Source.StartsWith('/')) { $Source } else { Join-Path $Work $Source }
        $r = Invoke-InMountNamespace "mount --bind '$path' /etc/services" $Probe
        $r.Seconds | Should -BeLessThan 5
        $r.Https | Should -Be 'https'
        @($r.Errors) | Should -Be @('PortRegistryUnavailable,PortTools.Commands.ResolveWellKnownPortCommand')
        $r.Messages[0] | Should -Match '/etc/services'
        $r.ManagedMiB | Should -BeLessThan 200 # PowerShell itself and the registry; the million lines kept 610 MiB
    }

    It 'reads the file again once it is fixed: a failure is not kept for the session' {
        $r = Invoke-InMountNamespace "mount --bind /dev/zero /etc/services" @"
`$before = @(Resolve-WellKnownPort -Name myapp -ErrorAction SilentlyContinue -ErrorVariable e1)
& mount --bind '$(Join-Path $Work 'good')' /etc/services
Start-Sleep -Milliseconds 1100
`$after = @(Resolve-WellKnownPort -Name myapp -ErrorVariable e2)
[pscustomobject]@{ Before = `$before.Count; BeforeErrors = @(`$e1).Count; After = @(`$after.Port); AfterErrors = @(`$e2).Count }
"@
        $r.Before | Should -Be 0
        $r.BeforeErrors | Should -Be 2 # the unusable file, and the name it does not know
        $r.After | Should -Be @(8123)
        $r.AfterErrors | Should -Be 0
    }

    It 'shows hostile service names escaped, and completes them quoted' {
        $r = Invoke-InMountNamespace "mount --bind '$(Join-Path $Work 'hostile')' /etc/services" @'
$line = 'Resolve-WellKnownPort -Name evil'
[pscustomobject]@{
    Table = Resolve-WellKnownPort 49998, 49999 -Protocol Tcp | Out-String -Width 200
    List = Resolve-WellKnownPort 49998 -Protocol Tcp | Format-List | Out-String -Width 200
    Completions = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
}
'@
        foreach ($text in $r.Table, $r.List) {
            $text | Should -Not -Match $Unsafe
            $text | Should -Match ([regex]::Escape('evil\e]0;t\a'))
        }
        $r.Table | Should -Match ([regex]::Escape('mal\u202Egpj'))
        # The ] is escaped for the wildcard (`]), and that backtick doubled inside double quotes.
        $r.Completions | Should -Contain '"evil$([char]0x001B)``]0;t$([char]0x0007)"'
    }
}

Describe 'What the admin types is checked before anything is read' {
    It 'refuses the wildcard <Pattern> of <Command> -<Parameter> with InvalidWildcardPattern, even when nothing would match' -ForEach @(
        @{ Command = 'Get-PortConnection'; Parameter = 'ProcessName'; Pattern = '['; Extra = @{ LocalPort = 1 } }
        @{ Command = 'Get-PortConnection'; Parameter = 'ProcessName'; Pattern = 'a[b'; Extra = @{} }
        @{ Command = 'Get-RouteTable'; Parameter = 'InterfaceAlias'; Pattern = 'eth[0'; Extra = @{} }
        @{ Command = 'Get-RouteTable'; Parameter = 'DestinationPrefix'; Pattern = '10.[*'; Extra = @{} }
        @{ Command = 'Get-InterfaceStatistic'; Parameter = 'Name'; Pattern = 'lo['; Extra = @{} }
    ) {
        $arguments = @{ $Parameter = $Pattern } + $Extra
        $err = { & $Command @arguments } | Should -Throw -PassThru -ErrorId "InvalidWildcardPattern,PortTools.Commands.$($Command -replace '-', '')Command"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match ([regex]::Escape("'$Pattern'"))
        $err.Exception.Message | Should -Match 'backtick'
    }

    It 'quotes what was typed escaped and cut short in <Command>''s message' -ForEach @(
        @{ Command = 'Get-PortConnection'; Arguments = @{ LocalAddress = "`e`a" + ('9' * 500) } }
        @{ Command = 'Get-RouteTable'; Arguments = @{ Table = "`e`a" + ('x' * 500) } }
        @{ Command = 'Get-RouteTable'; Arguments = @{ DestinationPrefix = "`e`a" + ('x' * 500) } }
        @{ Command = 'Get-InterfaceStatistic'; Arguments = @{ Name = "`e`a" + ('x' * 500) }; NonTerminating = $true }
        @{ Command = 'Resolve-WellKnownPort'; Arguments = @{ Name = "`e`a" + ('x' * 500) }; NonTerminating = $true }
    ) {
        $err = if ($NonTerminating) { & $Command @Arguments -ErrorAction SilentlyContinue -ErrorVariable e; $e[0] }
               else { { & $Command @Arguments } | Should -Throw -PassThru }
        $err.Exception.Message | Should -Not -Match $Unsafe
        $err.Exception.Message | Should -Match ([regex]::Escape("'\e\a"))
        $err.Exception.Message.Length | Should -BeLessThan 400
    }
}
