#!/usr/bin/env bash
# Builds (up) or removes (down) the routing test bed shared by the Pester tests and the fixture capture:
# two network namespaces joined by a veth pair, addresses 10.99.1.0/24 and fd00:99:1::/64 only inside
# them, and routes of every kind in the main table, table 100 and a policy rule. Usage:
#   netns-routes.sh up|down NS_A NS_B
set -euo pipefail
cmd=$1 a=$2 b=$3
if [[ $cmd == down ]]; then
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    exit 0
fi
ip netns add "$a"
ip netns add "$b"
# No duplicate address detection: addresses (and their local routes) appear at once, not a second later.
for ns in "$a" "$b"; do ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0; done
ip -n "$a" link add pt0 type veth peer name pt1 netns "$b"
for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
ip -n "$a" addr add 10.99.1.1/24 dev pt0
ip -n "$b" addr add 10.99.1.2/24 dev pt1
ip -n "$a" -6 addr add fd00:99:1::1/64 dev pt0 nodad
ip -n "$b" -6 addr add fd00:99:1::2/64 dev pt1 nodad
ip -n "$a" link set pt0 up
ip -n "$b" link set pt1 up
r() { ip -n "$a" "$@"; }
r route add 10.99.2.0/24 via 10.99.1.2 metric 50 proto static
r route add 10.99.2.0/24 via 10.99.1.3 metric 60
r route add blackhole 10.99.4.0/24
r route add unreachable 10.99.5.0/24
r route add prohibit 10.99.5.128/25
r route add 10.99.6.0/24 nexthop via 10.99.1.2 weight 1 nexthop via 10.99.1.3 weight 3
r route add 10.99.7.0/24 via 10.99.1.3 table 100 proto dhcp
r route add 10.99.8.0/24 dev pt0 table 100 scope link src 10.99.1.1
r route add default via 10.99.1.2 table 100
r rule add to 10.99.7.0/24 table 100 priority 1000
r -6 route add fd00:99:2::/64 via fd00:99:1::2 metric 50
r -6 route add blackhole fd00:99:4::/64
r -6 route add fd00:99:6::/64 nexthop via fd00:99:1::2 weight 1 nexthop via fd00:99:1::3 weight 2
r -6 route add fd00:99:7::/64 via fd00:99:1::3 table 100
r -6 rule add to fd00:99:7::/64 table 100 priority 1000
# The link-local addresses come with the carrier; wait (bounded) until they are there and final.
for i in $(seq 50); do
    [[ $(ip -n "$a" -6 addr show dev pt0 scope link) && $(ip -n "$b" -6 addr show dev pt1 scope link) ]] &&
        [[ -z $(ip -n "$a" -6 addr show tentative) && -z $(ip -n "$b" -6 addr show tentative) ]] && break
    sleep 0.1
done
