# Routes as one line of text each, ours and `ip -j route` alike, so that a test compares whole tables and
# lookups with what ip prints: Get-RouteTable.Tests.ps1 in its namespaces, Unprivileged.Tests.ps1 as nobody.

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

# The disagreement of our lookup of $Address with `ip -j route get` ($Ip) and `ip -j route get fibmatch` ($Fib,
# the table entry, our MatchedRoute); nothing when they agree.
function Compare-Lookup([string] $Address, $Route, $Ip, $Fib) {
    $v6 = $Address.Contains(':')
    $ours = ConvertTo-LookupSignature $Route
    $theirs = ConvertTo-IpLookupSignature $Ip $v6
    # IPv6 answers carry the route's protocol and metric too (net/ipv6/route.c rt6_fill_node).
    if ($Ip.protocol) { $ours += " proto $(([string]$Route.Protocol).ToLowerInvariant())"; $theirs += " proto $($Ip.protocol)" }
    if ($null -ne $Ip.metric) { $ours += " metric $($Route.RouteMetric)"; $theirs += " metric $($Ip.metric)" }
    $ours += " | " + (ConvertTo-Signature $Route.MatchedRoute)
    $theirs += " | " + (ConvertTo-IpSignature $Fib $v6)
    if ($ours -ne $theirs) { "$Address`n  ours: $ours`n  ip:   $theirs" }
}
