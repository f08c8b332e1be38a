#!/usr/bin/env python3
"""Helpers of bench/memory/run (see README.md).

  mem.py xmls DIR N            writes the N-1 NAT networks' XML files (bench/daemon's networks) into DIR
  mem.py more SOCK N           defines and starts them in vnetd over its RPC socket
  mem.py less SOCK N           destroys and undefines them again
  mem.py sample LABEL PID...   prints one JSON line: VmRSS and Pss (KiB) of each process, by command name
  mem.py table FILE            the side-by-side table from the JSON lines in FILE
"""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "daemon"))
from bench import Rpc, nat_xml  # noqa: E402  (bench/daemon's RPC client and networks)


def kib(pid, path, key):
    try:
        with open("/proc/%s/%s" % (pid, path)) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def sample(label, pids):
    out = {"label": label, "rss": {}, "pss": {}, "procs": {}}
    for p in pids:
        try:
            comm = open("/proc/%s/comm" % p).read().strip()
        except OSError:
            continue
        out["rss"][comm] = out["rss"].get(comm, 0) + kib(p, "status", "VmRSS")
        out["pss"][comm] = out["pss"].get(comm, 0) + kib(p, "smaps_rollup", "Pss")
        out["procs"][comm] = out["procs"].get(comm, 0) + 1
    print(json.dumps(out))


def table(path):
    rows = [json.loads(l) for l in open(path) if l.startswith("{")]
    by = {r["label"]: r for r in rows}
    mib = lambda d: sum(d.values()) / 1024.0
    print("%-34s %10s %12s %8s   %s" % ("", "vnetd", "libvirt 9", "ratio", "libvirt's processes"))
    for n in [r["label"].split("-", 1)[1] for r in rows if r["label"].startswith("vnetd-")]:
        v, l = by.get("vnetd-" + n), by.get("libvirt-" + n)
        if not v:
            continue
        for kind, name in (("rss", "RSS"), ("pss", "PSS")):
            a = mib(v[kind])
            b = mib(l[kind]) if l else None
            detail = ", ".join("%s %.1f (%d)" % (c, kb / 1024.0, l["procs"][c]) for c, kb in sorted(l[kind].items())) if l else ""
            print("%-34s %10.1f %12s %8s   %s" % ("%s network%s, %s MiB" % (n, "s" if n != "1" else "", name), a,
                  "%.1f" % b if b is not None else "n/a", "%.2f" % (a / b) if b else "", detail))
    print("(ratio: vnetd / libvirt, below 1 = vnetd smaller; PSS splits pages shared between processes, "
          "such as the dnsmasqs' text, among them)")


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "xmls":
        for k in range(int(a[2]) - 1):
            open(os.path.join(a[1], "b%d.xml" % k), "w").write(nat_xml(k))
    elif a[0] == "more":
        rpc = Rpc(a[1])
        for k in range(int(a[2]) - 1):
            rpc.call("network.define", {"xml": nat_xml(k)})
            rpc.call("network.start", {"network": "bench%d" % k})
    elif a[0] == "less":
        rpc = Rpc(a[1])
        for k in range(int(a[2]) - 1):
            rpc.call("network.destroy", {"network": "bench%d" % k})
            rpc.call("network.undefine", {"network": "bench%d" % k})
    elif a[0] == "sample":
        sample(a[1], a[2:])
    elif a[0] == "table":
        table(a[1])
    else:
        raise SystemExit(__doc__)
