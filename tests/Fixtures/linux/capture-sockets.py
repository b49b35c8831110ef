#!/usr/bin/env python3
"""Captures the Linux fixtures: real sock_diag replies and /proc/net tables for a known socket set.

Opens, on loopback only: a TCP listener on 127.0.0.1:18080 with one accepted connection, a TCP listener on
[::1]:18081, a dual-stack listener on [::]:18082 with an IPv4 client (an IPv4-mapped peer), and UDP sockets
on 127.0.0.1:18083 and [::1]:18084. Then dumps each (family, protocol) with NETLINK_SOCK_DIAG and copies
/proc/net/{tcp,tcp6,udp,udp6}. Run as: python3 capture-sockets.py (from this folder). Tests assert on those ports.
"""
import socket, struct

def dump(family, proto, states=0x1FFE):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)
    req = struct.pack('=IHHII', 72, 20, 0x301, 1, 0)
    req += struct.pack('=BBBxI', family, proto, 0, states) + bytes(40) + b'\xff' * 8
    s.sendto(req, (0, 0))
    out = b''
    while True:
        data = s.recv(65536)
        out += data
        off = 0
        done = False
        while off + 16 <= len(data):
            ln, typ = struct.unpack_from('=IH', data, off)
            if typ == 3:
                done = True
            off += (ln + 3) & ~3
        if done:
            return out

l4 = socket.socket(); l4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l4.bind(('127.0.0.1', 18080)); l4.listen(5)
c4 = socket.create_connection(('127.0.0.1', 18080)); a4, _ = l4.accept()
l6 = socket.socket(socket.AF_INET6); l6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l6.bind(('::1', 18081)); l6.listen(5)
ld = socket.socket(socket.AF_INET6); ld.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); ld.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ld.bind(('::', 18082)); ld.listen(5)
cd = socket.create_connection(('127.0.0.1', 18082)); ad, _ = ld.accept()
u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u4.bind(('127.0.0.1', 18083))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(('::1', 18084)); u6.connect(('::1', 18083 + 1))

for name, fam, proto in [('tcp4', 2, 6), ('tcp6', 10, 6), ('udp4', 2, 17), ('udp6', 10, 17)]:
    with open(f'sock-diag-{name}.bin', 'wb') as f:
        f.write(dump(fam, proto))
for name in ['tcp', 'tcp6', 'udp', 'udp6']:
    with open(f'proc-net-{name}.txt', 'w') as f, open(f'/proc/net/{name}') as src:
        f.write(src.read())
print('inodes:', {n: s.fileno() for n, s in [('l4', l4)]})
