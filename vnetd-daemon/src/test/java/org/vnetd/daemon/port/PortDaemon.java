package org.vnetd.daemon.port;

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
 * The real vnetd ({@code org.vnetd.daemon.Main}) in a test namespace with private directories, started
 * through {@code ip netns exec} on the test's class path, restartable with the same directories.
 */
final class PortDaemon implements AutoCloseable {
    static final Duration READY = Duration.ofSeconds(120);

    final TestNetns ns;
    final Path dir;
    private Process process;
    private Path log;
    private int starts;

    PortDaemon(TestNetns ns, Path dir) {
        this.ns = ns;
        this.dir = dir;
    }

    Path runDir() {
        return dir.resolve("run");
    }

    PortDaemon start(String... extra) throws Exception {
        starts++;
        log = dir.resolve("vnetd-" + starts + ".log");
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "org.vnetd.daemon.Main",
                "--config-dir", dir.resolve("etc").toString(), "--state-dir", dir.resolve("var").toString(),
                "--run-dir", runDir().toString(), "--log-level", System.getProperty("vnetd.test.logLevel", "INFO")));
        argv.addAll(List.of(extra));
        process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + READY.toNanos();
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
        throw new IllegalStateException("vnetd did not answer within " + READY + ":\n" + log());
    }

    Path socket() {
        return runDir().resolve(RpcServer.SOCKET);
    }

    RpcClient client() throws IOException {
        return RpcClient.connect(socket());
    }

    JsonNode call(String method, Map<String, ?> params) throws IOException {
        try (RpcClient c = client()) {
            return result(method, c.call(method, params));
        }
    }

    static JsonNode result(String method, ObjectNode reply) throws IOException {
        if (reply.has("error")) {
            throw new Failure(reply.get("error").get("code").asInt(), method + ": " + reply.get("error").get("message").asText());
        }
        return reply.get("result");
    }

    Failure fail(String method, Map<String, ?> params) throws IOException {
        try (RpcClient c = client()) {
            ObjectNode reply = c.call(method, params);
            if (!reply.has("error")) {
                throw new AssertionError(method + " succeeded: " + RpcCodec.MAPPER.writeValueAsString(reply));
            }
            return new Failure(reply.get("error").get("code").asInt(), reply.get("error").get("message").asText());
        }
    }

    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        Failure(int code, String message) {
            super("error " + code + ": " + message);
            this.code = code;
        }
    }

    /** SIGTERM and wait. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    String log() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

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
    }

    static String natNet(String name, String bridge, String addr, String extra) {
        String base = addr.substring(0, addr.lastIndexOf('.'));
        return "<network><name>" + name + "</name><forward mode='nat'/><bridge name='" + bridge + "'/>" + extra
                + "<ip address='" + addr + "' prefix='24'><dhcp><range start='" + base + ".10' end='" + base + ".250'/></dhcp></ip></network>";
    }
}
