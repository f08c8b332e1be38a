package org.vnetd.daemon.port;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.daemon.netlink.NetlinkLinkBackend;
import org.vnetd.daemon.rpc.RpcClient;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * bench/ports: N port.create + port.delete through vnetd's RPC versus what launcher scripts do by hand
 * ({@code ip tuntap add} + {@code ip link set master} + {@code ip link set up}, then {@code ip link del}),
 * on the same bridge in the same namespace. Run inside the namespace (bench/ports/run.sh does it).
 * Arguments: socket path, bridge network name, host bridge for the exec side, N, concurrency.
 * <p>
 * vnetd removes a deleted port's tap in the background (detached and down at once, unregistered in
 * batches), so its figures count until the last tap has left the kernel (netlink dumps every
 * millisecond), not until the last RPC reply.
 */
public final class PortBench {
    /** How long the bench waits for vnetd's reaper before calling the run failed. */
    private static final long REAP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private PortBench() {
    }

    /** One sequential vnetd round: latencies (ns) and the wall time from the first create to the last tap gone. */
    private record Round(long[] create, long[] delete, long wallNs, long lastDeleteNs, long goneNs) {
        double rate() {
            return create.length / (wallNs / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        String network = args[1];
        String bridge = args[2];
        int n = Integer.parseInt(args[3]);
        int conc = Integer.parseInt(args[4]);

        try (NetlinkLinkBackend links = NetlinkLinkBackend.open()) {
            // warm-up: JIT on both sides, not reported
            rpcRound(socket, network, links, 200, 0x10);
            Round rpc = rpcRound(socket, network, links, n, 0x20);
            double rpcConc = rpcConcurrent(socket, network, links, n, conc);
            long[][] exec = execRound(bridge, n);

            double rpcRate = rpc.rate();
            double execRate = rate(exec);
            System.out.println();
            System.out.printf(Locale.ROOT, "%-34s %10s %12s %12s %12s %12s%n", "method (" + n + " ports, sequential)", "ports/s",
                    "create p50", "create p99", "delete p50", "delete p99");
            row("vnetd RPC port.create/delete", rpcRate, new long[][] {rpc.create(), rpc.delete()});
            row("ip tuntap add + set master/up/del", execRate, exec);
            System.out.printf(Locale.ROOT, "%nvnetd: first create to last tap gone %.0f ms; last port.delete returned at %.0f ms, "
                    + "last tap left the kernel %.0f ms later%n", rpc.wallNs() / 1e6, rpc.lastDeleteNs() / 1e6,
                    (rpc.goneNs() - rpc.lastDeleteNs()) / 1e6);
            System.out.printf(Locale.ROOT, "ratio (sequential create+delete cycles, vnetd counted until its last tap is gone): %.1fx%n",
                    rpcRate / execRate);
            System.out.printf(Locale.ROOT, "vnetd RPC with %d concurrent clients: %.0f ports/s (%.1fx the exec approach)%n", conc, rpcConc,
                    rpcConc / execRate);
        }
    }

    private static void row(String name, double rate, long[][] lat) {
        System.out.printf(Locale.ROOT, "%-34s %10.0f %10.3fms %10.3fms %10.3fms %10.3fms%n", name, rate, pct(lat[0], 50), pct(lat[0], 99),
                pct(lat[1], 50), pct(lat[1], 99));
    }

    private static double rate(long[][] lat) {
        long total = Arrays.stream(lat[0]).sum() + Arrays.stream(lat[1]).sum();
        return lat[0].length / (total / 1e9);
    }

    private static double pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
    }

    private static String mac(int tag, int i) {
        return String.format("52:54:%02x:00:%02x:%02x", tag, (i >> 8) & 0xff, i & 0xff);
    }

    /** Creates n ports one after the other, then deletes them, then waits until their taps are gone. */
    private static Round rpcRound(Path socket, String network, NetlinkLinkBackend links, int n, int tag) throws Exception {
        long[] c = new long[n];
        long[] d = new long[n];
        List<String> uuids = new ArrayList<>(n);
        Set<String> taps = new HashSet<>();
        long start = System.nanoTime();
        long lastDelete;
        try (RpcClient rpc = RpcClient.connect(socket)) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                ObjectNode r = rpc.call("port.create", Map.of("network", network, "mac", mac(tag, i), "ownerUid", 1000));
                c[i] = System.nanoTime() - t0;
                uuids.add(ok(r).get("result").get("uuid").asText());
                taps.add(r.get("result").get("tap").asText());
            }
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                ok(rpc.call("port.delete", Map.of("uuid", uuids.get(i))));
                d[i] = System.nanoTime() - t0;
            }
            lastDelete = System.nanoTime();
        }
        long gone = awaitGone(links, taps);
        return new Round(c, d, gone - start, lastDelete - start, gone - start);
    }

    /** Polls the kernel's link list (a netlink dump) until none of {@code taps} is left; returns that moment. */
    private static long awaitGone(NetlinkLinkBackend links, Set<String> taps) throws InterruptedException {
        long deadline = System.nanoTime() + REAP_TIMEOUT_NS;
        while (true) {
            long now = System.nanoTime();
            long left = links.listLinks().stream().filter(l -> taps.contains(l.name())).count();
            if (left == 0) {
                return now;
            }
            if (now > deadline) {
                throw new IllegalStateException(left + " deleted ports' taps are still in the kernel "
                        + TimeUnit.NANOSECONDS.toSeconds(REAP_TIMEOUT_NS) + " s after the last port.delete");
            }
            Thread.sleep(1);
        }
    }

    /** Ports/s when {@code conc} clients create and delete ports at once (create+delete cycles, until the taps are gone). */
    private static double rpcConcurrent(Path socket, String network, NetlinkLinkBackend links, int n, int conc) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(conc);
        Set<String> taps = ConcurrentHashMap.newKeySet();
        try {
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < conc; w++) {
                int worker = w;
                fs.add(pool.submit(() -> {
                    try (RpcClient rpc = RpcClient.connect(socket)) {
                        for (int i = worker; i < n; i += conc) {
                            ObjectNode r = ok(rpc.call("port.create", Map.of("network", network, "mac", mac(0x30, i))));
                            taps.add(r.get("result").get("tap").asText());
                            ok(rpc.call("port.delete", Map.of("uuid", r.get("result").get("uuid").asText())));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            return n / ((awaitGone(links, taps) - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long[][] execRound(String bridge, int n) throws Exception {
        long[] c = new long[n];
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            String tap = "tb" + i;
            long t0 = System.nanoTime();
            run("ip", "tuntap", "add", "dev", tap, "mode", "tap", "user", "1000");
            run("ip", "link", "set", tap, "master", bridge);
            run("ip", "link", "set", tap, "up");
            c[i] = System.nanoTime() - t0;
        }
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            run("ip", "link", "del", "tb" + i);
            d[i] = System.nanoTime() - t0;
        }
        return new long[][] {c, d};
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static ObjectNode ok(ObjectNode reply) throws Exception {
        if (reply.has("error")) {
            throw new IllegalStateException("RPC failed: " + RpcCodec.MAPPER.writeValueAsString(reply));
        }
        return reply;
    }
}
