#!/usr/bin/python3
"""Valid read-only requests, as large as the socket takes, pipelined: the memory a running request holds
(frame, parsed params, reply) outlives the daemon's young generation, so a flood of them touches old
generation pages that stay in RSS.

usage: pipeline_attacker.py SOCKET SECONDS CONNECTIONS FRAME_BYTES DEPTH

Each of CONNECTIONS connections keeps DEPTH network.lookup requests of FRAME_BYTES (a long network name)
outstanding for SECONDS, then one JSON line of counts is printed.
"""
import json
import selectors
import socket
import struct
import sys
import time


def main():
    path, seconds, conns, size, depth = (sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]),
                                         int(sys.argv[5]))
    head = {"jsonrpc": "2.0", "id": 1, "method": "network.lookup", "params": {"network": ""}}
    name = "x" * (size - len(json.dumps(head)))
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "network.lookup", "params": {"network": name}}).encode()
    frame = struct.pack(">I", len(body)) + body
    sel = selectors.DefaultSelector()
    stats = {"replies": 0, "closedByDaemon": 0, "frameBytes": len(body)}
    for _ in range(conns):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        s.sendall(frame * depth)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, bytearray())
    end = time.monotonic() + seconds
    while time.monotonic() < end and sel.get_map():
        for key, _ in sel.select(0.2):
            s, pending = key.fileobj, key.data
            try:
                data = s.recv(1 << 20)
            except BlockingIOError:
                continue
            except ConnectionResetError:
                data = b""
            if not data:
                sel.unregister(s)
                s.close()
                stats["closedByDaemon"] += 1
                continue
            pending += data
            while len(pending) >= 4:
                n = struct.unpack(">I", pending[:4])[0]
                if len(pending) < 4 + n:
                    break
                del pending[:4 + n]
                stats["replies"] += 1
                try:
                    s.sendall(frame)
                except OSError:
                    pass
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    main()
