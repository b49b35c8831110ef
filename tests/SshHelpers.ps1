# A throwaway OpenSSH server for remoting tests: its own config, host key, client key and PowerShell subsystem in
# a temporary folder, listening on loopback only (127.0.0.1 and 127.0.0.2, one port) so that one server is two
# hosts to Invoke-Command -HostName. Needs root (apt-get, and sshd's privilege separation).

# Installs Debian's OpenSSH server when absent; policy-rc.d and RUNLEVEL keep apt from starting the system's sshd.
function Install-SshServer {
    if (Test-Path /usr/sbin/sshd) { return }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    try {
        & timeout 300 apt-get install -y -q --no-install-recommends openssh-server 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) {
            & timeout 120 apt-get update -q 2>&1 | Out-Null
            & timeout 300 apt-get install -y -q --no-install-recommends openssh-server 2>&1 | Write-Host
        }
    }
    finally { Remove-Item env:DEBIAN_FRONTEND }
    if (-not (Test-Path /usr/sbin/sshd)) { throw 'apt-get install openssh-server did not install /usr/sbin/sshd' }
}

# Starts sshd; $ModuleRoot is the folder that holds the PortTools module folder, the remote side's PSModulePath.
function Start-LoopbackSshd([string] $ModuleRoot) {
    Install-SshServer
    $dir = Join-Path ([IO.Path]::GetTempPath()) "porttools-ssh-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $dir | Out-Null
    $hostKey = Join-Path $dir 'host_ed25519'
    $clientKey = Join-Path $dir 'client_ed25519'
    foreach ($key in $hostKey, $clientKey) { & ssh-keygen -q -t ed25519 -N '' -C porttools-test -f $key | Out-Null }
    Copy-Item "$clientKey.pub" (Join-Path $dir 'authorized_keys')

    # The subsystem: this session's own pwsh (the repository's local tool), the built module on its PSModulePath,
    # and no telemetry or update check (tests make no outside network calls).
    $dotnet = [Environment]::ProcessPath
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $subsystem = Join-Path $dir 'pwsh-sshs.sh'
    Set-Content $subsystem -Value @"
#!/bin/sh
export PSModulePath='$ModuleRoot' POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off DOTNET_CLI_TELEMETRY_OPTOUT=1
exec '$dotnet' '$pwshDll' "`$@"
"@
    & chmod 700 $subsystem

    $probe = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    # StrictModes off: the keys live under /tmp, which sshd's ownership walk would refuse.
    $config = Join-Path $dir 'sshd_config'
    Set-Content $config -Value @"
Port $port
ListenAddress 127.0.0.1
ListenAddress 127.0.0.2
HostKey $hostKey
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem powershell $subsystem -sshs -NoLogo -NoProfile
"@
    if (-not (Test-Path /run/sshd)) { New-Item -ItemType Directory /run/sshd | Out-Null }  # privilege separation
    $log = Join-Path $dir 'sshd.log'
    $process = Start-Process /usr/sbin/sshd -ArgumentList '-D', '-f', $config, '-E', $log -PassThru
    $server = [pscustomobject]@{ Directory = $dir; Port = $port; KeyFilePath = $clientKey; Process = $process; Log = $log }
    # Ready when both addresses accept; bounded.
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    foreach ($address in '127.0.0.1', '127.0.0.2') {
        while ($true) {
            $client = [Net.Sockets.TcpClient]::new()
            try { $client.Connect($address, $port); break }
            catch {
                if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                    $text = Get-Content $log -Raw -ErrorAction Ignore
                    Stop-LoopbackSshd $server
                    throw "sshd did not start on ${address}:$port. $text"
                }
                Start-Sleep -Milliseconds 100
            }
            finally { $client.Dispose() }
        }
    }
    $server
}

function Stop-LoopbackSshd($Server) {
    if (-not $Server) { return }
    if (-not $Server.Process.HasExited) { $Server.Process.Kill(); $Server.Process.WaitForExit(5000) | Out-Null }
    Remove-Item $Server.Directory -Recurse -Force -ErrorAction Ignore
}

# Invoke-Command -HostName's parameters for $Server: key authentication, the test's own host key accepted
# without touching ~/.ssh/known_hosts, and a bounded connection attempt.
function Get-SshParameters($Server) {
    @{
        Port              = $Server.Port
        UserName          = 'root'
        KeyFilePath       = $Server.KeyFilePath
        Options           = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
        ConnectingTimeout = 30000
    }
}
