#!/usr/bin/env python3
"""Helpers of bench/memory/flood (see README.md, "What a flood leaves").

  flood.py calls SOCK N          N cheap calls (network.list) on SOCK
  flood.py bignet SOCK HOSTS     defines network 'big' with HOSTS static DHCP hosts (a large network.getXml reply)
  flood.py sample LABEL PID JCMD prints one JSON line: VmRSS and the resident KiB of each kind of memory
  flood.py table FILE            the per-category table of the JSON lines in FILE, each against the first

A sample attributes every mapping of /proc/PID/smaps: the anonymous ones to the JVM reservation that holds them
(from `jcmd PID VM.native_memory detail`, so the daemon must run with -XX:NativeMemoryTracking=detail), or to
"malloc" (glibc's arenas and [heap], and its mmap'd large chunks: everything anonymous the JVM did not reserve
itself); file mappings to "files" (libjvm.so, the class archive, jars). NMT's own malloc'd figures (its summary's
committed KiB for Other, i.e. direct buffers, Internal, Symbol, Class...) are added as "nmt:*" so malloc can be
split into what the JVM accounts for and what it does not (netty's native code, libnftables, glibc's free lists).
"""
import bisect, json, os, re, socket, struct, subprocess, sys, time

RESERVED = re.compile(r"^\[0x([0-9a-f]+) - 0x([0-9a-f]+)\] reserved \d+KB for (.+?)(?: from)?$")
SUMMARY = re.compile(r"^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB\)")
MAPPING = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ (\d+)\s*(.*)$")


def calls(path, n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    for i in range(n):
        b = json.dumps({"jsonrpc": "2.0", "id": i, "method": "network.list", "params": {}}).encode()
        s.sendall(struct.pack(">I", len(b)) + b)
        need = struct.unpack(">I", recv(s, 4))[0]
        recv(s, need)
    s.close()


def bignet(path, hosts):
    xml = "".join("<host mac='52:54:00:00:%02x:%02x' name='host%d' ip='10.99.%d.%d'/>" % (i // 256, i % 256, i, 1 + i // 250,
                                                                                        1 + i % 250) for i in range(hosts))
    xml = ("<network><name>big</name><ip address='10.99.0.1' prefix='16'><dhcp><range start='10.99.200.1'"
           " end='10.99.200.250'/>%s</dhcp></ip></network>" % xml)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    b = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "network.define", "params": {"xml": xml}}).encode()
    s.sendall(struct.pack(">I", len(b)) + b)
    reply = json.loads(recv(s, struct.unpack(">I", recv(s, 4))[0]))
    if "error" in reply:
        sys.exit("network.define: %s" % reply["error"])


def probe(path, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        calls(path, 1)
        time.sleep(0.01)


def recv(s, n):
    d = b""
    while len(d) < n:
        c = s.recv(n - len(d))
        if not c:
            raise EOFError("vnetd closed the connection")
        d += c
    return d


def nmt(pid, jcmd):
    if os.environ.get("FLOOD_NMT") == "0":
        return [], {}
    out = subprocess.run([jcmd, str(pid), "VM.native_memory", "detail"], capture_output=True, text=True,
                         timeout=60).stdout
    regions, summary = [], {}
    for line in out.splitlines():
        m = RESERVED.match(line.strip())
        if m:
            regions.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
            continue
        m = SUMMARY.match(line.strip())
        if m and m.group(1) not in summary:
            summary[m.group(1)] = int(m.group(2))
    regions.sort()
    return regions, summary


def sample(label, pid, jcmd):
    regions, summary = nmt(pid, jcmd)
    starts = [r[0] for r in regions]
    cats = {}
    with open("/proc/%s/smaps" % pid) as f:
        lines = f.read().splitlines()
    cur = None
    mallocs = []
    for line in lines:
        m = MAPPING.match(line)
        if m:
            lo, name = int(m.group(1), 16), m.group(4).strip()
            if name and not name.startswith("["):
                cur = "files"
            elif name.startswith("[stack"):
                cur = "main thread stack"
            else:
                i = bisect.bisect_right(starts, lo) - 1
                cur = regions[i][2] if i >= 0 and regions[i][0] <= lo < regions[i][1] else "malloc"
                if cur == "malloc":
                    mallocs.append([m.group(1), (int(m.group(2), 16) - lo) // 1024, 0, name])
            continue
        if cur and line.startswith("Rss:"):
            cats[cur] = cats.get(cur, 0) + int(line.split()[1])
            if cur == "malloc":
                mallocs[-1][2] = int(line.split()[1])
    with open("/proc/%s/status" % pid) as f:
        rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    with open("/proc/%s/status" % pid) as f:
        threads = next(int(l.split()[1]) for l in f if l.startswith("Threads:"))
    for k in ("Other", "Internal", "Symbol", "Class", "Arena Chunk", "Compiler", "Object Monitors", "Native Memory Tracking",
              "Thread", "Code", "GC", "Metaspace"):
        if k in summary:
            cats["nmt:" + k] = summary[k]
    print(json.dumps({"label": label, "rss": rss, "threads": threads, "kib": cats, "mallocs": mallocs}), flush=True)


def table(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    keys = sorted({k for r in rows for k in r["kib"]}, key=lambda k: (k.startswith("nmt:"), -rows[0]["kib"].get(k, 0)))
    print("%-28s" % "resident MiB" + "".join("%16s" % r["label"][:15] for r in rows))
    print("%-28s" % "VmRSS" + "".join("%16s" % fmt(r["rss"], rows[0]["rss"]) for r in rows))
    print("%-28s" % "threads" + "".join("%16d" % r["threads"] for r in rows))
    for k in keys:
        base = rows[0]["kib"].get(k, 0)
        print("%-28s" % k[:28] + "".join("%16s" % fmt(r["kib"].get(k, 0), base) for r in rows))


def mappings(path):
    """The anonymous mappings outside the JVM's reservations whose RSS moved most, first sample against the last."""
    rows = [json.loads(l) for l in open(path) if l.strip()]
    first = {m[0]: m for m in rows[0]["mallocs"]}
    last = {m[0]: m for m in rows[-1]["mallocs"]}
    peak = {}
    for r in rows:
        for m in r["mallocs"]:
            peak[m[0]] = max(peak.get(m[0], 0), m[2])
    moved = sorted(set(first) | set(last), key=lambda k: -abs(last.get(k, [0, 0, 0])[2] - first.get(k, [0, 0, 0])[2]))
    print("mapping          size KiB   RSS first    peak    last")
    for k in moved[:12]:
        m = last.get(k) or first.get(k)
        print("%-14s %10d %10d %7d %7d %s" % (k, m[1], first.get(k, [0, 0, 0])[2], peak[k], last.get(k, [0, 0, 0])[2], m[3]))


def fmt(kib, base):
    d = (kib - base) / 1024
    return "%.1f" % (kib / 1024) + ("" if abs(d) < 0.05 else " (%+.1f)" % d)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "calls":
        calls(sys.argv[2], int(sys.argv[3]))
    elif cmd == "probe":
        probe(sys.argv[2], float(sys.argv[3]))
    elif cmd == "bignet":
        bignet(sys.argv[2], int(sys.argv[3]))
    elif cmd == "sample":
        sample(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "table":
        table(sys.argv[2])
    elif cmd == "mappings":
        mappings(sys.argv[2])
    else:
        sys.exit(__doc__)
