package org.vnetd.testing.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.vnetd.testing.Await;
import org.vnetd.testing.TestNetns;

/**
 * The real vnetd ({@code org.vnetd.daemon.Main}) started by a test with {@code ip netns exec NS java -cp
 * <the test's class path> …} and private config/state/run directories under {@code dir} ({@code etc},
 * {@code var}, {@code run}). Restartable with the same directories; each start writes its own log
 * ({@code vnetd-N.log}). The fixtures module does not depend on the daemon, so what "ready" means (an RPC
 * answer, a vnetctl command) is the caller's {@link ReadyProbe}.
 */
public final class VnetdProcess implements AutoCloseable {
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** Answers whether the daemon serves requests yet; an {@link IOException} counts as "not yet". */
    @FunctionalInterface
    public interface ReadyProbe {
        boolean ready() throws IOException;
    }

    private final TestNetns ns;
    private final Path dir;
    private final String logLevel;
    private List<String> jvmOptions = List.of();
    private Map<String, String> environment = Map.of();
    private final List<String> launcher;
    private Process process;
    private Path log;
    private int starts;

    public VnetdProcess(TestNetns ns, Path dir, String logLevel) {
        this(ns, dir, logLevel, List.of());
    }

    /**
     * @param launcher an argv prefix run before {@code ip netns exec} (e.g. nsenter into a private mount
     *                 namespace, or {@code sh -c 'umask 000 && exec "$@"' sh})
     */
    public VnetdProcess(TestNetns ns, Path dir, String logLevel, List<String> launcher) {
        this.ns = ns;
        this.dir = dir;
        this.logLevel = logLevel;
        this.launcher = List.copyOf(launcher);
    }

    /** Environment variables for the following starts, on top of the test's own (e.g. NOTIFY_SOCKET). */
    public VnetdProcess environment(Map<String, String> variables) {
        environment = Map.copyOf(variables);
        return this;
    }

    /** JVM options for the following starts, after the fixed ones (e.g. the launcher's, to measure memory as installed). */
    public VnetdProcess jvmOptions(List<String> options) {
        jvmOptions = List.copyOf(options);
        return this;
    }

    public TestNetns ns() {
        return ns;
    }

    public Path dir() {
        return dir;
    }

    public Path configDir() {
        return dir.resolve("etc");
    }

    public Path stateDir() {
        return dir.resolve("var");
    }

    public Path runDir() {
        return dir.resolve("run");
    }

    /** Starts the daemon without waiting (for a kill in the middle of its start); extra arguments go to vnetd. */
    public Process startNoWait(String... extra) throws IOException {
        starts++;
        Files.createDirectories(dir);
        log = dir.resolve("vnetd-" + starts + ".log");
        ProcessBuilder pb = new ProcessBuilder(command(extra)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        process = pb.start();
        return process;
    }

    /**
     * The command line a start runs ({@code ip netns exec NS java … org.vnetd.daemon.Main} with this daemon's
     * directories and {@code extra}), for a harness that starts it itself (e.g. with descriptors to pass);
     * {@link #environment} is the caller's to add.
     */
    public List<String> command(String... extra) {
        List<String> argv = new ArrayList<>(launcher);
        argv.addAll(ns.prefix());
        // C1 and CDS: a daemon under test lives seconds, so start-up time matters more than peak speed
        argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.vnetd.daemon.Main",
                "--config-dir", configDir().toString(), "--state-dir", stateDir().toString(),
                "--run-dir", runDir().toString(), "--log-level", logLevel));
        argv.addAll(List.of(extra));
        return argv;
    }

    /** Starts the daemon and waits (at most {@link #READY_TIMEOUT}) until {@code probe} says it is ready. */
    public VnetdProcess start(ReadyProbe probe, String... extra) throws IOException, InterruptedException {
        startNoWait(extra);
        try {
            Await.until(READY_TIMEOUT, Duration.ofMillis(100), "vnetd to answer", () -> {
                if (!process.isAlive()) {
                    // an Error, not an Exception: Await gives up at once instead of polling a dead process
                    throw new AssertionError("vnetd exited with " + process.exitValue() + ":\n" + log());
                }
                return probe.ready(); // an IOException means "not listening yet": Await looks again
            });
        } catch (AssertionError e) {
            if (!process.isAlive()) {
                throw e; // it says how vnetd exited, with its log
            }
            throw new AssertionError(e.getMessage() + "; its log:\n" + log(), e);
        }
        return this;
    }

    /** The JVM's pid: {@code ip netns exec} execs the command rather than forking it. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL and wait. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for the exit; returns its status. A daemon that ignores SIGTERM for 60 s is killed and fails the test. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("vnetd did not stop on SIGTERM within 60 s:\n" + log());
        }
        return process.exitValue();
    }

    /** The latest start's log ("" before the first start). */
    public String log() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the daemon if it still runs; leaves its directories. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills the daemon if it still runs and removes its directories (configs, state, logs). */
    @Override
    public void close() {
        kill();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("warning: cannot remove " + dir + ": " + e);
        }
    }
}
