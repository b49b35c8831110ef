#Requires -Modules Pester
# Where OwningService comes from on Windows: the Service Control Manager's running Win32 services with their pids
# (EnumServicesStatusExW, SC_ENUM_PROCESS_INFO), read and decoded as the module does, against .NET's own reader of
# the same SCM (ServiceController, behind Get-Service) and the process list. Under Wine, services.exe is a real SCM;
# the sockets' owners are not (pid 0), so OwningService on a socket is tested with fixtures only.

BeforeAll {
    . (Join-Path $PSScriptRoot 'WineHelpers.ps1')
    Import-Module $ModulePath -Force
    $advApi32 = (Get-Module PortTools).ImplementingAssembly.GetType('PortTools.Platform.Windows.AdvApi32')
    $script:Running = @($advApi32.GetMethod('RunningServices', [Reflection.BindingFlags]'Static,NonPublic').Invoke($null, @()) |
            ForEach-Object { [pscustomobject]@{ Name = $_.Item1; ProcessId = $_.Item2 } })
    # ServiceController's Win32 services (own and shared process) that run now.
    $script:Expected = @([ServiceProcess.ServiceController]::GetServices() |
            Where-Object { $_.Status -eq 'Running' -and ($_.ServiceType -band 0x30) } | ForEach-Object ServiceName)
}

Describe 'The services of each process, from the Service Control Manager' {
    It 'lists the running services ServiceController lists' {
        $Expected.Count | Should -BeGreaterThan 0 -Because 'the SCM runs services (Wine: services.exe)'
        @($Running.Name | Sort-Object) | Should -Be @($Expected | Sort-Object)
    }

    It 'gives each the pid of a live process' {
        foreach ($service in $Running) {
            $service.ProcessId | Should -BeGreaterThan 0
            Get-Process -Id $service.ProcessId -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "$($service.Name) runs in it"
        }
    }

    It 'completes -ServiceName with them' {
        $first = ($Running.Name | Sort-Object)[0]
        (TabExpansion2 "Get-PortConnection -ServiceName $($first.Substring(0, 2))").CompletionMatches.ListItemText | Should -Contain $first
    }
}
