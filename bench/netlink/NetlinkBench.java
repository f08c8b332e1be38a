import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.vnetd.core.link.AddressSpec;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.LinkInfo;
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
        if (taps < 1 || taps > 10_000 || bridges < 1 || bridges > 1000) {
            throw new IllegalArgumentException("taps 1-10000, bridges 1-1000");
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

    private static final int CHUNK = 100;

    /**
     * Runs {@code op(0..n-1)} on the namespace thread and returns the summed time. The work goes in
     * chunks of {@value #CHUNK}, each one bounded call (NetnsExecutor waits at most 60 s per call);
     * only the loop itself is timed, not the hand-over between threads.
     */
    private static long timed(NetnsExecutor thread, int n, Op op) {
        long total = 0;
        for (int from = 0; from < n; from += CHUNK) {
            int start = from;
            int end = Math.min(n, from + CHUNK);
            total += thread.call(() -> {
                long t0 = System.nanoTime();
                for (int i = start; i < end; i++) {
                    op.run(i);
                }
                return System.nanoTime() - t0;
            });
        }
        return total;
    }

    @FunctionalInterface
    private interface Op {
        void run(int i) throws Exception;
    }

    private static String run(NetnsExecutor thread, NetlinkLinkBackend nl, int taps, int bridges) {
        // warm both sides up: JIT for ours, page cache and dynamic loading for `ip`
        timed(thread, WARMUP, i -> {
            nl.createTap(TapSpec.of("warm" + i));
            nl.deleteLink("warm" + i);
            ip("ip", "tuntap", "add", "dev", "warm" + i, "mode", "tap");
            ip("ip", "link", "del", "warm" + i);
        });
        expectOnlyLoopback(nl);

        long ourTapCreate = timed(thread, taps, i -> {
            nl.createTap(TapSpec.of("vnet" + i));
        });
        expectCount(nl, "vnet", taps);
        long ourTapDelete = timed(thread, taps, i -> {
            nl.deleteLink("vnet" + i);
        });
        expectOnlyLoopback(nl);

        long ipTapCreate = timed(thread, taps, i -> {
            ip("ip", "tuntap", "add", "dev", "vnet" + i, "mode", "tap");
        });
        expectCount(nl, "vnet", taps);
        long ipTapDelete = timed(thread, taps, i -> {
            ip("ip", "link", "del", "vnet" + i);
        });
        expectOnlyLoopback(nl);

        // a bridge as libvirt starts one: STP on, forward delay 0, then its address
        long ourBrCreate = timed(thread, bridges, i -> {
            nl.createBridge(BridgeSpec.of("virbr" + i));
            nl.addAddress(AddressSpec.ipv4("virbr" + i, IpPrefix.parse(subnet(i))));
        });
        expectCount(nl, "virbr", bridges);
        expectAddresses(nl, bridges);
        long ourBrDelete = timed(thread, bridges, i -> {
            nl.deleteLink("virbr" + i);
        });
        expectOnlyLoopback(nl);

        long ipBrCreate = timed(thread, bridges, i -> {
            ip("ip", "link", "add", "virbr" + i, "type", "bridge", "stp_state", "1", "forward_delay", "0");
            ip("ip", "addr", "add", subnet(i), "brd", "+", "dev", "virbr" + i);
        });
        expectCount(nl, "virbr", bridges);
        expectAddresses(nl, bridges);
        long ipBrDelete = timed(thread, bridges, i -> {
            ip("ip", "link", "del", "virbr" + i);
        });
        expectOnlyLoopback(nl);

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "vnetd netlink benchmark: %d taps, %d bridges (+1 IPv4 address each), one namespace%n",
                taps, bridges));
        sb.append(String.format(Locale.ROOT, "%-26s %6s %14s %16s %9s%n", "operation", "count", "vnetd us/op",
                "ip exec us/op", "speedup"));
        row(sb, "create tap (persistent)", taps, ourTapCreate, ipTapCreate);
        row(sb, "create bridge + address", bridges, ourBrCreate, ipBrCreate);
        row(sb, "delete tap", taps, ourTapDelete, ipTapDelete);
        row(sb, "delete bridge", bridges, ourBrDelete, ipBrDelete);
        long ourCreate = ourTapCreate + ourBrCreate;
        long ipCreate = ipTapCreate + ipBrCreate;
        sb.append(String.format(Locale.ROOT, "creation overall: vnetd %.1f ms, ip %.1f ms, speedup %.1fx (target >= 20x)%n",
                ourCreate / 1e6, ipCreate / 1e6, (double) ipCreate / ourCreate));
        sb.append(String.format(Locale.ROOT, "deletion overall: vnetd %.1f ms, ip %.1f ms, speedup %.1fx (kernel RCU waits dominate)%n",
                (ourTapDelete + ourBrDelete) / 1e6, (ipTapDelete + ipBrDelete) / 1e6,
                (double) (ipTapDelete + ipBrDelete) / (ourTapDelete + ourBrDelete)));
        return sb.toString();
    }

    private static String subnet(int i) {
        return "10." + (100 + i / 250) + "." + (i % 250) + ".1/24";
    }

    private static void row(StringBuilder sb, String op, int n, long ours, long ip) {
        sb.append(String.format(Locale.ROOT, "%-26s %6d %14.1f %16.1f %8.1fx%n", op, n, ours / 1e3 / n, ip / 1e3 / n,
                (double) ip / ours));
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
        long c = nl.listAddresses().stream().filter(a -> a.ifname().startsWith("virbr") && a.prefix().isIpv4()).count();
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
