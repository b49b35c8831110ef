# The built module run as the unprivileged user nobody (uid and gid 65534, no groups), through setpriv as root:
# each cmdlet's unprivileged path, in every test run, and the suite itself as it runs without root
# (Invoke-PesterAsNobody.ps1). nobody cannot read root's home, where the local tool keeps PowerShell, so a
# sandbox holds readable copies of PowerShell and of the module (and of Pester, to run test files as nobody).
# Needs Get-MissingPrerequisite nobody (Prerequisites.ps1).

function New-NobodySandbox([string] $ModulePath, [string] $PesterPath) {
    $sandbox = Join-Path ([IO.Path]::GetTempPath()) "porttools-nobody-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $sandbox | Out-Null
    Copy-Item $PSHOME (Join-Path $sandbox 'pwsh') -Recurse
    Copy-Item (Split-Path $ModulePath) (Join-Path $sandbox 'PortTools') -Recurse
    if ($PesterPath) { Copy-Item $PesterPath (Join-Path $sandbox 'Pester') -Recurse }
    & chmod -R a+rX $sandbox
    & chmod 1777 $sandbox
    $sandbox
}

<#
Runs $Script in the sandbox's pwsh as nobody and returns what it wrote, as JSON converted back; throws when it
exits with an error. -HidePid: in a private mount namespace whose /proc is a new procfs mounted hidepid=N (Linux
5.8+: per mount), so the host's /proc is untouched. -Path: the child's PATH; -Environment: more variables for it.
#>
function Invoke-AsNobody([string] $Sandbox, [string] $Script, [string] $HidePid, [string] $Path = $env:PATH, [hashtable] $Environment = @{}) {
    $inNamespace = if ($HidePid) { 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', "mount -t proc -o hidepid=$HidePid proc /proc && exec `"`$@`"", 'sh' } else { @() }
    $variables = @("HOME=$Sandbox", "PATH=$Path", 'DOTNET_CLI_TELEMETRY_OPTOUT=1', 'POWERSHELL_TELEMETRY_OPTOUT=1', 'POWERSHELL_UPDATECHECK=Off') +
        @($Environment.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
    $command = @($inNamespace) + @('setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', '/usr/bin/env') + $variables +
        @([Environment]::ProcessPath, (Join-Path $Sandbox 'pwsh/pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $Script)
    $out = & $command[0] $command[1..($command.Count - 1)]
    # Control characters (ANSI colours) as ?: test reports are XML, which cannot hold them.
    if ($LASTEXITCODE -ne 0) { throw "pwsh as nobody exited with $LASTEXITCODE`: $(($out | Out-String) -replace '[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]', '?')" }
    $out | ConvertFrom-Json
}

<#
A PATH for a machine without the tools the suite can do without (iproute2's ip and ss, nstat, setpriv, unshare,
getent, OpenSSH, Wine): a folder of links to every other command of this one's PATH.
#>
function New-PathWithout([string] $Folder, [string[]] $Missing = @('ip', 'ss', 'nstat', 'setpriv', 'unshare', 'getent', 'sshd', 'ssh', 'wine')) {
    New-Item -ItemType Directory $Folder -Force | Out-Null
    # .NET rather than the cmdlets: names such as [ are wildcards to them.
    foreach ($dir in $env:PATH -split [IO.Path]::PathSeparator | Where-Object { [IO.Directory]::Exists($_) }) {
        foreach ($file in [IO.Directory]::GetFiles($dir)) {
            $link = [IO.Path]::Combine($Folder, [IO.Path]::GetFileName($file))
            if ($Missing -notcontains [IO.Path]::GetFileName($file) -and -not [IO.File]::Exists($link)) { $null = [IO.File]::CreateSymbolicLink($link, $file) }
        }
    }
    & chmod -R a+rX $Folder
    $Folder
}
