package org.vnetd.daemon.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.daemon.rpc.RpcClient;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The real vnetd process, started with {@code ip netns exec NS java … org.vnetd.daemon.Main} on the
 * test's own class path, with private config/state/run directories. Waits until the RPC answers.
 */
final class DaemonProcess implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    final TestNetns ns;
    final Path dir;
    private Process process;
    private Path log;
    private int starts;

    DaemonProcess(TestNetns ns, Path dir) {
        this.ns = ns;
        this.dir = dir;
    }

    Path runDir() {
        return dir.resolve("run");
    }

    Path configDir() {
        return dir.resolve("etc");
    }

    Path stateDir() {
        return dir.resolve("var");
    }

    /** Starts the daemon and waits until it serves RPC. */
    DaemonProcess start(String... extra) throws Exception {
        starts++;
        log = dir.resolve("vnetd-" + starts + ".log");
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "org.vnetd.daemon.Main",
                "--config-dir", configDir().toString(), "--state-dir", stateDir().toString(),
                "--run-dir", runDir().toString(), "--log-level", "DEBUG"));
        argv.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        process = pb.start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("vnetd exited with " + process.exitValue() + ":\n" + log());
            }
            if (Files.exists(runDir().resolve(RpcServer.READ_ONLY_SOCKET))) {
                try (RpcClient c = client()) {
                    if (c.call("daemon.version", null).has("result")) {
                        return this;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("vnetd did not answer within " + READY_TIMEOUT + ":\n" + log());
    }

    /** Starts the daemon without waiting (for kill -9 in the middle of its start). */
    Process startNoWait(String... extra) throws IOException {
        starts++;
        log = dir.resolve("vnetd-" + starts + ".log");
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "org.vnetd.daemon.Main",
                "--config-dir", configDir().toString(), "--state-dir", stateDir().toString(),
                "--run-dir", runDir().toString(), "--log-level", "DEBUG"));
        argv.addAll(List.of(extra));
        process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return process;
    }

    RpcClient client() throws IOException {
        return RpcClient.connect(runDir().resolve(RpcServer.SOCKET));
    }

    RpcClient readOnlyClient() throws IOException {
        return RpcClient.connect(runDir().resolve(RpcServer.READ_ONLY_SOCKET));
    }

    /** Calls a method and returns its result; fails with the daemon's error message otherwise. */
    JsonNode call(String method, Map<String, ?> params) throws IOException {
        try (RpcClient c = client()) {
            ObjectNode reply = c.call(method, params);
            if (reply.has("error")) {
                throw new RpcFailure(reply.get("error").get("code").asInt(), reply.get("error").get("message").asText());
            }
            return reply.get("result");
        }
    }

    /** Calls a method that must fail and returns the error. */
    RpcFailure fail(String method, Map<String, ?> params) throws IOException {
        try (RpcClient c = client()) {
            ObjectNode reply = c.call(method, params);
            if (!reply.has("error")) {
                throw new AssertionError(method + " succeeded: " + RpcCodec.MAPPER.writeValueAsString(reply));
            }
            return new RpcFailure(reply.get("error").get("code").asInt(), reply.get("error").get("message").asText());
        }
    }

    static final class RpcFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        RpcFailure(int code, String message) {
            super("error " + code + ": " + message);
            this.code = code;
        }
    }

    long pid() {
        // `ip netns exec` execs the command, so this is the JVM's pid
        return process.pid();
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and waits for a clean exit. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("vnetd did not stop on SIGTERM within 60 s:\n" + log());
        }
        return process.exitValue();
    }

    String log() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the daemon if it still runs and removes its directories (configs, state, logs). */
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
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("warning: cannot remove " + dir + ": " + e);
        }
    }
}
