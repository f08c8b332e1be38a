import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.vnetd.core.link.AddressSpec;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.TapHandle;
import org.vnetd.core.link.TapSpec;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.daemon.netlink.NetlinkLinkBackend;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.TestNetns;

/**
 * Creates and deletes N taps and M bridges (each with an IPv4 address) in a namespace of its own,
 * once through vnetd's netlink layer and once through exec'd `ip` (one process per operation, as a
 * naive daemon would), and prints per-operation times and ratios side by side.
 *
 * Both run from one platform thread inside the namespace: our netlink socket and /dev/net/tun are
 * opened there, and `ip` inherits the thread's namespace, so neither side pays for `ip netns exec`.
 */
public final class NetlinkBench {
    private static final int WARMUP = 50;

    public static void main(String[] args) throws Exception {
        int taps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int bridges = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        if (taps < 1 || taps > 10_000 || bridges < 1 || bridges > 500) {
            throw new IllegalArgumentException("taps 1-10000, bridges 1-500");
        }
        try (TestNetns ns = TestNetns.create("bench"); NetnsExecutor thread = NetnsExecutor.enter(ns)) {
            NetlinkLinkBackend nl = thread.call(NetlinkLinkBackend::open);
            try {
                System.out.print(run(thread, nl, taps, bridges));
            } finally {
                thread.run(nl::close);
            }
        }
    }

    /**
     * Ops run in chunks, alternating between our layer and `ip` chunk by chunk, so both sides see the same
     * machine load (this host is shared) and the same number of links already present. Each chunk is one
     * bounded call to the namespace thread (NetnsExecutor waits at most 60 s per call); only the loop
     * itself is timed, not the hand-over between threads.
     */
    private static final int CHUNKS = 10;

    @FunctionalInterface
    private interface Op {
        void run(int i) throws Exception;
    }

    /** Wall time of one side of one operation: the total, and each op's own time for the median. */
    private static final class Timer {
        long nanos;
        final java.util.ArrayList<Long> each = new java.util.ArrayList<>();

        long medianNanos() {
            List<Long> sorted = each.stream().sorted().toList();
            return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        }
    }

    private static void chunk(NetnsExecutor thread, int from, int to, Timer t, Op op) {
        long[] each = new long[to - from];
        t.nanos += thread.call(() -> {
            long t0 = System.nanoTime();
            long prev = t0;
            for (int i = from; i < to; i++) {
                op.run(i);
                long now = System.nanoTime();
                each[i - from] = now - prev;
                prev = now;
            }
            return prev - t0;
        });
        for (long e : each) {
            t.each.add(e);
        }
    }

    /** Runs {@code ours} and {@code theirs} over 0..n-1, alternating chunk by chunk. */
    private static void sideBySide(NetnsExecutor thread, int n, Timer ourTime, Op ours, Timer ipTime, Op theirs) {
        int size = Math.max(1, (n + CHUNKS - 1) / CHUNKS);
        for (int from = 0; from < n; from += size) {
            int to = Math.min(n, from + size);
            chunk(thread, from, to, ourTime, ours);
            chunk(thread, from, to, ipTime, theirs);
        }
    }

    private static String run(NetnsExecutor thread, NetlinkLinkBackend nl, int taps, int bridges) throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        // warm both sides up: JIT for ours, page cache and dynamic loading for `ip`
        sideBySide(thread, WARMUP, new Timer(), i -> {
            nl.createTap(TapSpec.of("warm" + i));
            nl.deleteLink("warm" + i);
        }, new Timer(), i -> {
            ip("ip", "tuntap", "add", "dev", "warm" + i, "mode", "tap");
            ip("ip", "link", "del", "warm" + i);
        });
        expectOnlyLoopback(nl);

        // the port path: a VM's tap is non-persistent; its descriptor goes to the VM launcher, and closing
        // the last descriptor deletes it. A naive daemon would exec `ip tuntap add` (and then open it).
        TapHandle[] handles = new TapHandle[taps];
        Timer ourPortCreate = new Timer();
        Timer ipTapCreate = new Timer();
        sideBySide(thread, taps, ourPortCreate, i -> handles[i] = nl.openTap(TapSpec.of("vnet" + i), 1),
                ipTapCreate, i -> ip("ip", "tuntap", "add", "dev", "ipt" + i, "mode", "tap"));
        expectCount(nl, "vnet", taps);
        expectCount(nl, "ipt", taps);
        Timer ourPortDelete = new Timer();
        Timer ipTapDelete = new Timer();
        sideBySide(thread, taps, ourPortDelete, i -> handles[i].close(),
                ipTapDelete, i -> ip("ip", "link", "del", "ipt" + i));
        expectOnlyLoopback(nl);

        // persistent taps (createTap), against the same `ip` commands once more
        Timer ourTapCreate = new Timer();
        Timer ipTapCreate2 = new Timer();
        sideBySide(thread, taps, ourTapCreate, i -> nl.createTap(TapSpec.of("vnet" + i)),
                ipTapCreate2, i -> ip("ip", "tuntap", "add", "dev", "ipt" + i, "mode", "tap"));
        expectCount(nl, "vnet", taps);
        expectCount(nl, "ipt", taps);
        Timer ourTapDelete = new Timer();
        Timer ipTapDelete2 = new Timer();
        sideBySide(thread, taps, ourTapDelete, i -> nl.deleteLink("vnet" + i),
                ipTapDelete2, i -> ip("ip", "link", "del", "ipt" + i));
        expectOnlyLoopback(nl);

        // a bridge as libvirt starts one: STP on, forward delay 0, then its address
        Timer ourBrCreate = new Timer();
        Timer ipBrCreate = new Timer();
        sideBySide(thread, bridges, ourBrCreate, i -> {
            nl.createBridge(BridgeSpec.of("virbr" + i));
            nl.addAddress(AddressSpec.ipv4("virbr" + i, IpPrefix.parse(subnet(i, 100))));
        }, ipBrCreate, i -> {
            ip("ip", "link", "add", "ipbr" + i, "type", "bridge", "stp_state", "1", "forward_delay", "0");
            ip("ip", "addr", "add", subnet(i, 150), "brd", "+", "dev", "ipbr" + i);
        });
        expectCount(nl, "virbr", bridges);
        expectCount(nl, "ipbr", bridges);
        expectAddresses(nl, 2 * bridges);
        Timer ourBrDelete = new Timer();
        Timer ipBrDelete = new Timer();
        sideBySide(thread, bridges, ourBrDelete, i -> nl.deleteLink("virbr" + i),
                ipBrDelete, i -> ip("ip", "link", "del", "ipbr" + i));
        expectOnlyLoopback(nl);
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "vnetd netlink benchmark: %d taps, %d bridges (+1 IPv4 address each), one namespace,"
                + " ours and ip alternating in %d chunks%n", taps, bridges, CHUNKS));
        sb.append(String.format(Locale.ROOT, "load average before: %s, after: %s (%d CPUs)%n", loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors()));
        sb.append(String.format(Locale.ROOT, "%-30s %6s %13s %14s %9s   %s%n", "operation", "count", "vnetd us/op",
                "ip exec us/op", "speedup", "(medians: vnetd / ip us, speedup)"));
        row(sb, "create tap, fd kept (port)", taps, ourPortCreate, ipTapCreate);
        row(sb, "create tap, persistent", taps, ourTapCreate, ipTapCreate2);
        row(sb, "create bridge + address", bridges, ourBrCreate, ipBrCreate);
        row(sb, "delete tap, close fd (port)", taps, ourPortDelete, ipTapDelete);
        row(sb, "delete tap, persistent", taps, ourTapDelete, ipTapDelete2);
        row(sb, "delete bridge", bridges, ourBrDelete, ipBrDelete);
        long ourCreate = ourTapCreate.nanos + ourBrCreate.nanos;
        long ipCreate = ipTapCreate2.nanos + ipBrCreate.nanos;
        sb.append(String.format(Locale.ROOT, "creation, %d persistent taps + %d bridges: vnetd %.1f ms, ip %.1f ms, speedup %.1fx"
                + " (target >= 20x)%n", taps, bridges, ourCreate / 1e6, ipCreate / 1e6, (double) ipCreate / ourCreate));
        long ourDelete = ourTapDelete.nanos + ourBrDelete.nanos;
        long ipDelete = ipTapDelete2.nanos + ipBrDelete.nanos;
        sb.append(String.format(Locale.ROOT, "deletion, same links: vnetd %.1f ms, ip %.1f ms, speedup %.1fx"
                + " (the kernel's RCU waits dominate)%n", ourDelete / 1e6, ipDelete / 1e6, (double) ipDelete / ourDelete));
        return sb.toString();
    }

    private static String subnet(int i, int base) {
        return "10." + (base + i / 250) + "." + (i % 250) + ".1/24";
    }

    private static void row(StringBuilder sb, String op, int n, Timer ours, Timer ip) {
        sb.append(String.format(Locale.ROOT, "%-30s %6d %13.1f %14.1f %8.1fx   (%.1f / %.1f, %.1fx)%n", op, n,
                ours.nanos / 1e3 / n, ip.nanos / 1e3 / n, (double) ip.nanos / ours.nanos,
                ours.medianNanos() / 1e3, ip.medianNanos() / 1e3, (double) ip.medianNanos() / ours.medianNanos()));
    }

    /** One exec of `ip`, inheriting this thread's namespace; fails loudly on a non-zero exit. */
    private static void ip(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", argv));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + new String(p.getErrorStream().readAllBytes()));
        }
    }

    private static void expectCount(NetlinkLinkBackend nl, String prefix, int n) {
        long c = nl.listLinks().stream().filter(l -> l.name().startsWith(prefix)).count();
        if (c != n) {
            throw new IllegalStateException("expected " + n + " " + prefix + "* links in the namespace, found " + c);
        }
    }

    private static void expectAddresses(NetlinkLinkBackend nl, int n) {
        long c = nl.listAddresses().stream().filter(a -> (a.ifname().startsWith("virbr") || a.ifname().startsWith("ipbr")) && a.prefix().isIpv4()).count();
        if (c != n) {
            throw new IllegalStateException("expected " + n + " bridge addresses, found " + c);
        }
    }

    private static void expectOnlyLoopback(NetlinkLinkBackend nl) {
        List<String> names = nl.listLinks().stream().map(LinkInfo::name).toList();
        if (!names.equals(List.of("lo"))) {
            throw new IllegalStateException("namespace not clean between phases: " + names);
        }
    }
}
