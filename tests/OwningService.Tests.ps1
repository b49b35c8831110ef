#Requires -Modules Pester
# OwningService and -ServiceName against cgroups this test makes, laid out as systemd lays out a service: a process
# holding a socket is moved into system.slice/porttools-test-<random>.service of the cgroup v2 hierarchy, and of a
# named v1 hierarchy (name=systemd, the legacy layout). Making cgroups takes root; everything is removed afterwards.

BeforeAll {
    # Why the cgroup cases cannot run here, or null.
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    $script:CannotMakeCgroups = if (-not $IsLinux) { 'cgroups are Linux''s' } else { Get-MissingPrerequisite root }

    # Both layouts: the test unit's wildcard finds the holder's connection and nothing else.
    function Assert-OnlyHolderFound {
        $found = @(Get-PortConnection -ServiceName 'porttools-test-*')
        $found.Count | Should -Be 1
        $found[0].OwningProcess | Should -Be $Holder.Process.Id
        $found[0].RemotePort | Should -Be $Listener.LocalEndpoint.Port
    }

    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $ModulePath -Force

    # The mount point of the first hierarchy of this type (and mount option) in /proc/self/mountinfo; null when none.
    function Get-CgroupMount([string] $Type, [string] $Option) {
        foreach ($line in Get-Content /proc/self/mountinfo) {
            $mount, $super = $line -split ' - ', 2
            $fields = $super -split ' '
            if ($fields[0] -eq $Type -and (-not $Option -or ($fields[2] -split ',') -contains $Option)) { return ($mount -split ' ')[4] }
        }
    }

    # A process that holds one socket, connected to this test's listener: exec leaves it the only holder.
    function Start-SocketHolder([System.Net.Sockets.TcpListener] $Listener) {
        $start = [Diagnostics.ProcessStartInfo]::new('bash')
        $start.ArgumentList.Add('-c')
        $start.ArgumentList.Add("exec 3<>/dev/tcp/127.0.0.1/$($Listener.LocalEndpoint.Port); exec sleep 300")
        $process = [Diagnostics.Process]::Start($start)
        $accept = $Listener.AcceptTcpClientAsync()
        if (-not $accept.Wait(10000)) { throw 'The socket holder did not connect.' }
        [pscustomobject]@{ Process = $process; Accepted = $accept.Result }
    }

    function Stop-SocketHolder($Holder) {
        if (-not $Holder) { return }
        $Holder.Process.Kill()
        $Holder.Process.WaitForExit()
        $Holder.Accepted.Dispose()
    }

    # system.slice/<unit> below a hierarchy's root, with the holder moved in; the result says what to undo, and why
    # the case must be skipped when the kernel refused a step.
    function New-ServiceCgroup([string] $Root, [string] $Unit, $Holder) {
        $cgroup = [pscustomobject]@{ Root = $Root; Slice = "$Root/system.slice"; Path = "$Root/system.slice/$Unit"; NewSlice = $false; Made = $false; Skip = $null }
        try {
            if (-not (Test-Path $cgroup.Slice)) { $null = New-Item -ItemType Directory $cgroup.Slice -ErrorAction Stop; $cgroup.NewSlice = $true }
            $null = New-Item -ItemType Directory $cgroup.Path -ErrorAction Stop
            $cgroup.Made = $true
            [IO.File]::WriteAllText("$($cgroup.Path)/cgroup.procs", [string]$Holder.Process.Id)
        }
        catch { $cgroup.Skip = "the kernel refused a cgroup under $Root ($($_.Exception.Message))" }
        $cgroup
    }

    function Remove-ServiceCgroup($Cgroup) {
        if (-not $Cgroup) { return }
        if ($Cgroup.Made) { [IO.Directory]::Delete($Cgroup.Path) } # cgroups are removed with rmdir, files and all
        if ($Cgroup.NewSlice) { [IO.Directory]::Delete($Cgroup.Slice) }
    }

    $script:Listener = [System.Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $Listener.Start()
}

AfterAll {
    $Listener.Stop()
}

Describe 'OwningService in a cgroup v2 service' {
    BeforeAll {
        $script:Unit = "porttools-test-$((Get-Random -Maximum 0x10000).ToString('x4')).service" # 27 characters: the Owner view shows 28
        $script:Skip = $CannotMakeCgroups
        if (-not $Skip) { $script:Root = Get-CgroupMount cgroup2 }
        if (-not $Skip -and -not $Root) { $script:Skip = 'no cgroup2 hierarchy is mounted' }
        if (-not $Skip) {
            $script:Holder = Start-SocketHolder $Listener
            $script:Cgroup = New-ServiceCgroup $Root $Unit $Holder
            $script:Skip = $Cgroup.Skip
        }
    }

    AfterAll {
        Stop-SocketHolder $Holder
        Remove-ServiceCgroup $Cgroup
    }

    BeforeEach {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip }
    }

    It 'names the unit the kernel shows in /proc/PID/cgroup' {
        Get-Content "/proc/$($Holder.Process.Id)/cgroup" | Should -Contain "0::/system.slice/$Unit"
        $found = @(Get-PortConnection -OwningProcess $Holder.Process.Id -RemotePort $Listener.LocalEndpoint.Port)
        $found.Count | Should -Be 1
        $found[0].OwningService | Should -BeExactly $Unit
    }

    It '-ServiceName porttools-test-* finds exactly its socket' {
        Assert-OnlyHolderFound
        @(Get-PortConnection -ServiceName $Unit.ToUpperInvariant() -Protocol Tcp).Count | Should -Be 1
        @(Get-PortConnection -ServiceName $Unit -OwningProcess $PID).Count | Should -Be 0
    }

    It 'completes -ServiceName with the unit' {
        (TabExpansion2 'Get-PortConnection -ServiceName porttools-test-').CompletionMatches.CompletionText | Should -Contain $Unit
    }

    It 'Watch-PortConnection -ServiceName reports what opens in the unit, and nothing else' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Watch-PortConnection -ServiceName '$Unit' -Interval 0.2 -Duration 60 -Count 1")
        $output = [Management.Automation.PSDataCollection[psobject]]::new()
        $async = $ps.BeginInvoke([Management.Automation.PSDataCollection[psobject]]::new(), $output)
        $holders = [Collections.Generic.List[object]]::new()
        try {
            # Each holder also opens a socket in this process (the accepted end), outside the unit: never reported.
            # A holder moved in before the watch read its baseline is no change: the next one is.
            for ($try = 0; $try -lt 10 -and $output.Count -eq 0; $try++) {
                $holder = Start-SocketHolder $Listener
                $holders.Add($holder)
                [IO.File]::WriteAllText("$($Cgroup.Path)/cgroup.procs", [string]$holder.Process.Id)
                $deadline = [DateTime]::UtcNow.AddSeconds(3)
                while ($output.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            }
            $null = $ps.EndInvoke($async) # -Count 1: it ends with its first change
            $output.Count | Should -Be 1
            $output[0].Change | Should -Be 'Opened'
            $output[0].OwningProcess | Should -BeIn @($holders | ForEach-Object { $_.Process.Id })
            $output[0].Connection.OwningService | Should -BeExactly $Unit
        }
        finally {
            $ps.Dispose()
            foreach ($holder in $holders) { Stop-SocketHolder $holder }
        }
    }

    It 'shows it in the Owner view within 80 columns, in Format-List and in CSV' {
        $row = Get-PortConnection -ServiceName $Unit
        $lines = ($row | Format-Table -View Owner | Out-String -Width 80) -split "`r?`n" | Where-Object { $_ }
        $lines[0] | Should -Match '^Proto +Local Address +PID +Process +Service'
        $lines[-1] | Should -Match "^TCP +127\.0\.0\.1:\d+ +$($Holder.Process.Id) sleep +$([regex]::Escape($Unit))$"
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        ($row | Format-List | Out-String) | Should -Match "OwningService +: $([regex]::Escape($Unit))"
        ($row | ConvertTo-Csv | ConvertFrom-Csv).OwningService | Should -BeExactly $Unit
        # Deserialized (a job, remoting) the property comes along as read.
        [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($row)).OwningService | Should -BeExactly $Unit
    }
}

Describe 'OwningService in a named cgroup v1 hierarchy (name=systemd, the legacy layout)' {
    BeforeAll {
        $script:Unit = "porttools-test-$((Get-Random -Maximum 0x10000).ToString('x4')).service" # 27 characters: the Owner view shows 28
        $script:Skip = $CannotMakeCgroups
        $script:Mounted = $false
        if (-not $Skip) {
            # Mounting the named hierarchy again attaches to it where it exists already (a legacy or hybrid host).
            $script:Root = Join-Path ([IO.Path]::GetTempPath()) "porttools-cgroup-$(Get-Random)"
            $null = New-Item -ItemType Directory $Root
            $message = mount -t cgroup -o none,name=systemd cgroup $Root 2>&1
            $script:Mounted = $LASTEXITCODE -eq 0
            if (-not $Mounted) { $script:Skip = "the kernel refused a named cgroup v1 hierarchy: $message" }
        }
        if (-not $Skip) {
            $script:Holder = Start-SocketHolder $Listener
            # Off any cgroup v2 unit, as on a legacy host, where systemd reads only the v1 hierarchy.
            if ($v2 = Get-CgroupMount cgroup2) { [IO.File]::WriteAllText("$v2/cgroup.procs", [string]$Holder.Process.Id) }
            $script:Cgroup = New-ServiceCgroup $Root $Unit $Holder
            $script:Skip = $Cgroup.Skip
        }
    }

    AfterAll {
        Stop-SocketHolder $Holder
        Remove-ServiceCgroup $Cgroup
        if ($Mounted) { umount $Root }
        if ($Root) { Remove-Item $Root }
    }

    BeforeEach {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip }
    }

    It 'names the unit of the name=systemd line in /proc/PID/cgroup' {
        Get-Content "/proc/$($Holder.Process.Id)/cgroup" | Where-Object { $_ -match '^\d+:([^:]*,)?name=systemd(,[^:]*)?:' } |
            Should -Match ([regex]::Escape(":/system.slice/$Unit") + '$')
        $found = @(Get-PortConnection -OwningProcess $Holder.Process.Id -RemotePort $Listener.LocalEndpoint.Port)
        $found.Count | Should -Be 1
        $found[0].OwningService | Should -BeExactly $Unit
    }

    It '-ServiceName porttools-test-* finds exactly its socket' {
        Assert-OnlyHolderFound
    }
}

Describe '-ServiceName' {
    It 'lists nothing, and says nothing, for a name no process runs as (as -ProcessName)' {
        $errors = $null
        @(Get-PortConnection -ServiceName 'porttools-no-such.service' -ErrorVariable errors).Count | Should -Be 0
        $errors | Should -BeNullOrEmpty
    }

    It 'refuses an unfinished wildcard before listing anything' {
        { Get-PortConnection -ServiceName 'nginx[' } | Should -Throw -ErrorId 'InvalidWildcardPattern,PortTools.Commands.GetPortConnectionCommand'
    }
}
