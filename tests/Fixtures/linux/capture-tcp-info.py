#!/usr/bin/env python3
"""Captures a sock_diag TCP dump with the ss -tinmo attributes (INET_DIAG_INFO, INET_DIAG_CONG, INET_DIAG_SKMEMINFO).

Run in an empty network namespace, so that only these sockets show:
    unshare -n sh -c 'ip link set lo up && python3 capture-tcp-info.py'
Opens on 127.0.0.1: a listener on 18090 (congestion control reno) with one accepted connection whose client
has keepalive on (TCP_KEEPIDLE 600 s), sends 1000 bytes and gets 500 back; and a connection to 18091 that the
client closes first, leaving a TIME_WAIT socket. Then writes sock-diag-tcp4-info.bin (the raw reply datagrams)
and ss-tinmo-tcp4-info.txt (ss -tinmo over the same sockets, taken right after). Tests assert on these facts.
"""
import socket, struct, subprocess, time

INFO, CONG, SKMEMINFO = 2, 4, 7
EXT = (1 << (INFO - 1)) | (1 << (CONG - 1)) | (1 << (SKMEMINFO - 1))

def dump(family, proto, states=0xFFF):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)
    req = struct.pack('=IHHII', 72, 20, 0x301, 1, 0)
    req += struct.pack('=BBBxI', family, proto, EXT, states) + bytes(40) + b'\xff' * 8
    s.sendto(req, (0, 0))
    out = b''
    while True:
        data = s.recv(65536)
        out += data
        off = 0
        while off + 16 <= len(data):
            ln, typ = struct.unpack_from('=IH', data, off)
            if typ == 3:
                return out
            off += (ln + 3) & ~3

def reno(sock):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b'reno')
    return sock

listener = reno(socket.socket()); listener.bind(('127.0.0.1', 18090)); listener.listen(5)
client = reno(socket.socket())
client.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 600)
client.connect(('127.0.0.1', 18090)); server, _ = listener.accept()
client.sendall(b'x' * 1000)
got = b''
while len(got) < 1000: got += server.recv(4096)
server.sendall(b'y' * 500)
got = b''
while len(got) < 500: got += client.recv(4096)

closing = socket.socket(); closing.bind(('127.0.0.1', 18091)); closing.listen(1)
early = socket.create_connection(('127.0.0.1', 18091)); late, _ = closing.accept()
early.close(); time.sleep(0.2); late.close(); time.sleep(0.2)

with open('sock-diag-tcp4-info.bin', 'wb') as f:
    f.write(dump(2, 6))
with open('ss-tinmo-tcp4-info.txt', 'w') as f:
    text = subprocess.run(['ss', '-tinmoa'], capture_output=True, text=True).stdout
    f.write(''.join(line.rstrip() + '\n' for line in text.splitlines()))
