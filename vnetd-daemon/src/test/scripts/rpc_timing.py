#!/usr/bin/env python3
# Times RPC network.start/destroy of "default" (10x) and define+start of 100 NAT networks against a running
# vnetd (no namespace set-up here: start the daemon in a throwaway namespace first). Usage: rpc_timing.py RUN_DIR/vnetd.sock
import socket, struct, json, sys, time
sock_path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(sock_path)
i = 0
def call(method, params=None):
    global i; i += 1
    b = json.dumps({"jsonrpc":"2.0","id":i,"method":method,"params":params or {}}).encode()
    s.sendall(struct.pack(">I", len(b)) + b)
    def rd(n):
        d = b""
        while len(d) < n:
            c = s.recv(n - len(d))
            if not c: raise EOFError
            d += c
        return d
    n = struct.unpack(">I", rd(4))[0]
    r = json.loads(rd(n))
    if "error" in r: raise RuntimeError(r["error"])
    return r["result"]
def med(xs): xs = sorted(xs); return xs[len(xs)//2]
st, de = [], []
for k in range(10):
    t = time.perf_counter(); call("network.destroy", {"network":"default"}); de.append(time.perf_counter()-t)
    t = time.perf_counter(); call("network.start", {"network":"default"}); st.append(time.perf_counter()-t)
print("default: start median %.1f ms (min %.1f), destroy median %.1f ms (min %.1f)" % (med(st)*1e3, min(st)*1e3, med(de)*1e3, min(de)*1e3))
t0 = time.perf_counter(); per = []
for k in range(100):
    x = "<network><name>b%d</name><forward mode='nat'/><ip address='10.%d.%d.1' prefix='24'><dhcp><range start='10.%d.%d.10' end='10.%d.%d.100'/></dhcp></ip></network>" % (k, 100 + k//200, k%200, 100+k//200, k%200, 100+k//200, k%200)
    t = time.perf_counter(); call("network.define", {"xml": x}); call("network.start", {"network": "b%d" % k}); per.append(time.perf_counter()-t)
print("100 NAT networks defined+started in %.2f s; first 10 median %.1f ms, last 10 median %.1f ms" % (time.perf_counter()-t0, med(per[:10])*1e3, med(per[-10:])*1e3))
