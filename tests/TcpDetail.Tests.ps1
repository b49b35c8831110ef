#Requires -Modules Pester
# Get-PortConnection -Detailed against ss -tinmo on loopback connections this process opens: one with a known
# congestion control (reno), keepalive and known byte counts, one whose peer never reads (a zero-window probe), and
# one left in TIME_WAIT. Linux only; skipped where ss is missing.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    $script:NoSs = if (-not $IsLinux) { 'TCP details are read from sock_diag on Linux only (Windows and macOS: see docs/Get-PortConnection.md)' }
    else { Get-MissingPrerequisite ss }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Prerequisites.ps1')
    $script:ModulePath = if ($env:PORTTOOLS_MODULE) { $env:PORTTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/PortTools/PortTools.psd1' }
    Import-Module $ModulePath -Force
    if (-not $IsLinux -or -not (Test-Command ss)) { return }

    $TCP_CONGESTION = 13 # linux/tcp.h, at level IPPROTO_TCP (6)
    function New-Socket([string] $CongestionControl) {
        $socket = [Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        if ($CongestionControl) { $socket.SetRawSocketOption(6, $TCP_CONGESTION, [byte[]][char[]]$CongestionControl) }
        $socket
    }
    function New-Pair([string] $CongestionControl, [int] $ReceiveBuffer) {
        $listener = New-Socket $CongestionControl
        if ($ReceiveBuffer) { $listener.ReceiveBufferSize = $ReceiveBuffer } # accepted sockets inherit it
        $listener.Bind([Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
        $listener.Listen(4)
        $client = New-Socket $CongestionControl
        $client.Connect($listener.LocalEndPoint)
        [pscustomobject]@{ Listener = $listener; Client = $client; Server = $listener.Accept() }
    }
    function Receive-Exactly([Net.Sockets.Socket] $Socket, [int] $Count) {
        $buffer = [byte[]]::new($Count)
        for ($got = 0; $got -lt $Count) { $got += $Socket.Receive($buffer, $got, $Count - $got, 'None') }
    }

    # reno with keepalive in 600 s; 10000 bytes one way, 3000 back, every byte acknowledged before anything is read.
    $script:Reno = New-Pair 'reno'
    $Reno.Client.SetSocketOption('Socket', 'KeepAlive', $true)
    $Reno.Client.SetSocketOption('Tcp', 'TcpKeepAliveTime', 600)
    $null = $Reno.Client.Send([byte[]]::new(10000))
    Receive-Exactly $Reno.Server 10000
    $null = $Reno.Server.Send([byte[]]::new(3000))
    Receive-Exactly $Reno.Client 3000

    # The server never reads and its window closes: the client probes it (ss: timer:(persist,...)).
    $script:Stalled = New-Pair -ReceiveBuffer 4096
    $Stalled.Client.Blocking = $false
    try { while ($true) { $null = $Stalled.Client.Send([byte[]]::new(65536)) } } catch [Net.Sockets.SocketException] { }

    # The client closes first and keeps the connection in TIME_WAIT.
    $closed = New-Pair
    $script:TimeWaitPort = $closed.Client.LocalEndPoint.Port
    $closed.Client.Close(); Start-Sleep -Milliseconds 100; $closed.Server.Close(); $closed.Listener.Close()
    Start-Sleep -Milliseconds 300 # the last ACKs, and the persist timer armed

    # Both readings of every socket of this test, ss right after Get-PortConnection; timers run on in between, for at
    # most Elapsed milliseconds (a loaded machine makes that seconds).
    function Read-Both {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $ports = @($Reno, $Stalled | ForEach-Object { $_.Listener.LocalEndPoint.Port }) + $TimeWaitPort
        $ours = @(Get-PortConnection -Detailed -Protocol Tcp -AddressFamily IPv4 -LocalAddress 127.0.0.1 |
                Where-Object { $ports -contains $_.LocalPort -or $ports -contains $_.RemotePort })
        $filter = ($ports | ForEach-Object { "sport = :$_ or dport = :$_" }) -join ' or '
        $ss = ConvertFrom-Ss (& ss -tinmoaH "( $filter )")
        [pscustomobject]@{ Ours = $ours; Ss = $ss; Elapsed = $clock.ElapsedMilliseconds }
    }

    # ss -tinmo's records (the socket line, then a tab-indented detail line) by "local peer".
    function ConvertFrom-Ss([string[]] $Lines) {
        $records = @{}
        $key = $null
        foreach ($line in $Lines) {
            if ($line -notmatch '^\s') {
                $fields = -split $line
                $key = "$($fields[3]) $($fields[4])"
                $records[$key] = $line
            }
            else { $records[$key] += ' ' + $line.Trim() }
        }
        $records
    }

    # The time left on a timer as ss showed it after ours, which it cut to the second: ours, less what passed between.
    function Test-TimeLeft([uint32] $Ours, [string] $SsText) {
        $ss = ConvertFrom-SsTime $SsText
        $ss | Should -BeLessOrEqual ($Ours + 1000)
        $ss | Should -BeGreaterOrEqual ($Ours - $Both.Elapsed - 1000)
    }

    # ss's print_ms_timer: "9min59sec", "59sec", "7.200sec" (6.1 prints "1.392ms" too), "420ms".
    function ConvertFrom-SsTime([string] $Text) {
        switch -Regex ($Text) {
            '^(\d+)min(?:(\d+)sec)?$' { return [int]$Matches[1] * 60000 + [int]$Matches[2] * 1000 }
            '^(\d+)\.(\d{3})(sec|ms)$' { return [int]$Matches[1] * 1000 + [int]$Matches[2] }
            '^(\d+)sec$' { return [int]$Matches[1] * 1000 }
            '^(\d+)ms$' { return [int]$Matches[1] }
            default { throw "Unknown ss time '$Text'" }
        }
    }

    function Get-SsField([string] $Record, [string] $Pattern) {
        if ($Record -match $Pattern) { $Matches[1] }
    }

    $SsTimers = @{ Retransmit = 'on'; KeepAlive = 'keepalive'; TimeWait = 'timewait'; ZeroWindowProbe = 'persist'; DelayedAck = 'delack' }
}

AfterAll {
    foreach ($pair in $Reno, $Stalled) { if ($pair) { $pair.Client.Dispose(); $pair.Server.Dispose(); $pair.Listener.Dispose() } }
}

Describe 'Get-PortConnection -Detailed agrees with ss -tinmo' -Skip:([bool]$NoSs) {
    BeforeAll {
        $script:Both = Read-Both
        function Get-Pair([Net.Sockets.Socket] $Socket) {
            $local = "127.0.0.1:$($Socket.LocalEndPoint.Port)"
            $remote = "127.0.0.1:$($Socket.RemoteEndPoint.Port)"
            $ours = @($Both.Ours | Where-Object { $_.LocalEndpoint -eq $local -and $_.RemoteEndpoint -eq $remote })
            $ours.Count | Should -Be 1 -Because "$local -> $remote is listed once"
            $ss = $Both.Ss["$local $remote"]
            $ss | Should -Not -BeNullOrEmpty -Because "ss lists $local -> $remote"
            [pscustomobject]@{ Detail = $ours[0].Detail; Ss = $ss }
        }
    }

    It 'reads the <Side> of the reno connection as ss does: algorithm, windows, bytes, memory' -ForEach @(
        @{ Side = 'client'; Socket = { $Reno.Client }; Sent = 10000; Received = 3000 }
        @{ Side = 'server'; Socket = { $Reno.Server }; Sent = 3000; Received = 10000 }
    ) {
        $pair = Get-Pair (& $Socket)
        $d = $pair.Detail
        $ss = $pair.Ss
        $d.CongestionControl | Should -Be 'reno'
        $ss | Should -Match '\sreno\s'
        $d.CongestionWindowSegments | Should -Be ([uint32](Get-SsField $ss '\scwnd:(\d+)'))
        $d.SlowStartThresholdSegments | Should -Be (Get-SsField $ss '\sssthresh:(\d+)') # both empty while in slow start
        $d.MaxSegmentSizeBytes | Should -Be ([uint32](Get-SsField $ss '\smss:(\d+)'))
        $d.RetransmitTimeoutMilliseconds | Should -Be ([double](Get-SsField $ss '\srto:([\d.]+)'))
        # Idle since the last acknowledgement: the counters do not move between the two readings.
        $d.BytesSent | Should -Be $Sent
        $d.BytesSent | Should -Be ([uint64](Get-SsField $ss '\sbytes_sent:(\d+)'))
        $d.BytesAcked | Should -Be ([uint64](Get-SsField $ss '\sbytes_acked:(\d+)'))
        $d.BytesAcked | Should -BeIn @($Sent, ($Sent + 1)) # the client's count includes its SYN
        $d.BytesReceived | Should -Be $Received
        $d.BytesReceived | Should -Be ([uint64](Get-SsField $ss '\sbytes_received:(\d+)'))
        $d.TotalRetransmits | Should -Be 0
        $d.DeliveryRateBytesPerSecond * 8 | Should -Be ([uint64](Get-SsField $ss '\sdelivery_rate (\d+)bps'))
        $d.PeerReceiveWindowBytes | Should -Be ([uint32](Get-SsField $ss '\ssnd_wnd:(\d+)'))
        # Round-trip times move only with new samples; loopback ones are well under a millisecond.
        $rtt, $rttVar = (Get-SsField $ss '\srtt:([\d.]+/[\d.]+)') -split '/'
        $d.RttMilliseconds | Should -BeGreaterThan 0
        [Math]::Abs($d.RttMilliseconds - [double]$rtt) | Should -BeLessOrEqual 1
        [Math]::Abs($d.RttVarianceMilliseconds - [double]$rttVar) | Should -BeLessOrEqual 1
        $skmem = (Get-SsField $ss 'skmem:\(([^)]+)\)') -split ','
        $skmem | Should -HaveCount 9
        @($d.ReceiveMemoryBytes, $d.ReceiveBufferBytes, $d.SendMemoryBytes, $d.SendBufferBytes, $d.ForwardAllocBytes, $d.SendQueuedBytes,
            $d.OptionMemoryBytes, $d.BacklogBytes, $d.Drops) | Should -Be @($skmem -replace '^[a-z]+', '' | ForEach-Object { [uint32]$_ })
    }

    It 'reads the keepalive timer of the reno client as ss -o does' {
        $pair = Get-Pair $Reno.Client
        $pair.Ss -match 'timer:\((\w+),([^,]+),(\d+)\)' | Should -BeTrue
        $name, $left, $retries = $Matches[1], $Matches[2], $Matches[3]
        $pair.Detail.Timer | Should -Be 'KeepAlive'
        $SsTimers["$($pair.Detail.Timer)"] | Should -Be $name
        Test-TimeLeft $pair.Detail.TimerRemainingMilliseconds $left
        $pair.Detail.TimerRemainingMilliseconds | Should -BeLessOrEqual 600000
        $pair.Detail.TimerRetries | Should -Be ([int]$retries)
        (Get-Pair $Reno.Server).Detail.Timer | Should -Be 'None' # no keepalive on that side
    }

    It 'reads the zero-window probe of a sender whose peer does not read' {
        $pair = Get-Pair $Stalled.Client
        $pair.Ss -match 'timer:\((\w+),' | Should -BeTrue
        $SsTimers["$($pair.Detail.Timer)"] | Should -Be $Matches[1]
        $pair.Detail.Timer | Should -Be 'ZeroWindowProbe'
        # Probes back off from the RTO; the time left is below the largest RTO (120 s).
        $pair.Detail.TimerRemainingMilliseconds | Should -BeLessOrEqual 120000
        $pair.Detail.SendQueuedBytes | Should -Be ([uint32](Get-SsField $pair.Ss 'skmem:\([^)]*,w(\d+),'))
        $pair.Detail.SendQueuedBytes | Should -BeGreaterThan 0
        $pair.Detail.ReceiveWindowLimitedMilliseconds | Should -BeGreaterThan 0 # ss: rwnd_limited
    }

    It 'reads the TIME_WAIT socket: its timer only, as ss shows nothing else' {
        $ours = @($Both.Ours | Where-Object { $_.LocalPort -eq $TimeWaitPort -and $_.State -eq 'TimeWait' })
        $ours.Count | Should -Be 1
        $ss = $Both.Ss["$($ours[0].LocalEndpoint) $($ours[0].RemoteEndpoint)"]
        $ss -match 'timer:\(timewait,([^,]+),0\)' | Should -BeTrue
        $d = $ours[0].Detail
        $d.Timer | Should -Be 'TimeWait'
        Test-TimeLeft $d.TimerRemainingMilliseconds $Matches[1]
        $d.RttMilliseconds | Should -BeNullOrEmpty
        $d.CongestionControl | Should -BeNullOrEmpty
        $ss | Should -Not -Match 'skmem|rtt:'
    }

    It 'reads the listener''s algorithm and window as ss does' {
        $local = "127.0.0.1:$($Reno.Listener.LocalEndPoint.Port)"
        $listener = @($Both.Ours | Where-Object { $_.LocalEndpoint -eq $local -and $_.State -eq 'Listen' })[0]
        $listener.Detail.CongestionControl | Should -Be 'reno'
        $listener.Detail.CongestionWindowSegments | Should -Be ([uint32](Get-SsField $Both.Ss["$local 0.0.0.0:*"] '\scwnd:(\d+)'))
    }
}

Describe 'Get-PortConnection -Detailed output' -Skip:([bool]$NoSs) {
    It 'leaves Detail empty without -Detailed and for UDP' {
        (Get-PortConnection -LocalPort $Reno.Listener.LocalEndPoint.Port -State Listen).Detail | Should -BeNullOrEmpty
        $udp = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
        try { (Get-PortConnection -Detailed -LocalPort $udp.Client.LocalEndPoint.Port -Protocol Udp).Detail | Should -BeNullOrEmpty }
        finally { $udp.Dispose() }
    }

    BeforeAll {
        # Both ports: another connection may use the same ephemeral port towards another peer.
        $script:Client = @{ LocalPort = $Reno.Client.LocalEndPoint.Port; RemotePort = $Reno.Client.RemoteEndPoint.Port }
    }

    It 'shows the details under each connection by default, as ss -ti, in 80 columns' {
        $port = $Client.LocalPort
        $text = Get-PortConnection -Detailed @Client | Out-String -Width 80
        $lines = @($text -split '\r?\n' | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^Proto\s+Local Address\s+Foreign Address\s+State\s+PID\s+Process\s*$'
        $lines[2] | Should -Match "^TCP\s+127\.0\.0\.1:$port\s+127\.0\.0\.1:\d+\s+Established\s+$PID\s"
        $details = ($lines | Select-Object -Skip 3 | ForEach-Object { $_.Trim() }) -join ' '
        $details | Should -Match '^reno rto:\d+ rtt:[\d.]+/[\d.]+ mss:\d+ cwnd:10 bytes_sent:10000 bytes_acked:10001 bytes_received:3000 '
        $details | Should -Match 'timer:\(keepalive,(9m\d\ds|10m00s),0\) skmem:\(r0,rb\d+,t0,tb\d+,f\d+,w0,o0,bl0,d0\)$'
        $lines | Select-Object -Skip 3 | ForEach-Object { $_ | Should -Match '^      \S' }
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        # Without -Detailed, one line per connection.
        @((Get-PortConnection @Client | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }) | Should -HaveCount 3
    }

    It 'shows ss -ti''s first numbers in one line per connection with Format-Table -View Detailed' {
        $port = $Client.LocalPort
        $lines = @((Get-PortConnection -Detailed @Client | Format-Table -View Detailed | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() })
        $lines[0] | Should -BeExactly ([PortTools.Formatting.TcpDetailRow]::Header) # the label of the format file, aligned with the rows
        $lines[2] | Should -Match "^127\.0\.0\.1:$port\s+127\.0\.0\.1:\d+\s+[\d.]+\s+10\s+0/0\s+keepalive (9m\d\ds|10m00s)$"
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        # Read without -Detailed, the same rows with empty detail cells.
        Get-PortConnection @Client | Format-Table -View Detailed | Out-String -Width 80 | Should -Match "127\.0\.0\.1:$port\s+127\.0\.0\.1:\d+\s*\r?\n"
    }

    It 'writes the detail as ss does in Export-Csv and in jobs (<Case>)' -ForEach @(
        @{ Case = 'Export-Csv'; Read = { param($ports) Get-PortConnection -Detailed @ports | ConvertTo-Csv | ConvertFrom-Csv } }
        @{ Case = 'a job'; Read = { param($ports) Start-Job { Import-Module $using:ModulePath; $p = $using:ports; Get-PortConnection -Detailed @p } | Receive-Job -Wait -AutoRemoveJob } }
    ) {
        $back = @(& $Read $Client)
        $back | Should -HaveCount 1
        "$($back.Detail)" | Should -Match ('^reno rto:\d+ rtt:[\d.]+/[\d.]+ mss:\d+ cwnd:10 bytes_sent:10000 bytes_acked:10001 bytes_received:3000 ' +
            '.*timer:\(keepalive,[^)]+\) skmem:\(r0,rb\d+,')
        if ($Case -eq 'a job') {
            # The default table still shows the details under the connection.
            $back | Out-String -Width 80 | Should -Match "Established\s+$PID\s+\S+\s*\r?\n\s+reno rto:"
        }
    }

    It 'shows the Detailed view for connections read back with Import-Clixml' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "porttools-$([guid]::NewGuid()).xml"
        try {
            Get-PortConnection -Detailed @Client | Export-Clixml $file
            $back = Import-Clixml $file
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.PortTools.Models.PortConnection'
            $back | Format-Table -View Detailed | Out-String -Width 80 | Should -Match "127\.0\.0\.1:$($Client.LocalPort)\s+127\.0\.0\.1:\d+\s+[\d.]+\s+10\s+0/0\s+keepalive \d+m\d\ds"
        }
        finally { Remove-Item $file -ErrorAction SilentlyContinue }
    }

    It 'says once that the /proc/net fallback has no details, and leaves Detail empty' {
        $env:PORTTOOLS_LINUX_SOURCE = 'proc'
        try { $c = @(Get-PortConnection -Detailed @Client -WarningVariable warnings -WarningAction SilentlyContinue) }
        finally { Remove-Item Env:PORTTOOLS_LINUX_SOURCE }
        $c | Should -HaveCount 1
        $c[0].Detail | Should -BeNullOrEmpty
        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -Match 'sock_diag'
    }

    It 'lists every detail with Format-List' {
        $text = (Get-PortConnection -Detailed @Client).Detail | Format-List | Out-String
        $text | Should -Match 'CongestionControl\s+: reno'
        $text | Should -Match 'BytesReceived\s+: 3000'
        $text | Should -Match 'Timer\s+: KeepAlive'
    }
}
