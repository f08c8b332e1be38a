#!/usr/bin/env python3
"""A stand-in for vnetd's RPC (docs/rpc.md framing, JSON-RPC 2.0) answering the read-only listing calls
from fixed data. ONLY for measuring vnetctl's own start-up when no vnetd is available (bench/cli/run
--standin); the benchmark's report says so. Usage: standin-daemon.py SOCKET"""
import json, os, socket, struct, sys, threading

NETS = [
    {"name": n, "uuid": "00000000-0000-4000-8000-%012d" % i, "active": i % 3 != 2, "persistent": True,
     "autostart": i == 0, "bridge": "virbr%d" % i, "title": None}
    for i, n in enumerate(["default", "lab", "isolated", "Build", "storage"])
]

def answer(req):
    m = req.get("method")
    p = req.get("params") or {}
    if m == "network.list":
        return NETS
    if m == "network.lookup":
        for n in NETS:
            if p.get("network") in (n["name"], n["uuid"]):
                return n
        raise LookupError(p.get("network"))
    if m == "daemon.version":
        return {"version": "standin"}
    raise KeyError(m)

def serve(conn):
    with conn:
        while True:
            head = conn.recv(4, socket.MSG_WAITALL)
            if len(head) < 4:
                return
            (n,) = struct.unpack(">I", head)
            req = json.loads(conn.recv(n, socket.MSG_WAITALL))
            try:
                reply = {"jsonrpc": "2.0", "id": req.get("id"), "result": answer(req)}
            except LookupError as e:
                reply = {"jsonrpc": "2.0", "id": req.get("id"), "error": {"code": 10, "message":
                         "Network not found: no network with matching name '%s'" % e.args[0],
                         "data": {"name": "NO_SUCH_NETWORK"}}}
            except KeyError as e:
                reply = {"jsonrpc": "2.0", "id": req.get("id"), "error": {"code": -32601, "message":
                         "unknown method %s" % e.args[0], "data": {"name": "RPC_UNKNOWN_METHOD"}}}
            body = json.dumps(reply).encode()
            conn.sendall(struct.pack(">I", len(body)) + body)

def main():
    path = sys.argv[1]
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(16)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()

if __name__ == "__main__":
    main()
