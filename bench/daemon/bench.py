#!/usr/bin/env python3
"""vnetd vs libvirt daemon benchmark (driven by ./run; see README.md).

  bench.py vnetd SOCK PID OUT.json N [VNETCTL]   time vnetd through its Unix-socket RPC (one connection),
                                           then through the CLI (one vnetctl process per command, and
                                           one vnetctl session for the 100 networks)
  bench.py libvirt NSPIDS_NS OUT.json N    time libvirt through one virsh process with --timing
  bench.py table VNETD.json [LIBVIRT.json] print the side-by-side table
"""
import json, os, re, socket, struct, subprocess, sys, tempfile, time

NETS = 100
DEFINES = 50  # net-define alone: define/undefine pairs of one more network, after the 100 are gone
DEADLINE_S = 600  # every loop below also stops at this wall-clock bound


def nat_xml(k, bridge=None):
    o = "10.%d.%d" % (100 + k // 200, k % 200)
    br = "<bridge name='%s'/>" % bridge if bridge else ""
    return ("<network><name>bench%d</name><forward mode='nat'/>%s<ip address='%s.1' prefix='24'>"
            "<dhcp><range start='%s.10' end='%s.100'/></dhcp></ip></network>" % (k, br, o, o, o))


def med(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if xs else float("nan")


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def comm(pid):
    try:
        return open("/proc/%s/comm" % pid).read().strip()
    except OSError:
        return ""


def _netns(pid):
    try:
        return os.stat("/proc/%s/ns/net" % pid).st_ino
    except OSError:
        return None


def pids_in_netns(ino):
    """The processes in the network namespace with inode ino (os.stat of /run/netns/NAME or /proc/self/ns/net)."""
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and _netns(p) == ino]


class Rpc:
    """vnetd's JSON RPC (docs/rpc.md framing) over one Unix-socket connection; timeout: seconds per call."""

    def __init__(self, path, timeout=None):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(path)
        self.i = 0

    def _read(self, n):
        d = b""
        while len(d) < n:
            c = self.s.recv(n - len(d))
            if not c:
                raise EOFError("vnetd closed the connection")
            d += c
        return d

    def call(self, method, params=None):
        self.i += 1
        b = json.dumps({"jsonrpc": "2.0", "id": self.i, "method": method, "params": params or {}}).encode()
        self.s.sendall(struct.pack(">I", len(b)) + b)
        r = json.loads(self._read(struct.unpack(">I", self._read(4))[0]))
        if "error" in r:
            raise RuntimeError("%s: %s" % (method, r["error"]))
        return r["result"]

    def close(self):
        self.s.close()

    def timed(self, method, params=None):
        t = time.perf_counter()
        self.call(method, params)
        return (time.perf_counter() - t) * 1e3


def wall_ms(argv, timeout=120):
    """Runs one CLI command as its own process; wall-clock ms, as a user typing it sees it."""
    t = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise SystemExit("%s failed: %s %s" % (" ".join(argv), p.stdout, p.stderr))
    return (time.perf_counter() - t) * 1e3


def cli_session_s(argv, lines, timeout=DEADLINE_S):
    """Feeds commands to one interactive CLI session (as `virsh` with several commands); total seconds."""
    t = time.perf_counter()
    p = subprocess.run(argv, input="\n".join(lines) + "\nquit\n", capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0 or "error" in p.stderr.lower():
        raise SystemExit("%s session failed: %s %s" % (" ".join(argv), p.stdout[-500:], p.stderr[-500:]))
    return time.perf_counter() - t


def xml_files(d):
    files = []
    for k in range(NETS):
        f = os.path.join(d, "b%d.xml" % k)
        open(f, "w").write(nat_xml(k))
        files.append(f)
    return files


def bench_vnetd(sock, pid, out, n, vnetctl=None):
    t_end = time.time() + DEADLINE_S
    rpc = Rpc(sock)
    active = {s["name"]: s["active"] for s in rpc.call("network.list")}
    if "default" not in active:
        raise SystemExit("vnetd did not define the default network")
    if not active["default"]:
        rpc.call("network.start", {"network": "default"})
    noop = [rpc.timed("daemon.version") for _ in range(50)]  # the RPC's own round trip, for reference
    starts, destroys = [], []
    for _ in range(n):
        if time.time() > t_end:
            break
        destroys.append(rpc.timed("network.destroy", {"network": "default"}))
        starts.append(rpc.timed("network.start", {"network": "default"}))
    per, split = [], []
    t0 = time.perf_counter()
    for k in range(NETS):
        if time.time() > t_end:
            break
        d = rpc.timed("network.define", {"xml": nat_xml(k)})
        s = rpc.timed("network.start", {"network": "bench%d" % k})
        per.append(d + s)
        split.append((d, s))
    total = time.perf_counter() - t0
    mem = rss_kib(pid)
    for k in range(len(per)):  # leave the daemon with nothing of ours running
        rpc.call("network.destroy", {"network": "bench%d" % k})
        rpc.call("network.undefine", {"network": "bench%d" % k})
    alone = []
    for _ in range(DEFINES):
        if time.time() > t_end:
            break
        alone.append(rpc.timed("network.define", {"xml": nat_xml(NETS)}))
        rpc.call("network.undefine", {"network": "bench%d" % NETS})
    cli = {}
    if vnetctl:
        cmd = [vnetctl, "-c", sock]
        cli["start"], cli["destroy"] = [], []
        for _ in range(n):
            cli["destroy"].append(wall_ms(cmd + ["net-destroy", "default"]))
            cli["start"].append(wall_ms(cmd + ["net-start", "default"]))
        d = tempfile.mkdtemp(prefix="vnt-bench-xml-")
        files = xml_files(d)
        cli["total_s"] = cli_session_s(cmd, sum([["net-define " + f, "net-start bench%d" % k] for k, f in enumerate(files)], []))
        for k, f in enumerate(files):
            rpc.call("network.destroy", {"network": "bench%d" % k})
            rpc.call("network.undefine", {"network": "bench%d" % k})
            os.unlink(f)
        os.rmdir(d)
    json.dump({"who": "vnetd", "noop": noop, "start": starts, "destroy": destroys, "per": per, "split": split, "total_s": total,
               "define_alone": alone,
               "rss_kib": {"vnetd": mem}, "cli": cli}, open(out, "w"))


def virsh_timed(cmds, timeout):
    """Runs the commands in ONE virsh process (virsh -t prints each command's time)."""
    p = subprocess.run(["virsh", "-q", "-t", "-c", "qemu:///system", " ; ".join(cmds)],
                       capture_output=True, text=True, timeout=timeout)
    times = [float(x) for x in re.findall(r"\(Time: ([0-9.]+) ms\)", p.stdout)]
    if p.returncode != 0 or len(times) != len(cmds):
        raise SystemExit("virsh failed (%d of %d commands timed): %s %s"
                         % (len(times), len(cmds), p.stdout[-800:], p.stderr[-800:]))
    return times


def bench_libvirt(ns, out, n):
    info = subprocess.run(["virsh", "-q", "-c", "qemu:///system", "net-info", "default"],
                          capture_output=True, text=True, timeout=60).stdout
    if re.search(r"Active:\s+yes", info):
        virsh_timed(["net-destroy default"], 60)
    virsh_timed(["net-start default"], 60)
    t = virsh_timed(["net-destroy default", "net-start default"] * n, 60 + 5 * n)
    destroys, starts = t[0::2], t[1::2]
    virsh = ["virsh", "-q", "-c", "qemu:///system"]
    cli = {"start": [], "destroy": []}
    for _ in range(n):
        cli["destroy"].append(wall_ms(virsh + ["net-destroy", "default"]))
        cli["start"].append(wall_ms(virsh + ["net-start", "default"]))
    d = tempfile.mkdtemp(prefix="vnt-bench-xml-")
    cmds = []
    for k in range(NETS):
        f = os.path.join(d, "b%d.xml" % k)
        open(f, "w").write(nat_xml(k))
        cmds += ["net-define %s" % f, "net-start bench%d" % k]
    t0 = time.perf_counter()
    t = virsh_timed(cmds, DEADLINE_S)
    total = time.perf_counter() - t0
    cli["total_s"] = total  # one virsh session: already the CLI's view
    per = [a + b for a, b in zip(t[0::2], t[1::2])]
    split = list(zip(t[0::2], t[1::2]))
    mem = {"libvirtd": 0, "dnsmasq": 0}
    for p in pids_in_netns(os.stat("/proc/self/ns/net").st_ino):  # /run/netns is hidden in this mount namespace
        c = comm(p)
        if c in mem:
            mem[c] += rss_kib(p)
    virsh_timed(sum([["net-destroy bench%d" % k, "net-undefine bench%d" % k] for k in range(NETS)], []), DEADLINE_S)
    f = os.path.join(d, "b%d.xml" % NETS)
    open(f, "w").write(nat_xml(NETS))
    alone = virsh_timed(["net-define %s" % f, "net-undefine bench%d" % NETS] * DEFINES, DEADLINE_S)[0::2]
    for k in range(NETS + 1):
        os.unlink(os.path.join(d, "b%d.xml" % k))
    os.rmdir(d)
    json.dump({"who": "libvirt", "start": starts, "destroy": destroys, "per": per, "split": split, "total_s": total,
               "define_alone": alone,
               "rss_kib": mem, "cli": cli}, open(out, "w"))


def table(vf, lf):
    v = json.load(open(vf))
    l = json.load(open(lf)) if lf and os.path.exists(lf) else None
    rows = [
        ("net-start default, median ms", lambda r: med(r["start"]), "x faster", True),
        ("net-destroy default, median ms", lambda r: med(r["destroy"]), "x faster", True),
        ("100 NAT define+start, total s", lambda r: r["total_s"], "x faster", True),
        ("  per network, first 10 median ms", lambda r: med(r["per"][:10]), "x faster", True),
        ("  per network, last 10 median ms", lambda r: med(r["per"][-10:]), "x faster", True),
        ("  define, median ms", lambda r: med([d for d, _ in r["split"]]), "x faster", True),
        ("  start, median ms", lambda r: med([x for _, x in r["split"]]), "x faster", True),
        ("  last10/first10 (flat = 1.0)", lambda r: med(r["per"][-10:]) / med(r["per"][:10]), "", False),
        ("net-define alone x%d, median ms" % DEFINES, lambda r: med(r["define_alone"]), "x faster", True),
        ("RSS with 100 networks, MiB", lambda r: sum(r["rss_kib"].values()) / 1024, "x less", True),
        ("CLI: net-start default, median ms", lambda r: med(r["cli"]["start"]), "x faster", True),
        ("CLI: net-destroy default, median ms", lambda r: med(r["cli"]["destroy"]), "x faster", True),
        ("CLI: 100 NAT define+start, one session, s", lambda r: r["cli"]["total_s"], "x faster", True),
    ]
    print("%-42s %12s %12s %10s" % ("", "vnetd", "libvirt 9", "ratio"))
    for name, f, unit, ratio in rows:
        if name.startswith("CLI") and not v.get("cli"):
            continue
        a = f(v)
        b = f(l) if l and (l.get("cli") or not name.startswith("CLI")) else None
        r = ("%.1f%s" % (b / a, unit)) if (b is not None and ratio and a > 0) else ""
        print("%-42s %12.2f %12s %10s" % (name, a, ("%.2f" % b) if b is not None else "n/a", r))
    print("(vnetd RPC round trip of daemon.version: median %.2f ms)" % med(v["noop"]))
    if v.get("cli"):
        print("(CLI rows: one vnetctl/virsh process per start or destroy, wall clock, process start-up included;"
              " the 100 networks through one vnetctl session and one virsh session)")
    print("(runs: vnetd %d start/destroy, %d networks; libvirt: %s)" % (
        len(v["start"]), len(v["per"]),
        "%d start/destroy, %d networks, RSS libvirtd %.0f MiB + dnsmasq %.0f MiB"
        % (len(l["start"]), len(l["per"]), l["rss_kib"]["libvirtd"] / 1024, l["rss_kib"]["dnsmasq"] / 1024)
        if l else "not measured"))


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "vnetd":
        bench_vnetd(a[1], int(a[2]), a[3], int(a[4]), a[5] if len(a) > 5 else None)
    elif a[0] == "libvirt":
        bench_libvirt(a[1], a[2], int(a[3]))
    elif a[0] == "table":
        table(a[1], a[2] if len(a) > 2 else None)
    else:
        raise SystemExit(__doc__)
