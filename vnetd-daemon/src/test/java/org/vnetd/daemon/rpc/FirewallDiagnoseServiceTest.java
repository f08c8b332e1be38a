package org.vnetd.daemon.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.firewall.FirewallFinding;
import org.vnetd.core.rpc.DiagnoseResult;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Request;

/** {@code firewall.diagnose}: what the read-only socket may see, and how often the ruleset is listed. */
@Timeout(30)
class FirewallDiagnoseServiceTest {
    private static final FirewallFinding FOREIGN = new FirewallFinding("foreign_service_drop", FirewallFinding.Severity.ERROR,
            "table inet secretfw, chain guard_in, rule handle 42 drops UDP port 67 (DHCP) that guests send to the host",
            "allow UDP 67 from the bridges in table inet secretfw, chain guard_in");
    private static final FirewallFinding HOST = new FirewallFinding("ip_forward", FirewallFinding.Severity.ERROR,
            "net.ipv4.ip_forward=0: the host forwards no IPv4 packets", "sysctl -w net.ipv4.ip_forward=1");

    private static RpcCall call(boolean readOnly) {
        return new RpcCall(Methods.FIREWALL_DIAGNOSE, new Request.FirewallDiagnose(), Peer.UNKNOWN, readOnly);
    }

    private static List<FirewallFinding> findings(DiagnoseResult result) {
        return result.findings();
    }

    @Test
    void theReadOnlySocketSeesNoForeignTablesChainsOrRules() throws Exception {
        FirewallDiagnoseService s = new FirewallDiagnoseService(() -> List.of(FOREIGN, HOST), Duration.ZERO, new FakeClock());
        List<FirewallFinding> rw = findings(s.diagnose(call(false)));
        assertEquals(List.of(FOREIGN, HOST), rw, "root sees everything");
        List<FirewallFinding> ro = findings(s.diagnose(call(true)));
        assertEquals(2, ro.size());
        FirewallFinding f = ro.getFirst();
        assertEquals("foreign_service_drop", f.check());
        assertEquals(FirewallFinding.Severity.ERROR, f.severity());
        for (String secret : List.of("secretfw", "guard_in", "42")) {
            assertFalse(f.message().contains(secret) || f.hint().contains(secret), secret + " in " + f);
        }
        assertTrue(f.message().contains(": "), "doctor splits the message at the first ': '");
        assertEquals(HOST, ro.get(1), "a finding about the host itself is shown as it is");
    }

    @Test
    void concurrentCallersShareRunsThatStartAfterTheyAsked() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstRunHolds = new CountDownLatch(1);
        FirewallDiagnoseService s = new FirewallDiagnoseService(() -> {
            int n = runs.incrementAndGet();
            if (n == 1) {
                firstRunHolds.await(10, TimeUnit.SECONDS);
            }
            return List.of(new FirewallFinding("run", FirewallFinding.Severity.WARNING, String.valueOf(n), ""));
        }, Duration.ZERO, new FakeClock());
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<DiagnoseResult> first = callers.submit(() -> s.diagnose(call(false)));
            org.vnetd.testing.Await.until(Duration.ofSeconds(5), "the first run started", () -> runs.get() == 1);
            List<Future<String>> later = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                later.add(callers.submit(() -> findings(s.diagnose(call(false))).getFirst().message()));
            }
            // every one of them has asked (and waits for the run after the first) before the first run ends
            org.vnetd.testing.Await.until(Duration.ofSeconds(5), "50 callers wait for the next run",
                    () -> s.waitingForNextRun() == 50);
            assertEquals(1, runs.get(), "nobody asked for a run while one was running: they wait for the next");
            firstRunHolds.countDown();
            assertEquals("1", findings(first.get()).getFirst().message());
            for (Future<String> f : later) {
                assertEquals("2", f.get(), "asked while run 1 was running: answered by the run that started after it");
            }
        }
        assertEquals(2, runs.get(), "51 callers, two runs: the one running when 50 of them asked, and the one they shared");
        assertEquals(0, s.waitingForNextRun());
    }

    @Test
    void runsAreSpacedByTheMinimumGap() throws Exception {
        FakeClock clock = new FakeClock();
        List<Long> starts = new ArrayList<>();
        FirewallDiagnoseService s = new FirewallDiagnoseService(() -> {
            starts.add(clock.nanoTime());
            clock.advance(Duration.ofMillis(40)); // a run takes time: the wait after it is shorter
            return List.of();
        }, Duration.ofMillis(300), clock);
        for (int i = 0; i < 3; i++) {
            s.diagnose(call(false));
        }
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        assertEquals(List.of(0L, 300 * ms, 600 * ms), starts, "runs start one gap apart");
        assertEquals(List.of(Duration.ofMillis(260), Duration.ofMillis(260)), clock.sleeps,
                "each run waits out what is left of the gap after the one before");
        clock.advance(Duration.ofSeconds(5));
        s.diagnose(call(false));
        assertEquals(List.of(Duration.ofMillis(260), Duration.ofMillis(260)), clock.sleeps, "a run after the gap waits not");
    }

    @Test
    void readOnlyCallersGetTheLastDiagnosisWithoutWaitingForOne() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch secondRunHolds = new CountDownLatch(1);
        FirewallDiagnoseService s = new FirewallDiagnoseService(() -> {
            int n = runs.incrementAndGet();
            if (n == 2) {
                secondRunHolds.await(10, TimeUnit.SECONDS);
            }
            return List.of(new FirewallFinding("run", FirewallFinding.Severity.WARNING, "run " + n, ""));
        }, Duration.ZERO, new FakeClock()); // time stands still: the last run never ages into a refresh
        assertEquals("run 1", findings(s.diagnose(call(true))).getFirst().message(), "nothing to reuse yet: a run");
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<DiagnoseResult> root = callers.submit(() -> s.diagnose(call(false)));
            org.vnetd.testing.Await.until(Duration.ofSeconds(5), "root's run started", () -> runs.get() == 2);
            for (int i = 0; i < 50; i++) {
                assertEquals("run 1", findings(s.diagnose(call(true))).getFirst().message(),
                        "answered at once from the last run while root's is still running");
            }
            secondRunHolds.countDown();
            assertEquals("run 2", findings(root.get()).getFirst().message());
        }
        assertEquals(2, runs.get());
    }

    /** Time that moves only when a test or a sleep moves it. */
    private static final class FakeClock implements CoalescedRuns.Clock {
        private final AtomicLong now = new AtomicLong();
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            advance(d);
        }

        void advance(Duration d) {
            now.addAndGet(d.toNanos());
        }
    }
}
