#!/usr/bin/python3
"""The cold path, vnetd against libvirtd (driven by ./run; see README.md).

  cold.py run OUT.jsonl N SETTLE VNETD [--no-libvirt]   N boots of each daemon, alternating, one JSON line each
  cold.py table OUT.jsonl                              the side-by-side table

One boot: a fresh network namespace (and, for libvirtd, a fresh mount namespace with an empty /run), the
daemon exec'd with its definitions already on disk and `default` set to autostart, as at a host's boot.
Measured from the exec:
  rpc     the daemon's RPC answers and reports `default` active (vnetd: its JSON RPC; libvirtd: libvirt's
          own client library, qemu:///system), polled every 5 ms;
  dhcp    a guest (a veth from a namespace of its own, plugged into virbr0 as soon as virbr0 exists) gets
          an OFFER for its DISCOVER, sent every 10 ms;
  ready   the later of the two, for vnetd (the goal compares it with libvirtd's rpc);
then, on the same connection, the first net-define and net-start of a second network, and the RSS after
SETTLE seconds idle (vnetd's JVM; libvirtd + its dnsmasq processes).
"""
import ctypes
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "daemon"))
from bench import Rpc, comm, pids_in_netns, rss_kib  # noqa: E402  (bench/daemon's helpers)
# the private libvirtd's set-up, shared with the other benches and the tests' fixture
LIBVIRTD_PRIVATE = os.path.join(HERE, "..", "..", "vnetd-daemon", "src", "test", "resources", "org", "vnetd", "daemon",
                                "libvirt", "libvirtd-private.sh")
BOOT_DEADLINE_S = 30      # a boot that is not ready by then counts as failed
CLONE_NEWNET = 0x40000000
LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
SECOND_XML = ("<network><name>coldsecond</name><forward mode='nat'/><bridge name='virbr9'/>"
              "<ip address='10.209.0.1' prefix='24'><dhcp><range start='10.209.0.10' end='10.209.0.100'/></dhcp></ip>"
              "</network>")


def sh(*argv, check=True):
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=60)


def setns(path):
    """Moves the calling thread (only it) into the network namespace at path."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if LIBC.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + path)
    finally:
        os.close(fd)


def netns_pids(ns):
    return pids_in_netns(os.stat("/run/netns/" + ns).st_ino)


def cpu_s(pid):
    """User + system CPU seconds of the process (all its threads) so far."""
    try:
        f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError):
        return 0.0


def gone(pid):
    try:
        return open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def kill_all(pids, grace_s=5):
    """SIGTERM, up to grace_s for them to exit, then SIGKILL."""
    for p in pids:
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    end = time.monotonic() + grace_s
    while time.monotonic() < end and not all(gone(p) for p in pids):
        time.sleep(0.02)
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


# --- the DHCP guest -------------------------------------------------------------------------------

def discover(xid, mac):
    fixed = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000, bytes(4), bytes(4), bytes(4),
                        bytes(4), mac + bytes(10), b"", b"")
    return fixed + b"\x63\x82\x53\x63" + bytes([53, 1, 1]) + b"\xff"


def is_offer(data, xid):
    if len(data) < 244 or struct.unpack("!I", data[4:8])[0] != xid:
        return False
    i = 240
    while i + 1 < len(data) and data[i] != 255:
        if data[i] == 0:
            i += 1
            continue
        if data[i] == 53:
            return data[i + 2] == 2
        i += 2 + data[i + 1]
    return False


class DhcpGuest(threading.Thread):
    """Waits for virbr0 in the daemon's namespace, plugs the guest's veth into it, then DISCOVERs until an OFFER."""

    def __init__(self, ns, guest_ns, t0, stop):
        super().__init__(daemon=True)
        self.ns, self.guest_ns, self.t0, self.stop = ns, guest_ns, t0, stop
        self.offer_s = None
        self.bridge_s = None
        self.forwarding_s = None
        self.error = None

    def run(self):
        try:
            self._run()
        except Exception as e:  # reported with the boot's result
            self.error = repr(e)

    def _forwarding(self):
        """`default` has STP on, so a new port listens and learns for twice the kernel's minimum forward delay (2 s)
        before it forwards: the guest would measure the bridge, not the DHCP server. The bench turns STP off on
        virbr0 until the port forwards; a daemon may turn it on again later in its start (a port then listens
        anew), so the DISCOVER loop calls this again whenever a reply is late."""
        while not self.stop.is_set():
            p = json.loads(sh("ip", "-n", self.ns, "-j", "-d", "link", "show", "dev", "vcold-h").stdout)[0]
            if p.get("linkinfo", {}).get("info_slave_data", {}).get("state") == "forwarding":
                if self.forwarding_s is None:
                    self.forwarding_s = time.monotonic() - self.t0
                return
            sh("ip", "-n", self.ns, "link", "set", "virbr0", "type", "bridge", "stp_state", "0")
            time.sleep(0.002)

    def _run(self):
        setns("/run/netns/" + self.ns)
        while not self.stop.is_set():
            try:
                socket.if_nametoindex("virbr0")
                break
            except OSError:
                time.sleep(0.002)
        else:
            return
        self.bridge_s = time.monotonic() - self.t0
        sh("ip", "-n", self.ns, "link", "set", "vcold-h", "master", "virbr0", "up")
        self._forwarding()
        setns("/run/netns/" + self.guest_ns)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"vcold-g")
        s.bind(("0.0.0.0", 68))
        s.settimeout(0.01)
        mac = bytes.fromhex("02c01d%06x" % (os.getpid() & 0xffffff))
        xid = int.from_bytes(os.urandom(4), "big")
        msg = discover(xid, mac)
        sent = 0
        while not self.stop.is_set():
            if sent and sent % 5 == 0:
                self._forwarding()  # the guest thread is in the guest's namespace; `ip -n` reaches the daemon's
            s.sendto(msg, ("255.255.255.255", 67))
            sent += 1
            end = time.monotonic() + 0.01
            while time.monotonic() < end:
                try:
                    data = s.recv(4096)
                except socket.timeout:
                    break
                if is_offer(data, xid):
                    self.offer_s = time.monotonic() - self.t0
                    s.close()
                    return
        s.close()


# --- the two daemons -------------------------------------------------------------------------------

class Vnetd:
    name = "vnetd"

    def __init__(self, binary, work):
        self.binary, self.work = binary, work
        self.etc, self.var = os.path.join(work, "etc"), os.path.join(work, "var")
        self.proc = None
        self.log = None

    def start(self, ns, run_dir):
        self.run = run_dir
        self.log = open(os.path.join(self.work, "vnetd.log"), "w")
        return subprocess.Popen(["nsenter", "--net=/run/netns/" + ns, self.binary, "--config-dir", self.etc,
                                 "--state-dir", self.var, "--run-dir", run_dir], stdout=self.log, stderr=subprocess.STDOUT)

    def connect(self):
        """The RPC client once `default` is active, else None."""
        try:
            rpc = Rpc(os.path.join(self.run, "vnetd.sock"), timeout=10)
        except OSError:
            return None
        try:
            if any(n["name"] == "default" and n["active"] for n in rpc.call("network.list")):
                return rpc
        except (OSError, EOFError, RuntimeError):
            pass
        rpc.close()
        return None

    def define_start(self, rpc):
        t = time.monotonic()
        rpc.call("network.define", {"xml": SECOND_XML})
        d = time.monotonic() - t
        t = time.monotonic()
        rpc.call("network.start", {"network": "coldsecond"})
        s = time.monotonic() - t
        rpc.call("network.destroy", {"network": "coldsecond"})
        rpc.call("network.undefine", {"network": "coldsecond"})
        return d, s

    def rss(self, pid, ns):
        return {"vnetd": rss_kib(pid)}

    def cpu(self, pid, ns):
        return cpu_s(pid)

    def ready_log(self):
        self.log.flush()
        for line in open(self.log.name):
            if "ready in" in line:
                return line.strip()
        return ""


class Libvirtd:
    name = "libvirt"

    def __init__(self, work):
        self.work = work
        self.holder = None
        import libvirt
        self.libvirt = libvirt
        libvirt.registerErrorHandler(lambda *a: None, None)  # the polls below expect failures until it is up

    def start(self, ns, run_dir):
        # a mount namespace of its own: copies of /etc/libvirt (`default` autostarted) and /var/cache/libvirt and
        # a /var/lib/libvirt that persist across the run's boots, an empty /run and /var/log for each boot
        self.holder = subprocess.Popen(["ip", "netns", "exec", ns, "unshare", "-m", "--propagation", "private", "sh",
                                        LIBVIRTD_PRIVATE, "--networks", "autostart-default", "--as-host", "--hold", self.work],
                                       stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
        if self.holder.stdout.readline().strip() != "mounted":
            raise SystemExit("libvirtd-private.sh --hold failed")
        self.sock = "/proc/%d/root/run/libvirt/libvirt-sock" % self.holder.pid
        return subprocess.Popen(["nsenter", "-t", str(self.holder.pid), "-m", "-n", "libvirtd", "-f",
                                 "/etc/libvirt/libvirtd.conf"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def connect(self):
        if not os.path.exists(self.sock):
            return None
        try:
            conn = self.libvirt.open("qemu:///system?socket=" + self.sock)
        except self.libvirt.libvirtError:
            return None
        try:
            if conn.networkLookupByName("default").isActive():
                return conn
        except self.libvirt.libvirtError:
            pass
        conn.close()
        return None

    def define_start(self, conn):
        t = time.monotonic()
        net = conn.networkDefineXML(SECOND_XML)
        d = time.monotonic() - t
        t = time.monotonic()
        net.create()
        s = time.monotonic() - t
        net.destroy()
        net.undefine()
        return d, s

    def rss(self, pid, ns):
        mem = {"libvirtd": 0, "dnsmasq": 0}
        for p in netns_pids(ns):
            c = comm(p)
            if c in mem:
                mem[c] += rss_kib(p)
        return mem

    def cpu(self, pid, ns):
        return sum(cpu_s(p) for p in netns_pids(ns) if comm(p) in ("libvirtd", "dnsmasq"))

    def stop_holder(self):
        if self.holder:
            self.holder.stdin.close()
            try:
                self.holder.wait(10)
            except subprocess.TimeoutExpired:
                self.holder.kill()
                self.holder.wait()
            self.holder = None

    def ready_log(self):
        return ""


def boot(daemon, settle_s):
    """One boot in fresh namespaces; a dict of seconds (None: not reached within the deadline)."""
    tag = "%d-%d" % (os.getpid(), int(time.monotonic() * 1000) % 1000000)
    ns, guest = "vnt-cold-%s-%s" % (daemon.name[:2], tag), "vnt-coldg-%s" % tag
    run_dir = tempfile.mkdtemp(prefix="vnt-bench-cold-run.", dir="/dev/shm")
    proc = None
    stop = threading.Event()
    conn = None
    result = {"who": daemon.name}
    try:
        sh("ip", "netns", "add", ns)
        sh("ip", "netns", "add", guest)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "link", "add", "vcold-h", "type", "veth", "peer", "name", "vcold-g", "netns", guest)
        sh("ip", "-n", guest, "link", "set", "vcold-g", "up")
        t0 = time.monotonic()
        proc = daemon.start(ns, run_dir)
        guest_thread = DhcpGuest(ns, guest, t0, stop)
        guest_thread.start()
        deadline = t0 + BOOT_DEADLINE_S
        while time.monotonic() < deadline and proc.poll() is None:
            conn = daemon.connect()
            if conn is not None:
                result["rpc"] = time.monotonic() - t0
                result["cpu"] = daemon.cpu(proc.pid, ns)
                break
            time.sleep(0.005)
        if conn is None:
            raise RuntimeError("%s: no RPC with default active within %d s (exit %s)" % (daemon.name, BOOT_DEADLINE_S, proc.poll()))
        guest_thread.join(max(0.0, deadline - time.monotonic()))
        stop.set()
        guest_thread.join(1)
        result["dhcp"] = guest_thread.offer_s
        result["bridge"] = guest_thread.bridge_s
        result["forwarding"] = guest_thread.forwarding_s
        if guest_thread.error:
            result["dhcp_error"] = guest_thread.error
        result["define"], result["start"] = daemon.define_start(conn)
        time.sleep(settle_s)
        result["rss_kib"] = daemon.rss(proc.pid, ns)
        result["log"] = daemon.ready_log()
    finally:
        stop.set()
        if conn is not None:
            conn.close()
        if proc is not None:
            kill_all([proc.pid])
            proc.wait()
        for n in (ns, guest):
            if os.path.exists("/run/netns/" + n):
                kill_all([p for p in netns_pids(n) if p != os.getpid()], 2)
                sh("ip", "netns", "del", n, check=False)
        if isinstance(daemon, Libvirtd):
            daemon.stop_holder()
        shutil.rmtree(run_dir, ignore_errors=True)
    return result


def run(out, n, settle_s, vnetd_bin, with_libvirt):
    work = tempfile.mkdtemp(prefix="vnt-bench-cold.")
    try:
        daemons = [Vnetd(vnetd_bin, os.path.join(work, "vnetd"))]
        os.makedirs(daemons[0].work)
        if with_libvirt:
            lw = os.path.join(work, "libvirt")
            os.makedirs(lw)
            daemons.append(Libvirtd(lw))
        with open(out, "w") as f:
            for i in range(n + 1):  # boot 0: the first start ever (vnetd defines default), reported apart
                for d in (daemons if i % 2 == 0 else daemons[::-1]):
                    r = boot(d, settle_s)
                    r["boot"] = i
                    f.write(json.dumps(r) + "\n")
                    f.flush()
                    print("  %-7s boot %d: %s" % (d.name, i, " ".join(
                        "%s %.0f ms" % (k, r[k] * 1000) for k in ("bridge", "rpc", "dhcp", "cpu", "define", "start") if r.get(k) is not None)),
                        file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- the table -------------------------------------------------------------------------------------

def med(xs):
    xs = sorted(x for x in xs if x is not None)
    return xs[len(xs) // 2] if xs else None


def rng(xs):
    xs = [x for x in xs if x is not None]
    return "%.0f-%.0f" % (min(xs) * 1000, max(xs) * 1000) if xs else "n/a"


def table(path):
    rows = [json.loads(line) for line in open(path)]
    v = [r for r in rows if r["who"] == "vnetd" and r["boot"] > 0]
    l = [r for r in rows if r["who"] == "libvirt" and r["boot"] > 0]
    for r in v:
        r["ready"] = max(r["rpc"], r["dhcp"]) if r.get("dhcp") is not None else None

    def ms(x):
        return "%10.0f" % (x * 1000) if x is not None else "%10s" % "n/a"

    print("%-46s %10s %10s %14s   %s" % ("boots from cold, median ms (range)", "vnetd", "libvirtd", "ratio", "ranges vnetd | libvirtd"))
    lines = [
        ("exec -> RPC answers, default active", "rpc", "rpc", "faster"),
        ("exec -> first DHCP OFFER to a guest", "dhcp", "dhcp", "faster"),
        ("exec -> both (vnetd) / default active (libvirtd)", "ready", "rpc", "faster"),
        ("CPU time to RPC + default active (all threads)", "cpu", "cpu", "less"),
        ("first net-define after the start", "define", "define", "faster"),
        ("first net-start after the start", "start", "start", "faster"),
    ]
    for name, kv, kl, better in lines:
        a, b = med([r.get(kv) for r in v]), med([r.get(kl) for r in l])
        ratio = "%.2fx %s" % (b / a, better) if a and b else ""
        print("%-46s %s %s %14s   %s | %s" % (name, ms(a), ms(b), ratio, rng([r.get(kv) for r in v]), rng([r.get(kl) for r in l])))
    mv = med([sum(r["rss_kib"].values()) for r in v])
    ml = med([sum(r["rss_kib"].values()) for r in l])
    print("%-46s %10.1f %10s %14s" % ("RSS after the boot and the define/start, MiB", mv / 1024 if mv else 0,
                                       "%.1f" % (ml / 1024) if ml else "n/a", "%.2fx less" % (ml / mv) if mv and ml else ""))
    if l:
        print("(libvirt RSS: libvirtd %.1f MiB + dnsmasq %.1f MiB, medians)" % (
            med([r["rss_kib"]["libvirtd"] for r in l]) / 1024, med([r["rss_kib"]["dnsmasq"] for r in l]) / 1024))
    first = [r for r in rows if r["boot"] == 0]
    for r in first:
        print("(first start ever, %s: rpc %s ms, dhcp %s ms)" % (r["who"], ms(r.get("rpc")).strip(), ms(r.get("dhcp")).strip()))
    print("(boots: vnetd %d, libvirtd %d, alternating; vnetd's own log: %s)" % (len(v), len(l), v[-1].get("log", "") if v else ""))
    errors = [r for r in rows if r.get("dhcp_error")]
    for r in errors:
        print("(%s boot %d: DHCP guest failed: %s)" % (r["who"], r["boot"], r["dhcp_error"]))


if __name__ == "__main__":
    a = sys.argv[1:]
    if a and a[0] == "run":
        run(a[1], int(a[2]), float(a[3]), a[4], "--no-libvirt" not in a)
    elif a and a[0] == "table":
        table(a[1])
    else:
        raise SystemExit(__doc__)
