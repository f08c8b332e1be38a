package org.vnetd.daemon.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.daemon.memory.DaemonMemory;
import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 25's memory attack on the real daemon, bounded: as uid 65534 (nobody), on the read-only socket,
 * hundreds of connections each announcing a large frame and sending all of it but the last byte, reopened
 * when the daemon closes them, plus connections dripping one byte a second. Meanwhile the daemon's RSS may
 * grow by at most 64 MiB and a cheap call on the read-write socket keeps a p99 under 50 ms; afterwards RSS
 * comes back within 10 % of where it started, and every dripping connection was closed by the daemon. At the
 * same time another user (uid 65533) pipelines valid read-only requests as large as the socket takes on 32
 * connections: what running requests hold is promoted out of the daemon's small young generation and touches
 * old-generation pages, which stay in RSS until the daemon's idle heap trim (IdleHeapTrim) shrinks the heap
 * once the flood is over. And users 65500-65502 ask for a large reply (a network with 1,000 DHCP hosts as XML)
 * on all their connections and never read: the daemon holds their replies, up to its unread-reply limit per
 * connection, however fast it runs, so the flood raises RSS by at least {@link #MIN_RAISE} on a quiet machine as on
 * a loaded one (without them a quiet machine's flood raised it by 5-7 MiB, too little for "comes back within
 * 10 %" to show anything); the test fails when the flood raised it by less. The read-write calls go on every
 * 10 ms until RSS is back: a client polling the daemon must not keep it from giving the flood's memory back
 * (it did, when the heap trim waited for a silent daemon: +25 MiB for good).
 * The daemon runs with its launcher's JVM options (scripts/lib/java.sh), so RSS is measured as installed; it
 * runs in a namespace of its own only so that it touches no host network (the attack is on its Unix socket).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RpcFloodProcessTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int ATTACK_SECONDS = 15;
    private static final int BIG_CONNECTIONS = 300;
    private static final String FRAME_SIZES = 4 * 1024 * 1024 + "," + 1024 * 1024 + "," + 3 * 1024;
    private static final int ROUNDS = 3;
    private static final int DRIP_CONNECTIONS = 20;
    private static final int PIPELINE_CONNECTIONS = 32;
    private static final int PIPELINE_FRAME = 4000;
    private static final int PIPELINE_DEPTH = 8;
    private static final int UNREAD_FIRST_UID = 65500;
    private static final int UNREAD_USERS = 3;
    private static final int UNREAD_CONNECTIONS = 32;
    private static final int BIG_NETWORK_HOSTS = 1000;
    private static final long MAX_GROWTH = 64L * 1024 * 1024;
    /** What the flood must have raised RSS by (at its peak) for its return to within 10 % to mean anything. */
    private static final long MIN_RAISE = 16L * 1024 * 1024;
    private static final double MAX_P99_MS = 50;
    /** Issue 25's bound: RSS back within 10 % of where it was before the flood. */
    private static final double RSS_RETURN_RATIO = 1.10;
    /**
     * The baseline is the daemon at rest: its lowest RSS once no new low (by more than 1 %) came for longer than
     * the periods of its heap trim and of the JVM's native-heap trim (10 s each), so what start-up and the warm-up
     * left to trim is not counted as "where it started".
     */
    private static final Duration SETTLED_FOR = Duration.ofSeconds(15);

    @Test
    void aLocalUserCannotPushTheDaemonToGigabytes() throws Exception {
        NetnsSupport.require("nft", "setpriv", PYTHON);
        Path dir = Files.createTempDirectory("vnetd-flood");
        try (TestNetns ns = TestNetns.create("flood"); VnetdProcess vnetd = new VnetdProcess(ns, dir, "INFO")) {
            vnetd.jvmOptions(DaemonMemory.launcherJvmOptions()).start(() -> DaemonRpc.answers(vnetd.runDir()), "--no-default-network");
            // nobody must reach the 0666 socket: the test's directories are 0700 by default
            for (Path p : List.of(dir, vnetd.runDir())) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
            }
            Path attacker = script(dir, "flood_attacker.py");
            Path pipeliner = script(dir, "pipeline_attacker.py");
            Path unread = script(dir, "unread_attacker.py");
            Path rw = vnetd.runDir().resolve(RpcServer.SOCKET);
            Path ro = vnetd.runDir().resolve(RpcServer.READ_ONLY_SOCKET);
            for (int i = 0; i < 300; i++) {
                cheapCall(i % 3 == 0 ? ro : rw);
            }
            DaemonRpc.call(rw, Methods.NETWORK_DEFINE, Map.of("xml", bigNetworkXml()));
            String getXml = RpcCodec.MAPPER.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", Methods.NETWORK_GET_XML,
                    "params", Map.of("network", "big")));
            // A short flood first: the refusal, timeout and pipelining paths load their classes and get compiled
            // once, for the daemon's life. The baseline is taken after that, so "RSS comes back" measures what
            // the attack itself leaves held, not one-time code (seen: +9.7 MiB over a cold baseline).
            Exec.Result warm = Exec.run(Duration.ofSeconds(60), null, List.of("setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups", PYTHON, attacker.toString(), ro.toString(), "3", "30", FRAME_SIZES, "1", "2"));
            assertEquals(0, warm.exitCode(), "the warm-up attacker ran: " + warm.stderr());
            Exec.Result warmPipe = Exec.run(Duration.ofSeconds(60), null, List.of("setpriv", "--reuid=65533", "--regid=65533",
                    "--clear-groups", PYTHON, pipeliner.toString(), ro.toString(), "3", "4", String.valueOf(PIPELINE_FRAME),
                    String.valueOf(PIPELINE_DEPTH)));
            assertEquals(0, warmPipe.exitCode(), "the warm-up pipeliner ran: " + warmPipe.stderr());
            Exec.Result warmUnread = Exec.run(Duration.ofSeconds(60), null, List.of(PYTHON, unread.toString(), ro.toString(), "3",
                    String.valueOf(UNREAD_FIRST_UID), "1", "8", getXml));
            assertEquals(0, warmUnread.exitCode(), "the warm-up unread-reply attacker ran: " + warmUnread.stderr());
            long pid = vnetd.pid();
            long baseline = settledRss(pid);
            long warmUpLogLines = vnetd.log().lines().count(); // the warm-up's refusals are logged before this

            List<Double> latenciesMs = Collections.synchronizedList(new ArrayList<>());
            ConcurrentLinkedQueue<String> probeErrors = new ConcurrentLinkedQueue<>();
            AtomicLong peak = new AtomicLong(baseline);
            ScheduledExecutorService probes = Executors.newScheduledThreadPool(2);
            CompletableFuture<Exec.Result> attack;
            CompletableFuture<Exec.Result> pipeline;
            CompletableFuture<Exec.Result> unreadReplies;
            try {
                probes.scheduleWithFixedDelay(() -> {
                    long t0 = System.nanoTime();
                    try {
                        cheapCall(rw);
                        latenciesMs.add((System.nanoTime() - t0) / 1e6);
                    } catch (IOException | RuntimeException e) {
                        probeErrors.add(e.toString());
                    }
                }, 0, 10, TimeUnit.MILLISECONDS);
                probes.scheduleWithFixedDelay(() -> peak.accumulateAndGet(rss(pid), Math::max), 0, 50, TimeUnit.MILLISECONDS);
                attack = CompletableFuture.supplyAsync(() -> Exec.run(Duration.ofSeconds(ATTACK_SECONDS + 60), null,
                        List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", PYTHON, attacker.toString(),
                                ro.toString(), String.valueOf(ATTACK_SECONDS), String.valueOf(BIG_CONNECTIONS), FRAME_SIZES,
                                String.valueOf(ROUNDS), String.valueOf(DRIP_CONNECTIONS))));
                pipeline = CompletableFuture.supplyAsync(() -> Exec.run(Duration.ofSeconds(ATTACK_SECONDS + 60), null,
                        List.of("setpriv", "--reuid=65533", "--regid=65533", "--clear-groups", PYTHON, pipeliner.toString(),
                                ro.toString(), String.valueOf(ATTACK_SECONDS), String.valueOf(PIPELINE_CONNECTIONS),
                                String.valueOf(PIPELINE_FRAME), String.valueOf(PIPELINE_DEPTH))));
                // as root: it forks one process per user and each takes its uid
                unreadReplies = CompletableFuture.supplyAsync(() -> Exec.run(Duration.ofSeconds(ATTACK_SECONDS + 60), null,
                        List.of(PYTHON, unread.toString(), ro.toString(), String.valueOf(ATTACK_SECONDS),
                                String.valueOf(UNREAD_FIRST_UID), String.valueOf(UNREAD_USERS),
                                String.valueOf(UNREAD_CONNECTIONS), getXml)));
                Exec.Result result = attack.get(ATTACK_SECONDS + 90, TimeUnit.SECONDS);
                Exec.Result pipelined = pipeline.get(ATTACK_SECONDS + 90, TimeUnit.SECONDS);
                Exec.Result unreadResult = unreadReplies.get(ATTACK_SECONDS + 90, TimeUnit.SECONDS);
                long target = (long) (baseline * RSS_RETURN_RATIO);
                AssertionError stuck = null;
                try {
                    Await.until(Duration.ofSeconds(60), Duration.ofMillis(200), "RSS back within " + Math.round((RSS_RETURN_RATIO - 1) * 100) + " % of " + mib(baseline) + " MiB",
                            () -> rss(pid) <= target);
                } catch (AssertionError e) {
                    stuck = e;
                }
                long after = rss(pid);
                probes.shutdown();
                assertTrue(probes.awaitTermination(10, TimeUnit.SECONDS));
                double p99 = percentile(latenciesMs, 0.99);
                System.out.printf("flood: RSS baseline %.1f MiB, peak %.1f MiB (+%.1f), after %.1f MiB; rw network.list p99 %.1f ms,"
                        + " max %.1f ms over %d calls, %d failed; attacker %s; pipeliner %s; unread replies %s%n", mib(baseline),
                        mib(peak.get()), mib(peak.get() - baseline), mib(after), p99, percentile(latenciesMs, 1.0),
                        latenciesMs.size(), probeErrors.size(), result.stdout().strip(), pipelined.stdout().strip(),
                        unreadResult.stdout().strip());
                assertEquals(0, result.exitCode(), "the attacker ran: " + result.stderr());
                assertEquals(0, pipelined.exitCode(), "the pipeliner ran: " + pipelined.stderr());
                assertEquals(0, unreadResult.exitCode(), "the unread-reply attacker ran: " + unreadResult.stderr());
                JsonNode stats = RpcCodec.MAPPER.readTree(result.stdout());
                JsonNode piped = RpcCodec.MAPPER.readTree(pipelined.stdout());
                assertTrue(piped.get("replies").asInt() > 1000 && piped.get("closedByDaemon").asInt() == 0,
                        "valid requests are served, however many: " + piped);

                assertTrue(peak.get() - baseline <= MAX_GROWTH, "RSS grew by " + mib(peak.get() - baseline) + " MiB");
                assertTrue(peak.get() - baseline >= MIN_RAISE, "the flood raised RSS by only " + mib(peak.get() - baseline)
                        + " MiB, less than " + mib(MIN_RAISE) + ": too weak to show RSS coming back");
                if (stuck != null) {
                    throw stuck;
                }
                assertTrue(probeErrors.isEmpty(), "read-write calls failed: " + probeErrors.peek());
                assertTrue(latenciesMs.size() > ATTACK_SECONDS * 20, "too few read-write calls measured: " + latenciesMs.size());
                assertTrue(p99 < MAX_P99_MS, "read-write p99 " + p99 + " ms");
                assertEquals(0, stats.get("dripOpenAtEnd").asInt(), "every dripping connection was closed by the daemon");
                // admitted (they connect first), then closed by the 10 s frame timeout
                assertEquals(DRIP_CONNECTIONS, stats.get("dripClosedAfterSeconds").size());
                for (JsonNode s : stats.get("dripClosedAfterSeconds")) {
                    assertTrue(s.asDouble() >= 9 && s.asDouble() <= 14, "a dripping connection lasted " + s.asDouble() + " s");
                }
                assertTrue(stats.get("closedByDaemon").asInt() > BIG_CONNECTIONS, "the daemon refused the flood: " + stats);
                List<String> refusals = vnetd.log().lines().skip(warmUpLogLines)
                        .filter(l -> l.contains(RpcServer.READ_ONLY_SOCKET + ": ")).toList();
                refusals.forEach(l -> System.out.println("flood: daemon log: " + l));
                long refusalLines = refusals.size();
                assertTrue(refusalLines >= 1 && refusalLines <= ATTACK_SECONDS / 10 + 3,
                        "refusals are logged rate-limited, got " + refusalLines + " lines:\n" + vnetd.log());
                cheapCall(rw);
            } finally {
                probes.shutdownNow();
            }
        }
    }

    /** Copies a test resource where uid 65534 can run it. */
    private Path script(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** The lowest RSS of {@code pid} once it made no new low for {@link #SETTLED_FOR}. */
    private static long settledRss(long pid) {
        long[] low = {rss(pid), System.nanoTime()};
        Await.until(Duration.ofSeconds(120), Duration.ofMillis(500), "RSS settled for " + SETTLED_FOR.toSeconds() + " s", () -> {
            long now = rss(pid);
            if (now < low[0] * 0.99) {
                low[1] = System.nanoTime();
            }
            low[0] = Math.min(low[0], now);
            return System.nanoTime() - low[1] >= SETTLED_FOR.toNanos();
        });
        return low[0];
    }

    private static void cheapCall(Path socket) throws IOException {
        DaemonRpc.call(socket, Methods.NETWORK_LIST, null);
    }

    private static double percentile(List<Double> values, double q) {
        List<Double> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /** A network whose XML (network.getXml's reply) is ~75 KB: 1,000 static DHCP hosts. */
    private static String bigNetworkXml() {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < BIG_NETWORK_HOSTS; i++) {
            hosts.append(String.format("<host mac='52:54:00:00:%02x:%02x' name='host%d' ip='10.99.%d.%d'/>", i / 256, i % 256, i,
                    1 + i / 250, 1 + i % 250));
        }
        return "<network><name>big</name><ip address='10.99.0.1' prefix='16'><dhcp><range start='10.99.200.1'"
                + " end='10.99.200.250'/>" + hosts + "</dhcp></ip></network>";
    }

    private static long rss(long pid) {
        return DaemonMemory.rss(pid);
    }

    private static double mib(long bytes) {
        return DaemonMemory.mib(bytes);
    }
}
