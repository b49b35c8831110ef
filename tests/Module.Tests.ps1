#Requires -Modules Pester
# Module conformance, in the manner of platyPS test/Pester/Cmdlet.Tests.ps1 and PSReadLine tools/CheckHelp.ps1:
# the manifest exports exactly the cmdlets the DLL defines, every cmdlet declares [OutputType], and every output
# type (live and deserialized) has a table view.

BeforeDiscovery {
    $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $modulePath -Force
    $script:Cmdlets = @(Get-Command -Module PortTools -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
    $script:OutputTypes = @(Get-Command -Module PortTools -CommandType Cmdlet | ForEach-Object { $_.OutputType.Name } |
            Sort-Object -Unique | ForEach-Object { @{ TypeName = $_ } })
    # Output types with text properties, and the model types they carry (PortConnection.Detail): their text may come
    # from other users and must reach views escaped.
    $assembly = (Get-Module PortTools).ImplementingAssembly
    $carried = @($OutputTypes | ForEach-Object { $assembly.GetType($_.TypeName).GetProperties().PropertyType } |
            Where-Object { $_.Namespace -eq 'PortTools.Models' -and $_.IsClass } | Sort-Object FullName -Unique | ForEach-Object { @{ TypeName = $_.FullName } })
    $script:TextOutputTypes = @(@($OutputTypes) + $carried | Where-Object { $assembly.GetType($_.TypeName).GetProperties().PropertyType -contains [string] })
}

BeforeAll {
    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $ModulePath -Force
    $script:Manifest = Import-PowerShellDataFile $ModulePath
    $script:Assembly = (Get-Module PortTools).ImplementingAssembly
    # Every public cmdlet class in the DLL, as Verb-Noun.
    $script:DllCmdlets = @($Assembly.GetExportedTypes() |
            Where-Object { $_.IsSubclassOf([System.Management.Automation.Cmdlet]) -and -not $_.IsAbstract } |
            ForEach-Object {
                $attribute = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) | Select-Object -First 1
                "$($attribute.VerbName)-$($attribute.NounName)"
            } | Sort-Object)

    # Table views by the type names they select, from the module's format file.
    $formatFile = Join-Path (Split-Path $ModulePath) $Manifest.FormatsToProcess[0]
    $format = [xml](Get-Content $formatFile -Raw)
    $sets = @{}
    foreach ($set in $format.Configuration.SelectionSets.SelectionSet) { $sets[$set.Name] = @($set.Types.TypeName) }
    $script:TableViewTypes = @(foreach ($view in $format.Configuration.ViewDefinitions.View) {
            if (-not $view.SelectSingleNode('TableControl')) { continue }
            $selected = $view.ViewSelectedBy
            if ($selected.SelectSingleNode('TypeName')) { @($selected.TypeName) }
            if ($selected.SelectSingleNode('SelectionSetName')) { foreach ($name in @($selected.SelectionSetName)) { $sets[$name] } }
        })
    # Every view of a type, by the type names it selects.
    function Get-ViewsOf([string] $TypeName) {
        foreach ($view in $format.Configuration.ViewDefinitions.View) {
            $selected = @($view.ViewSelectedBy.SelectionSetName | ForEach-Object { $sets[$_] }) + @($view.ViewSelectedBy.TypeName)
            if ($selected -contains $TypeName) { $view }
        }
    }
}

Describe 'PortTools module' {
    It 'exports exactly the cmdlets its DLL defines (PortTools.psd1 CmdletsToExport)' {
        $DllCmdlets.Count | Should -BeGreaterThan 0
        @($Manifest.CmdletsToExport | Sort-Object) | Should -Be $DllCmdlets
        @((Get-Module PortTools).ExportedCmdlets.Keys | Sort-Object) | Should -Be $DllCmdlets
    }

    It 'lists its cmdlets explicitly and exports nothing else' {
        $Manifest.CmdletsToExport | Should -Not -Contain '*'
        @($Manifest.FunctionsToExport).Count | Should -Be 0
        @($Manifest.AliasesToExport).Count | Should -Be 0
        @($Manifest.VariablesToExport).Count | Should -Be 0
    }

    It 'ships its format file and offline help beside the DLL' {
        $dir = Split-Path $ModulePath
        foreach ($file in @($Manifest.FormatsToProcess) + 'en-US/PortTools.dll-Help.xml', 'en-US/about_PortTools.help.txt') {
            Join-Path $dir $file | Should -Exist
        }
        $maml = [xml](Get-Content (Join-Path $dir 'en-US/PortTools.dll-Help.xml') -Raw)
        @($maml.helpItems.command.details.name | Sort-Object) | Should -Be $DllCmdlets
    }
}

Describe '<Name> conformance' -ForEach $Cmdlets {
    It 'declares [OutputType]' {
        $type = (Get-Command $Name).ImplementingType
        @($type.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $false)).Count | Should -BeGreaterThan 0
        @((Get-Command $Name).OutputType).Count | Should -BeGreaterThan 0
    }

    It 'is a sealed VerbNounCommand class with an approved verb' {
        $command = Get-Command $Name
        $command.ImplementingType.IsSealed | Should -BeTrue
        $command.ImplementingType.Name | Should -Be (($Name -replace '-', '') + 'Command')
        (Get-Verb).Verb | Should -Contain $command.Verb
    }
}

Describe 'The format file' {
    It 'holds no display logic: each script block reads one property or calls one PortTools.Formatting method' {
        # The logic lives in src/PortTools/Formatting, where xunit tests it; these are the only shapes left here.
        $shapes = @(
            '^\[string\]\$_\.\w+$'                                         # an enum by its name, deserialized too
            '^\(\[string\]\$_\.\w+\)\.To(Upper|Lower)Invariant\(\)$'
            '^\[PortTools\.Formatting\.DisplayText\]::(Escape|Endpoint)\(\$_\.\w+(, \d+)?\)$'
            '^\[PortTools\.Formatting\.\w+\]::\w+\(\$_(, \$(true|false))?\)$'
        )
        $format = [xml](Get-Content (Join-Path (Split-Path $ModulePath) $Manifest.FormatsToProcess[0]) -Raw)
        $blocks = @($format.SelectNodes('//ScriptBlock') | ForEach-Object { $_.InnerText.Trim() })
        $blocks.Count | Should -BeGreaterThan 50
        foreach ($block in $blocks) {
            @($shapes | Where-Object { $block -match $_ }).Count | Should -Be 1 -Because $block
        }
    }
}

Describe 'Output type <TypeName>' -ForEach $OutputTypes {
    It 'has a table view' {
        $TableViewTypes | Should -Contain $TypeName
    }

    It 'has a table view for Deserialized.<TypeName> (jobs, remoting, Import-Clixml)' {
        $TableViewTypes | Should -Contain "Deserialized.$TypeName"
    }

    It 'is a top-level sealed type (no + in its name)' {
        $type = $Assembly.GetType($TypeName)
        $type | Should -Not -BeNullOrEmpty
        $type.IsSealed | Should -BeTrue
        $type.IsNested | Should -BeFalse
    }
}

Describe 'Output type <TypeName> shows text escaped' -ForEach $TextOutputTypes {
    BeforeAll {
        $script:Type = $Assembly.GetType($TypeName)
        $script:TextProperties = @($Type.GetProperties() | Where-Object PropertyType -eq ([string]) | ForEach-Object Name)
    }

    It 'has a Format-List view that lists every property, text through DisplayText' {
        $list = @(Get-ViewsOf $TypeName | Where-Object { $_.SelectSingleNode('ListControl') })
        $list.Count | Should -Be 1
        $items = @($list[0].ListControl.ListEntries.ListEntry.ListItems.ListItem)
        @($items | ForEach-Object { if ($_.SelectSingleNode('Label')) { $_.Label } else { $_.PropertyName } } | Sort-Object) |
            Should -Be @($Type.GetProperties().Name | Sort-Object)
        foreach ($item in $items | Where-Object { $TextProperties -contains $_.Label }) {
            $item.ScriptBlock | Should -Match '\[PortTools\.Formatting\.DisplayText\]::Escape' -Because "$($item.Label) is text"
        }
    }

    It 'never puts a text property into a view as a plain PropertyName' {
        # Script blocks are checked by what they print, with hostile names, in Security.Tests.ps1.
        foreach ($view in Get-ViewsOf $TypeName) {
            foreach ($node in $view.SelectNodes('.//PropertyName')) { $TextProperties | Should -Not -Contain $node.InnerText -Because $view.Name }
        }
    }
}

Describe 'How every cmdlet reports a backend that fails' {
    BeforeDiscovery {
        # Each listing with the id of its ReadError and what its message says could not be read.
        $script:Listings = @(
            @{ Name = 'Get-PortConnection'; Arguments = @{}; ErrorId = 'SocketListingFailed'; What = 'The socket table' }
            @{ Name = 'Watch-PortConnection'; Arguments = @{ Duration = 5 }; ErrorId = 'SocketListingFailed'; What = 'The socket table' }
            @{ Name = 'Get-RouteTable'; Arguments = @{}; ErrorId = 'RouteListingFailed'; What = 'The routing table' }
            @{ Name = 'Get-RouteTable'; Arguments = @{ Destination = '127.0.0.1' }; ErrorId = 'RouteListingFailed'; What = 'The routing table' }
            @{ Name = 'Get-ProtocolStatistic'; Arguments = @{}; ErrorId = 'StatisticsReadFailed'; What = 'The protocol counters' }
            @{ Name = 'Get-InterfaceStatistic'; Arguments = @{}; ErrorId = 'StatisticsReadFailed'; What = 'The interface counters' }
        )
        # What the backends throw when they cannot read (each one is thrown for real by a backend's xunit test:
        # a /proc file with a wrong header, a missing file, a failing OS call).
        $failures = @(
            @{ Failure = 'InvalidDataException'; Make = { [IO.InvalidDataException]::new('/proc/net/snmp does not start with the header this version knows.') } }
            @{ Failure = 'FormatException'; Make = { [FormatException]::new('Malformed nlmsghdr at offset 0.') } }
            @{ Failure = 'FileNotFoundException'; Make = { [IO.FileNotFoundException]::new('/proc/net/dev cannot be read.') } }
            @{ Failure = 'UnauthorizedAccessException'; Make = { [UnauthorizedAccessException]::new('Access to the path is denied.') } }
            @{ Failure = 'Win32Exception'; Make = { [ComponentModel.Win32Exception]::new(50) } }
        )
        $script:Failed = foreach ($listing in $Listings) { foreach ($failure in $failures) { $listing + $failure } }
    }

    BeforeAll {
        # Backends.Override(Exception), the seam tests swap backends through and the one internal member called here:
        # every listing backend throws $Failure until the result is disposed.
        function Use-FailingBackend([Exception] $Failure) {
            $override = $Assembly.GetType('PortTools.Platform.Backends', $true).GetMethod('Override',
                [Reflection.BindingFlags]'Static,NonPublic', $null, [type[]]@([Exception]), $null)
            $override.Invoke($null, @($Failure))
        }
    }

    It '<Name> <Arguments.Keys> stops with <ErrorId> (ReadError) when the backend throws <Failure>' -ForEach $Failed {
        $failure = & $Make
        $override = Use-FailingBackend $failure
        try {
            $class = (Get-Command $Name).ImplementingType.FullName
            $err = { & $Name @Arguments } | Should -Throw -ErrorId "$ErrorId,$class" -PassThru
            $err.CategoryInfo.Category | Should -Be 'ReadError'
            $err.Exception.Message | Should -BeExactly "$What could not be read: $($failure.Message)"
            $err.Exception.InnerException | Should -Be $failure
        }
        finally { $override.Dispose() }
    }

    # Where PortTools has no backend (an OS it does not read yet) Backends puts in a stand-in that throws
    # PlatformNotSupportedException (its messages are tested in BackendsTests); every cmdlet must fail alike.
    It '<Name> <Arguments.Keys> stops with PlatformNotSupported (NotImplemented) and says what to use instead' -ForEach $Listings {
        $override = Use-FailingBackend ([PlatformNotSupportedException]::new('Reading this is not supported on Plan 9 yet. Use netstat there for now.'))
        try {
            $class = (Get-Command $Name).ImplementingType.FullName
            $err = { & $Name @Arguments } | Should -Throw -ErrorId "PlatformNotSupported,$class" -PassThru
            $err.CategoryInfo.Category | Should -Be 'NotImplemented'
            $err.Exception.Message | Should -BeExactly 'Reading this is not supported on Plan 9 yet. Use netstat there for now.'
        }
        finally { $override.Dispose() }
    }

    It 'puts the real backends back afterwards' {
        @(Get-RouteTable -Destination 127.0.0.1).Count | Should -Be 1
    }
}
