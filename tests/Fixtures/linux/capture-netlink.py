#!/usr/bin/env python3
"""Captures the rtnetlink fixtures of this folder. Run inside the test bed of tests/netns-routes.sh:
    ip netns exec NS_A python3 capture-netlink.py
Writes each reply as the raw datagrams the kernel sent, concatenated (every datagram holds whole messages)."""
import socket, struct

NETLINK_ROUTE, RTM_GETROUTE = 0, 26
NLM_F_REQUEST, NLM_F_DUMP, RTM_F_LOOKUP_TABLE, RTM_F_FIB_MATCH = 0x1, 0x300, 0x1000, 0x2000

def exchange(payload, flags, seq, dump):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    s.sendto(struct.pack('<IHHII', 16 + len(payload), RTM_GETROUTE, flags, seq, 0) + payload, (0, 0))
    out = b''
    while True:
        data = s.recv(65536)
        out += data
        # A reply that is not a dump is one datagram; a dump ends with a datagram whose last message is
        # NLMSG_DONE (3) or NLMSG_ERROR (2).
        last = 0
        while last + struct.unpack_from('<I', data, last)[0] < len(data):
            last += (struct.unpack_from('<I', data, last)[0] + 3) & ~3
        if not dump or struct.unpack_from('<H', data, last + 4)[0] in (2, 3):
            return out

def rtmsg(family, dst_len=0, flags=0):
    return struct.pack('<BBBBBBBBI', family, dst_len, 0, 0, 0, 0, 0, 0, flags)

def lookup(address, family):
    raw = socket.inet_pton(family, address)
    fam = 2 if family == socket.AF_INET else 10
    return rtmsg(fam, len(raw) * 8, RTM_F_FIB_MATCH | RTM_F_LOOKUP_TABLE) + struct.pack('<HH', 4 + len(raw), 1) + raw

files = {
    'rtnl-route-dump-ipv4.bin': exchange(rtmsg(2), NLM_F_REQUEST | NLM_F_DUMP, 1, True),
    'rtnl-route-dump-ipv6.bin': exchange(rtmsg(10), NLM_F_REQUEST | NLM_F_DUMP, 2, True),
    'rtnl-route-get-10.99.7.5.bin': exchange(lookup('10.99.7.5', socket.AF_INET), NLM_F_REQUEST, 3, False),
    'rtnl-route-get-fd00-99-6--1.bin': exchange(lookup('fd00:99:6::1', socket.AF_INET6), NLM_F_REQUEST, 4, False),
    'rtnl-route-get-10.99.4.1-blackhole.bin': exchange(lookup('10.99.4.1', socket.AF_INET), NLM_F_REQUEST, 5, False),
}
for name, data in files.items():
    open(name, 'wb').write(data)
    print(name, len(data))
