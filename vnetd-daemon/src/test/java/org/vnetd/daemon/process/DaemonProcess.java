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
 * The real vnetd process, started with {@code ip netns exec NS java … org.vnetd.daemon.Main} on the
 * test's own class path, with private config/state/run directories. Waits until the RPC answers.
 */
final class DaemonProcess implements AutoCloseable {
    final TestNetns ns;
    final Path dir;
    private final VnetdProcess vnetd;

    DaemonProcess(TestNetns ns, Path dir) {
        this.ns = ns;
        this.dir = dir;
        this.vnetd = new VnetdProcess(ns, dir, "DEBUG");
    }

    Path runDir() {
        return vnetd.runDir();
    }

    Path configDir() {
        return vnetd.configDir();
    }

    Path stateDir() {
        return vnetd.stateDir();
    }

    /** Starts the daemon and waits until it serves RPC. */
    DaemonProcess start(String... extra) throws Exception {
        vnetd.start(() -> DaemonRpc.answers(runDir()), extra);
        return this;
    }

    /** Starts the daemon without waiting (for kill -9 in the middle of its start). */
    Process startNoWait(String... extra) throws IOException {
        return vnetd.startNoWait(extra);
    }

    RpcClient client() throws IOException {
        return RpcClient.connect(runDir().resolve(RpcServer.SOCKET));
    }

    RpcClient readOnlyClient() throws IOException {
        return RpcClient.connect(runDir().resolve(RpcServer.READ_ONLY_SOCKET));
    }

    /** Calls a method and returns its result; fails with the daemon's error message otherwise. */
    JsonNode call(String method, Map<String, ?> params) throws IOException {
        return DaemonRpc.call(runDir().resolve(RpcServer.SOCKET), method, params);
    }

    /** Calls a method that must fail and returns the error. */
    RpcFailure fail(String method, Map<String, ?> params) throws IOException {
        return DaemonRpc.fail(runDir().resolve(RpcServer.SOCKET), method, params);
    }

    long pid() {
        return vnetd.pid();
    }

    void kill9() throws InterruptedException {
        vnetd.kill9();
    }

    /** SIGTERM, and waits for a clean exit. */
    int stop() throws InterruptedException {
        return vnetd.stop();
    }

    String log() {
        return vnetd.log();
    }

    /** Kills the daemon if it still runs and removes its directories (configs, state, logs). */
    @Override
    public void close() {
        vnetd.close();
    }
}
