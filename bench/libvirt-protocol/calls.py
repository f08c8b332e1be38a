#!/usr/bin/python3
"""Per-call latency of the daemons themselves, without virsh's process start (driven by ./run; see README.md).

  calls.py N VNETD_URI LIBVIRT_URI

One python3-libvirt connection per daemon; each call N times, the daemons alternating call by call so a slow
moment of the machine hits both. 'open+close' is a whole connection set-up and tear-down (N/10 times): what
each fresh virsh pays before and after its command.
"""
import statistics, sys, time

import libvirt


def main():
    n, vuri, luri = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    conns = {u: libvirt.open(u) for u in (vuri, luri)}
    nets = {u: c.networkLookupByName("default") for u, c in conns.items()}
    calls = [
        ("networkLookupByName", lambda u: conns[u].networkLookupByName("default"), n),
        ("isActive", lambda u: nets[u].isActive(), n),
        ("XMLDesc", lambda u: nets[u].XMLDesc(0), n),
        ("listAllNetworks", lambda u: conns[u].listAllNetworks(0), n),
        ("DHCPLeases", lambda u: nets[u].DHCPLeases(), n),
        ("open+close", lambda u: libvirt.open(u).close(), max(1, n // 10)),
    ]
    print("per call on one connection, us (median / mean of %d; open+close of %d)" % (n, max(1, n // 10)))
    print("%-22s %18s %18s %10s" % ("call", "vnetd", "libvirtd 9.0", "vnetd/libvirt (median)"))
    for name, f, k in calls:
        xs = {vuri: [], luri: []}
        for _ in range(k):
            for u in (vuri, luri):
                t = time.perf_counter()
                f(u)
                xs[u].append((time.perf_counter() - t) * 1e6)
        vm, lm = statistics.median(xs[vuri]), statistics.median(xs[luri])
        print("%-22s %8.0f / %7.0f %8.0f / %7.0f %10.2f" % (name, vm, statistics.mean(xs[vuri]), lm,
                                                          statistics.mean(xs[luri]), vm / lm))
    for c in conns.values():
        c.close()


if __name__ == "__main__":
    main()
