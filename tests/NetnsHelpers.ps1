# Shared by the Pester tests that need a network namespace: they run as root (CI does), build the test bed
# with netns-routes.sh, and run cmdlets inside it in a child pwsh (netlink and /proc/net are per namespace).

$script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
$script:RepoRoot = Join-Path $PSScriptRoot '..'

function New-TestNamespacePair([string] $Tag) {
    # Unique per run so that parallel or crashed runs do not collide.
    $names = "pt-$Tag-a-$PID", "pt-$Tag-b-$PID"
    & bash (Join-Path $PSScriptRoot 'netns-routes.sh') down @names
    & bash (Join-Path $PSScriptRoot 'netns-routes.sh') up @names
    if ($LASTEXITCODE -ne 0) { & bash (Join-Path $PSScriptRoot 'netns-routes.sh') down @names; throw 'netns-routes.sh up failed' }
    $names
}

function Remove-TestNamespacePair([string[]] $Names) {
    if ($Names) { & bash (Join-Path $PSScriptRoot 'netns-routes.sh') down @Names }
}

<#
Runs $Script with the built module imported, inside $Namespace, and returns what it outputs, deserialized
(so the Deserialized.* views are exercised too). $Environment adds variables (PORTTOOLS_LINUX_SOURCE=proc).
#>
function Invoke-InNamespace([string] $Namespace, [string] $Script, [hashtable] $Environment = @{}) {
    $result = [IO.Path]::GetTempFileName()
    $child = "`$ErrorActionPreference = 'Stop'; Import-Module '$script:ModulePath'; & { $Script } | Export-Clixml -Depth 6 -LiteralPath '$result'"
    $variables = @($Environment.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
    Push-Location $script:RepoRoot
    try {
        $output = & ip netns exec $Namespace env @variables dotnet pwsh -NoProfile -NonInteractive -Command $child 2>&1
        if ($LASTEXITCODE -ne 0) { throw "child pwsh in $Namespace failed: $output" }
        Import-Clixml -LiteralPath $result
    }
    finally {
        Pop-Location
        Remove-Item -LiteralPath $result -ErrorAction SilentlyContinue
    }
}

function Invoke-Json([string[]] $Command) {
    $text = & $Command[0] $Command[1..($Command.Count - 1)]
    if ($LASTEXITCODE -ne 0) { throw "$Command failed" }
    @($text | ConvertFrom-Json)
}

. (Join-Path $PSScriptRoot 'RouteSignatures.ps1')

# Compares each lookup with `ip route get` (the answer) and `ip route get fibmatch` (MatchedRoute) in the
# same namespace, address by address; returns the disagreements.
function Compare-WithIpRouteGet([string] $Namespace, [string[]] $Addresses, $Routes, [string[]] $Extra = @()) {
    for ($i = 0; $i -lt $Addresses.Count; $i++) {
        $address = $Addresses[$i]
        $v6 = $address.Contains(':')
        $family = if ($v6) { '-6' } else { '-4' }
        $ip = (Invoke-Json (@('ip', '-n', $Namespace, $family, '-j', 'route', 'get', $address) + $Extra))[0]
        $fib = (Invoke-Json (@('ip', '-n', $Namespace, $family, '-j', 'route', 'get', 'fibmatch', $address) + $Extra))[0]
        Compare-Lookup $address $Routes[$i] $ip $fib
    }
}
