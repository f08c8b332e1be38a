package org.vnetd.daemon.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.daemon.rpc.DaemonRpc.RpcFailure;
import org.vnetd.daemon.rpc.RpcClient;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The daemon tests' one harness: the real vnetd process ({@link VnetdProcess}: {@code ip netns exec NS java …
 * org.vnetd.daemon.Main} on the test's own class path, private config/state/run directories, restartable
 * with the same directories) plus its RPC. {@link #start} waits until the RPC answers.
 */
public final class DaemonProcess implements AutoCloseable {
    public final TestNetns ns;
    public final Path dir;
    private final VnetdProcess vnetd;

    /** A daemon logging at DEBUG. */
    public DaemonProcess(TestNetns ns, Path dir) {
        this(ns, dir, "DEBUG");
    }

    public DaemonProcess(TestNetns ns, Path dir, String logLevel) {
        this.ns = ns;
        this.dir = dir;
        this.vnetd = new VnetdProcess(ns, dir, logLevel);
    }

    public Path runDir() {
        return vnetd.runDir();
    }

    public Path configDir() {
        return vnetd.configDir();
    }

    public Path stateDir() {
        return vnetd.stateDir();
    }

    /** The read-write RPC socket. */
    public Path socket() {
        return runDir().resolve(RpcServer.SOCKET);
    }

    /** Environment variables for the following starts (e.g. NOTIFY_SOCKET). */
    public DaemonProcess environment(Map<String, String> variables) {
        vnetd.environment(variables);
        return this;
    }

    /** Starts the daemon and waits until it serves RPC. */
    public DaemonProcess start(String... extra) throws Exception {
        vnetd.start(() -> DaemonRpc.answers(runDir()), extra);
        return this;
    }

    /** Starts the daemon without waiting (for kill -9 in the middle of its start). */
    public Process startNoWait(String... extra) throws IOException {
        return vnetd.startNoWait(extra);
    }

    public RpcClient client() throws IOException {
        return RpcClient.connect(socket());
    }

    public RpcClient readOnlyClient() throws IOException {
        return RpcClient.connect(runDir().resolve(RpcServer.READ_ONLY_SOCKET));
    }

    /** Calls a method and returns its result; fails with the daemon's error message otherwise. */
    public JsonNode call(String method, Map<String, ?> params) throws IOException {
        return DaemonRpc.call(socket(), method, params);
    }

    /** Calls a method that must fail and returns the error. */
    public RpcFailure fail(String method, Map<String, ?> params) throws IOException {
        return DaemonRpc.fail(socket(), method, params);
    }

    public long pid() {
        return vnetd.pid();
    }

    public void kill9() throws InterruptedException {
        vnetd.kill9();
    }

    /** SIGTERM, and waits for a clean exit. */
    public int stop() throws InterruptedException {
        return vnetd.stop();
    }

    public String log() {
        return vnetd.log();
    }

    /** Kills the daemon if it still runs and removes its directories (configs, state, logs). */
    @Override
    public void close() {
        vnetd.close();
    }
}
