#!/usr/bin/python3
"""Local users who ask for large replies and never read them, bounded in users, connections and time: what the
daemon buffers for them (up to its unread-reply limit per connection) is memory a flood makes it hold however
fast it runs, which must all come back once they close.

usage: unread_attacker.py SOCKET SECONDS FIRST_UID USERS CONNECTIONS REQUEST_JSON

Runs as root and forks USERS children, each as uid/gid FIRST_UID+i (no passwd entry needed). Each child opens
CONNECTIONS connections and sends REQUEST_JSON framed, 64 times on each, without reading a byte; after SECONDS
it closes them. The parent prints one JSON line: connections opened and refused, and frames sent, summed.
"""
import json
import os
import socket
import struct
import sys
import time

REQUESTS_PER_CONNECTION = 64


def child(path, seconds, uid, conns, frame, out):
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    stats = {"opened": 0, "refused": 0, "framesSent": 0}
    socks = []
    for _ in range(conns):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
        except OSError:
            stats["refused"] += 1
            s.close()
            continue
        s.setblocking(False)
        socks.append([s, REQUESTS_PER_CONNECTION, 0])
        stats["opened"] += 1
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for slot in socks:
            s, left, offset = slot
            while left > 0:
                try:
                    n = s.send(frame[offset:])
                except BlockingIOError:
                    break
                except OSError:  # closed by the daemon: the rest of this connection's requests are moot
                    left = 0
                    break
                offset += n
                if offset == len(frame):
                    offset = 0
                    left -= 1
                    stats["framesSent"] += 1
            slot[1], slot[2] = left, offset
        time.sleep(0.1)
    for s, _, _ in socks:
        s.close()
    os.write(out, (json.dumps(stats) + "\n").encode())


def main():
    path, seconds, first_uid, users, conns, request = (sys.argv[1], float(sys.argv[2]), int(sys.argv[3]),
                                                       int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    body = request.encode()
    frame = struct.pack(">I", len(body)) + body
    r, w = os.pipe()
    pids = []
    for i in range(users):
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                child(path, seconds, first_uid + i, conns, frame, w)
            finally:
                os._exit(0)
        pids.append(pid)
    os.close(w)
    with os.fdopen(r) as f:
        lines = f.read().splitlines()
    for pid in pids:
        os.waitpid(pid, 0)
    total = {"opened": 0, "refused": 0, "framesSent": 0, "users": len(lines)}
    for line in lines:
        for k, v in json.loads(line).items():
            total[k] += v
    print(json.dumps(total), flush=True)


if __name__ == "__main__":
    main()
