# Holds -Count loopback TCP connections until standard input closes (see ConnectionHolder.cs).
param([Parameter(Mandatory)] [int] $Count)
Add-Type -Path (Join-Path $PSScriptRoot 'ConnectionHolder.cs')
[ConnectionHolder]::Run($Count)
