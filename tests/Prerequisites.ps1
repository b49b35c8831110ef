# What a test needs from this machine beyond the .NET SDK, and why it cannot run here. The suite runs anywhere:
# a test whose prerequisite is missing is skipped with the reason (Pester prints it; build.ps1 counts the skips)
# rather than failing. CI runs as root with iproute2, ss, nstat, util-linux (setpriv, unshare), getent and
# OpenSSH, and so runs everything. Used as
#     It '...' { Skip-WithoutPrerequisite ss; ... }              (or in a BeforeEach, for every test of a block)
# and, where a block's setup needs it too:
#     BeforeAll { $script:Missing = Get-MissingPrerequisite netns, nstat; if ($Missing) { return } ... }
#     BeforeEach { if ($Missing) { Set-ItResult -Skipped -Because $Missing } }

# Root by the effective uid in /proc (asking `id` would be one more prerequisite).
function Test-Root {
    [bool]((Get-Content /proc/self/status -ErrorAction Ignore) -match '^Uid:\s+\d+\s+0\s')
}

function Test-Command([string] $Name) {
    [bool](Get-Command $Name -CommandType Application -ErrorAction Ignore)
}

<#
The reason a test that needs every one of $Need cannot run here, or $null when it can. A need is a command that
must be on PATH (ss, nstat, ip, setpriv, getent, unshare, mount, mkfifo, ...) or one of:
    root   root itself (mount namespaces, another user's identity)
    netns  root and `ip netns` (iproute2): the network namespaces of NetnsHelpers.ps1
    nobody root and setpriv: a child process as the unprivileged user nobody (NobodyHelpers.ps1)
    sshd   root and OpenSSH's server, installed or installable with apt-get (SshHelpers.ps1), and its client
#>
function Get-MissingPrerequisite([string[]] $Need) {
    foreach ($item in $Need) {
        $reason = switch ($item) {
            'root' { if (-not (Test-Root)) { 'it needs root (CI runs as root)' } }
            'netns' {
                if (-not (Test-Root)) { 'network namespaces need root (CI runs as root)' }
                elseif (-not (Test-Command ip)) { 'network namespaces need ip (iproute2), which is not on PATH' }
                elseif (-not (Test-Command sysctl)) { 'the namespace test bed needs sysctl (procps), which is not on PATH' }
            }
            'nobody' {
                if (-not (Test-Root)) { 'running as the user nobody needs root (CI runs as root)' }
                elseif (-not (Test-Command setpriv)) { 'running as the user nobody needs setpriv (util-linux), which is not on PATH' }
            }
            'sshd' {
                if (-not (Test-Root)) { 'a throwaway sshd needs root (CI runs as root)' }
                elseif (-not (Test-Path /usr/sbin/sshd) -and -not (Test-Command apt-get)) { 'it needs OpenSSH''s sshd (openssh-server), which is not installed' }
                elseif (-not (Test-Command ssh) -and (Test-Path /usr/sbin/sshd)) { 'it needs the ssh client (openssh-client), which is not on PATH' }
            }
            default { if (-not (Test-Command $item)) { "it needs $item, which is not on PATH" } }
        }
        if ($reason) { return $reason }
    }
}

# In an It or a BeforeEach: skips the test, with the reason, when one of $Need is missing (Set-ItResult stops it).
function Skip-WithoutPrerequisite([string[]] $Need) {
    $reason = Get-MissingPrerequisite $Need
    if ($reason) { Set-ItResult -Skipped -Because $reason }
}
