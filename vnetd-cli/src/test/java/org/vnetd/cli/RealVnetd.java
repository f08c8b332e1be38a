package org.vnetd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.vnetd.testing.TestNetns;

/**
 * The real vnetd process ({@code org.vnetd.daemon.Main}, on the test class path through the test-scoped
 * vnetd-daemon dependency) started with {@code ip netns exec NS java …} and private config/state/run
 * directories under {@code dir}. Ready when vnetctl's {@code net-list} answers over its socket.
 */
final class RealVnetd implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** The daemon's socket file names (org.vnetd.daemon.rpc.RpcServer.SOCKET / READ_ONLY_SOCKET). */
    static final String SOCKET = "vnetd.sock";
    static final String READ_ONLY_SOCKET = "vnetd-ro.sock";

    private final TestNetns ns;
    private final Path dir;
    private final Path log;
    private Process process;

    RealVnetd(TestNetns ns, Path dir) {
        this.ns = ns;
        this.dir = dir;
        this.log = dir.resolve("vnetd.log");
    }

    Path socket() {
        return dir.resolve("run").resolve(SOCKET);
    }

    Path readOnlySocket() {
        return dir.resolve("run").resolve(READ_ONLY_SOCKET);
    }

    /** Starts the daemon and waits until it serves RPC; extra arguments go to vnetd. */
    RealVnetd start(String... extra) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "org.vnetd.daemon.Main",
                "--config-dir", dir.resolve("etc").toString(), "--state-dir", dir.resolve("var").toString(),
                "--run-dir", dir.resolve("run").toString(), "--log-level", "DEBUG"));
        argv.addAll(List.of(extra));
        process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Cli probe = new Cli(socket());
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("vnetd exited with " + process.exitValue() + ":\n" + log());
            }
            if (Files.exists(readOnlySocket()) && probe.run("net-list", "--all", "--name").status() == 0) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("vnetd did not answer within " + READY_TIMEOUT + ":\n" + log());
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the daemon and removes its directories. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("warning: cannot remove " + dir + ": " + e);
        }
    }
}
