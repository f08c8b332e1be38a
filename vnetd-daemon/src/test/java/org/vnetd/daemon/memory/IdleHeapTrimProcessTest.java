package org.vnetd.daemon.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

/**
 * The idle heap trim at work in the real daemon, with its launcher's JVM options: a burst of large pipelined
 * requests promotes garbage and grows the old generation (the serial collector never shrinks it on its own at
 * rest), and once the daemon is quiet the trim collects and shrinks it back to its live data. The sizes are the
 * JVM's own ({@code jcmd GC.heap_info}); the daemon's log line only says when to look.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class IdleHeapTrimProcessTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String TRIM_LINE = "idle heap trim in ";
    private static final long MIB = 1024 * 1024;
    /** The burst must grow the old generation at least this much, or there is nothing to see given back. */
    private static final long MIN_GROWTH = 4 * MIB;

    @Test
    void theOldGenerationShrinksBackOnceTheDaemonIsQuietAfterABurst() throws Exception {
        NetnsSupport.require(PYTHON);
        Path dir = Files.createTempDirectory("vnetd-trim");
        try (TestNetns ns = TestNetns.create("trim"); VnetdProcess vnetd = new VnetdProcess(ns, dir, "DEBUG")) {
            vnetd.jvmOptions(DaemonMemory.launcherJvmOptions())
                    .start(() -> DaemonRpc.answers(vnetd.runDir()), "--no-default-network");
            long pid = vnetd.pid();
            Path pipeliner = dir.resolve("pipeline_attacker.py");
            try (InputStream in = getClass().getResourceAsStream("/org/vnetd/daemon/rpc/pipeline_attacker.py")) {
                Files.copy(in, pipeliner);
            }
            DaemonMemory.Tenured rest = DaemonMemory.tenured(pid);

            // 16 connections each keeping 8 requests of 64 KiB running: twice what the 4 MiB young generation holds
            Exec.Result burst = Exec.run(Duration.ofSeconds(60), null, List.of(PYTHON, pipeliner.toString(),
                    vnetd.runDir().resolve(RpcServer.SOCKET).toString(), "5", "16", String.valueOf(64 * 1024), "8"));
            assertEquals(0, burst.exitCode(), "the burst ran: " + burst.stderr());
            long trimsBefore = trims(vnetd);
            DaemonMemory.Tenured grown = DaemonMemory.tenured(pid);
            assertTrue(grown.committed() - rest.committed() >= MIN_GROWTH, "the burst (" + burst.stdout().strip()
                    + ") grew the old generation from " + rest + " to only " + grown + ": nothing to trim");

            Await.until(Duration.ofSeconds(60), Duration.ofMillis(200), "an idle heap trim after the burst",
                    () -> trims(vnetd) > trimsBefore);
            DaemonMemory.Tenured trimmed = DaemonMemory.tenured(pid);
            System.out.printf("idle heap trim: old generation at rest %s, after the burst %s, trimmed %s; %s%n", rest, grown,
                    trimmed, vnetd.log().lines().filter(l -> l.contains(TRIM_LINE)).toList());
            assertTrue(trimmed.committed() < grown.committed(), "the trim did not shrink the old generation: " + grown + " -> " + trimmed);
            // shrunk to its live data plus the trim's free share (10 %), give or take the generation's alignment
            assertTrue(trimmed.committed() <= trimmed.used() * 100 / (100 - IdleHeapTrim.TRIM_FREE_PERCENT) + MIB,
                    "the old generation is still larger than its live data needs: " + trimmed);
        }
    }

    private static long trims(VnetdProcess vnetd) {
        return vnetd.log().lines().filter(l -> l.contains(TRIM_LINE)).count();
    }
}
