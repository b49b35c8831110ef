#!/usr/bin/env bash
# Adds to a test bed built by netns-routes.sh what the -Destination tests compare with `ip route get`: a second link
# (pt2 in NS_A, pt3 in NS_B; 10.98.1.0/24, fd00:98:1::/64), so that link-local addresses exist on two
# interfaces; multipath default routes over four gateways on both links, so that the kernel's flow hash
# picks different paths for different destinations and multicast and limited broadcast have a device to
# leave by; and a route through a link-local gateway (the longest text the route views show). Removing the
# namespaces (netns-routes.sh down) removes all of it. Usage:
#   netns-route-lookup.sh NS_A NS_B
set -euo pipefail
a=$1 b=$2
ip -n "$a" link add pt2 type veth peer name pt3 netns "$b"
ip -n "$a" addr add 10.98.1.1/24 dev pt2
ip -n "$b" addr add 10.98.1.2/24 dev pt3
ip -n "$a" -6 addr add fd00:98:1::1/64 dev pt2 nodad
ip -n "$b" -6 addr add fd00:98:1::2/64 dev pt3 nodad
ip -n "$a" link set pt2 up
ip -n "$b" link set pt3 up
ip -n "$a" route add default nexthop via 10.99.1.2 dev pt0 nexthop via 10.99.1.3 dev pt0 weight 2 \
    nexthop via 10.98.1.2 dev pt2 nexthop via 10.98.1.3 dev pt2
ip -n "$a" -6 route add default nexthop via fd00:99:1::2 dev pt0 nexthop via fd00:99:1::3 dev pt0 \
    nexthop via fd00:98:1::2 dev pt2 nexthop via fd00:98:1::3 dev pt2
ip -n "$a" -6 route add 2001:db8:1234:5678::/64 via fe80::1234:5678:9abc:def0 dev pt2
for i in $(seq 50); do
    [[ $(ip -n "$a" -6 addr show dev pt2 scope link) && $(ip -n "$b" -6 addr show dev pt3 scope link) ]] &&
        [[ -z $(ip -n "$a" -6 addr show tentative) && -z $(ip -n "$b" -6 addr show tentative) ]] && break
    sleep 0.1
done
