#Requires -Modules Pester
# Every ```powershell block in docs/*.md and README.md is an example a user will paste. Each one must parse, and each one that
# can run here (Linux, loopback only) runs and must not write an error. Examples run with the current location
# in TestDrive, so the ones that write files (./connections.csv) write there.
#
# Not run, by rule (the reason is printed as the skip reason); a rule that no longer matches any example fails:
#   - code that names other computers (-ComputerName, -HostName): needs PowerShell remoting to other hosts;
#   - code that registers a scheduled task (*-ScheduledTask*): Windows only, and it changes the system;
#   - code that installs the module ($env:PSModulePath, *-PSResource*): it changes this machine's PowerShell;
#   - code that reads another network namespace (-NetworkNamespace): it names one the reader has (tests/NetworkNamespace.Tests.ps1 makes its own).

BeforeDiscovery {
    $script:NotRunRules = @(
        @{ Pattern = '-(ComputerName|HostName)\b'; Reason = 'needs PowerShell remoting to other hosts' }
        @{ Pattern = '-ScheduledTask'; Reason = 'Task Scheduler is Windows-only, and the example changes the system' }
        @{ Pattern = '\$env:PSModulePath|-PSResource'; Reason = 'it installs the module on this machine' }
        @{ Pattern = '-NetworkNamespace\b'; Reason = 'it names a network namespace or container of the reader''s' }
    )
    # Code blocks with the heading they sit under: "Get-PortConnection.md / Example 4: ..." names the example.
    $pages = @(Get-ChildItem (Join-Path $PSScriptRoot '../docs') -Filter *.md | Sort-Object Name) + (Get-Item (Join-Path $PSScriptRoot '../README.md'))
    $script:Examples = foreach ($file in $pages) {
        $heading = $null
        $code = $null
        $index = 0
        foreach ($line in (Get-Content $file.FullName)) {
            if ($null -ne $code) {
                if ($line -match '^\s*```\s*$') {
                    $index++
                    $text = $code -join "`n"
                    $rule = $NotRunRules | Where-Object { $text -match $_.Pattern } | Select-Object -First 1
                    @{ Name = "$($file.Name) / $heading (block $index)"; Code = $text; NotRun = $rule.Reason }
                    $code = $null
                }
                else { $code += $line }
                continue
            }
            if ($line -match '^#+ (.+)$') { $heading = $Matches[1] }
            elseif ($line -match '^\s*```powershell\s*$') { $code = @() }
        }
    }
}

BeforeAll {
    $modulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $modulePath -Force
    # "Import-Module PortTools" in an example finds the built module by name.
    $script:SavedModulePath = $env:PSModulePath
    $env:PSModulePath = (Split-Path (Split-Path $modulePath)) + [IO.Path]::PathSeparator + $env:PSModulePath
}

AfterAll { $env:PSModulePath = $SavedModulePath }

Describe 'Examples in docs/' {
    It 'finds the examples (<_.Count> code blocks)' -ForEach @(, $Examples) {
        $_.Count | Should -BeGreaterOrEqual 20
    }

    It 'not-run rule /<Pattern>/ still matches an example' -ForEach $NotRunRules {
        @($Examples | Where-Object { $_.Code -match $Pattern }).Count | Should -BeGreaterThan 0
    }

    It 'parses: <Name>' -ForEach $Examples {
        $errors = $null
        [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$null, [ref]$errors) | Out-Null
        @($errors).Count | Should -Be 0 -Because ($errors | Out-String)
    }

    It 'runs without error: <Name>' -ForEach $Examples {
        if ($NotRun) { Set-ItResult -Skipped -Because $NotRun; return }
        Push-Location $TestDrive
        try {
            $ErrorActionPreference = 'Stop'
            $Error.Clear()
            $output = & ([scriptblock]::Create($Code)) *>&1 | Out-String -Width 200
            @($Error).Count | Should -Be 0 -Because ($Error | Out-String)
            $output | Should -Not -Match 'Exception|CategoryInfo'
        }
        finally { Pop-Location }
    }
}
