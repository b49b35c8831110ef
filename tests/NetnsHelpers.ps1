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

# One line per route with every field ip prints; ip leaves out the defaults (type unicast, protocol boot,
# scope global, metric 0, table main).
function ConvertTo-IpSignature($j, [bool] $V6) {
    $onLink = if ($V6) { '::' } else { '0.0.0.0' }
    $dst = [string]$j.dst
    $dst = if ($dst -eq 'default') { if ($V6) { '::/0' } else { '0.0.0.0/0' } } elseif ($dst.Contains('/')) { $dst } elseif ($V6) { "$dst/128" } else { "$dst/32" }
    $table = switch ([string]$j.table) { '' { 254 } 'main' { 254 } 'local' { 255 } 'default' { 253 } default { $_ } }
    $hops = if ($j.nexthops) { $j.nexthops | ForEach-Object { "$(if ($_.gateway) { $_.gateway } else { $onLink })@$($_.dev)*$($_.weight)" } }
            elseif ($j.dev -or $j.gateway) { "$(if ($j.gateway) { $j.gateway } else { $onLink })@$($j.dev)*1" }
    $type = if ($j.type) { $j.type } else { 'unicast' }
    $proto = if ($j.protocol) { $j.protocol } else { 'boot' }
    $scope = if ($j.scope) { $j.scope } else { 'global' }
    "$type $dst table $table proto $proto scope $scope metric $([int64]$j.metric) src $($j.prefsrc) hops $(@($hops) -join ',')"
}

function ConvertTo-Signature($r) {
    $hops = @($r.NextHops) | Where-Object { $_ } | ForEach-Object { "$($_.NextHop)@$($_.InterfaceAlias)*$($_.Weight)" }
    "$(([string]$r.Type).ToLowerInvariant()) $($r.DestinationPrefix) table $($r.Table) proto $(([string]$r.Protocol).ToLowerInvariant()) " +
    "scope $(([string]$r.Scope).ToLowerInvariant()) metric $($r.RouteMetric) src $($r.PreferredSource) hops $(@($hops) -join ',')"
}


# The lookup as `ip -j route get ADDRESS [oif DEV]` prints it: type, host prefix, gateway, device, table, source.
function ConvertTo-IpLookupSignature($j, [bool] $V6) {
    $onLink = if ($V6) { '::' } else { '0.0.0.0' }
    $table = switch ([string]$j.table) { '' { 254 } 'main' { 254 } 'local' { 255 } 'default' { 253 } default { $_ } }
    $type = if ($j.type) { $j.type } else { 'unicast' }
    "$type $($j.dst)/$(if ($V6) { 128 } else { 32 }) via $(if ($j.gateway) { $j.gateway } else { $onLink }) dev $($j.dev) table $table src $($j.prefsrc)"
}

function ConvertTo-LookupSignature($r) {
    "$(([string]$r.Type).ToLowerInvariant()) $($r.DestinationPrefix) via $($r.NextHop) dev $($r.InterfaceAlias) table $($r.Table) src $($r.PreferredSource)"
}

# Compares each lookup with `ip route get` (the answer) and `ip route get fibmatch` (MatchedRoute) in the
# same namespace, address by address; returns the disagreements.
function Compare-WithIpRouteGet([string] $Namespace, [string[]] $Addresses, $Routes, [string[]] $Extra = @()) {
    for ($i = 0; $i -lt $Addresses.Count; $i++) {
        $address = $Addresses[$i]
        $v6 = $address.Contains(':')
        $family = if ($v6) { '-6' } else { '-4' }
        $ip = (Invoke-Json (@('ip', '-n', $Namespace, $family, '-j', 'route', 'get', $address) + $Extra))[0]
        $fib = (Invoke-Json (@('ip', '-n', $Namespace, $family, '-j', 'route', 'get', 'fibmatch', $address) + $Extra))[0]
        $r = $Routes[$i]
        $ours = ConvertTo-LookupSignature $r
        $theirs = ConvertTo-IpLookupSignature $ip $v6
        # IPv6 answers carry the route's protocol and metric too (net/ipv6/route.c rt6_fill_node).
        if ($ip.protocol) { $ours += " proto $(([string]$r.Protocol).ToLowerInvariant())"; $theirs += " proto $($ip.protocol)" }
        if ($null -ne $ip.metric) { $ours += " metric $($r.RouteMetric)"; $theirs += " metric $($ip.metric)" }
        $ours += " | " + (ConvertTo-Signature $r.MatchedRoute)
        $theirs += " | " + (ConvertTo-IpSignature $fib $v6)
        if ($ours -ne $theirs) { "$address`n  ours: $ours`n  ip:   $theirs" }
    }
}
