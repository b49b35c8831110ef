# Holds -Count loopback TCP connections until standard input closes (see ConnectionHolder.cs).
# -Assembly: ConnectionHolder.cs compiled once beforehand (Add-Type -OutputAssembly), so that each of many
# holders starts without compiling it again.
param([Parameter(Mandatory)] [int] $Count, [string] $Assembly = (Join-Path $PSScriptRoot 'ConnectionHolder.cs'))
Add-Type -Path $Assembly
[ConnectionHolder]::Run($Count)
