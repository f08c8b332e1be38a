"""One new client's DORA, as a relay agent sends it (bench/dhcp/first-client.sh): a DISCOVER from
giaddr:67 to the server's port 67, then the REQUEST for the offered address. Prints
"DISCOVER->OFFER REQUEST->ACK" in ms, or "timeout" when either reply does not come within 2 s.

    python3 dora_once.py SERVER GIADDR MAC
"""
import socket
import struct
import sys
import time

server, giaddr, mac = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3].replace(":", ""))
COOKIE = b"\x63\x82\x53\x63"


def message(kind, xid, requested=None):
    fixed = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 1, xid, 0, 0, bytes(4), bytes(4), bytes(4),
                        socket.inet_aton(giaddr), mac + bytes(10), b"", b"")
    options = COOKIE + bytes([53, 1, kind])
    if requested:
        options += bytes([50, 4]) + socket.inet_aton(requested) + bytes([54, 4]) + socket.inet_aton(server)
    return fixed + options + b"\xff"


def reply_type(data):
    i = 240
    while i + 1 < len(data) and data[i] != 255:
        if data[i] == 0:
            i += 1
            continue
        if data[i] == 53:
            return data[i + 2]
        i += 2 + data[i + 1]
    return None


def exchange(sock, msg, want, xid):
    t0 = time.perf_counter()
    sock.sendto(msg, (server, 67))
    while True:
        data, _ = sock.recvfrom(4096)
        if len(data) > 240 and struct.unpack("!I", data[4:8])[0] == xid and reply_type(data) == want:
            return data, (time.perf_counter() - t0) * 1000


s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((giaddr, 67))
s.settimeout(2)
xid = int.from_bytes(mac[-4:], "big")
try:
    offer, do = exchange(s, message(1, xid), 2, xid)
    _, ra = exchange(s, message(3, xid, socket.inet_ntoa(offer[16:20])), 5, xid)
    print("%.2f %.2f" % (do, ra))
except socket.timeout:
    print("timeout")
