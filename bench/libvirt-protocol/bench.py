#!/usr/bin/env python3
"""virsh against vnetd vs virsh against libvirtd (driven by ./run; see README.md).

  bench.py RUNS DEFAULT.xml VNETD_URI LIBVIRT_URI

Each measurement is one fresh `virsh -c URI COMMAND` process, wall clock. net-start and net-destroy
alternate on `default`; the listing commands run with it active.
"""
import statistics, subprocess, sys, time

DEADLINE_S = 600  # the whole run stops at this wall-clock bound


def virsh(uri, *args):
    t = time.perf_counter()
    p = subprocess.run(["virsh", "-c", uri, *args], capture_output=True, text=True, timeout=120)
    ms = (time.perf_counter() - t) * 1e3
    if p.returncode != 0:
        raise SystemExit("virsh -c %s %s failed: %s%s" % (uri, " ".join(args), p.stdout, p.stderr))
    return ms


def measure(uri, runs, start):
    out = {"net-start default": [], "net-destroy default": [], "net-list --all": [], "net-info default": [],
           "net-dhcp-leases default": []}
    for _ in range(runs):
        if time.time() - start > DEADLINE_S:
            break
        out["net-start default"].append(virsh(uri, "net-start", "default"))
        out["net-list --all"].append(virsh(uri, "net-list", "--all"))
        out["net-info default"].append(virsh(uri, "net-info", "default"))
        out["net-dhcp-leases default"].append(virsh(uri, "net-dhcp-leases", "default"))
        out["net-destroy default"].append(virsh(uri, "net-destroy", "default"))
    return out


def main():
    runs, xml, vuri, luri = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    for uri in (vuri, luri):
        virsh(uri, "net-define", xml)
        virsh(uri, "net-list", "--all")  # warm-up: first connection, first lookups
    start = time.time()
    # interleave the daemons run by run, so a slow moment of the machine hits both, and alternate which goes
    # first, so neither always follows the other's net-destroy
    v = {k: [] for k in ("net-start default", "net-destroy default", "net-list --all", "net-info default",
                         "net-dhcp-leases default")}
    l = {k: [] for k in v}
    for i in range(runs):
        order = ((vuri, v), (luri, l)) if i % 2 == 0 else ((luri, l), (vuri, v))
        for uri, dst in order:
            for k, xs in measure(uri, 1, start).items():
                dst[k].extend(xs)
    print("virsh wall time per command, ms (%d fresh virsh processes each; median / mean)" % len(v["net-list --all"]))
    print("%-26s %18s %18s %10s" % ("command", "vnetd", "libvirtd 9.0", "vnetd/libvirt (median)"))
    for k in ("net-list --all", "net-info default", "net-start default", "net-destroy default", "net-dhcp-leases default"):
        vm, lm = statistics.median(v[k]), statistics.median(l[k])
        print("%-26s %8.1f / %7.1f %8.1f / %7.1f %10.2f" % (k, vm, statistics.mean(v[k]), lm, statistics.mean(l[k]), vm / lm))


if __name__ == "__main__":
    main()
