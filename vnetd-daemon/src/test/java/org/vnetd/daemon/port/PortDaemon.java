package org.vnetd.daemon.port;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.daemon.rpc.DaemonRpc.RpcFailure;
import org.vnetd.daemon.rpc.RpcClient;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The real vnetd ({@code org.vnetd.daemon.Main}) in a test namespace with private directories, started
 * through {@code ip netns exec} on the test's class path, restartable with the same directories.
 */
final class PortDaemon implements AutoCloseable {
    final TestNetns ns;
    final Path dir;
    private final VnetdProcess vnetd;

    PortDaemon(TestNetns ns, Path dir) {
        this.ns = ns;
        this.dir = dir;
        this.vnetd = new VnetdProcess(ns, dir, System.getProperty("vnetd.test.logLevel", "INFO"));
    }

    Path runDir() {
        return vnetd.runDir();
    }

    PortDaemon start(String... extra) throws Exception {
        vnetd.start(() -> DaemonRpc.answers(runDir()), extra);
        return this;
    }

    Path socket() {
        return runDir().resolve(RpcServer.SOCKET);
    }

    RpcClient client() throws IOException {
        return RpcClient.connect(socket());
    }

    JsonNode call(String method, Map<String, ?> params) throws IOException {
        return DaemonRpc.call(socket(), method, params);
    }

    RpcFailure fail(String method, Map<String, ?> params) throws IOException {
        return DaemonRpc.fail(socket(), method, params);
    }

    /** SIGTERM and wait. */
    void stop() throws InterruptedException {
        vnetd.stop();
    }

    String log() {
        return vnetd.log();
    }

    /** Kills the daemon; its directories stay (the test's temporary directory). */
    @Override
    public void close() {
        vnetd.kill();
    }

    /** RPC params from alternating keys and values: {@code params("network", "default", "mac", mac)}. */
    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String natNet(String name, String bridge, String addr, String extra) {
        String base = addr.substring(0, addr.lastIndexOf('.'));
        return "<network><name>" + name + "</name><forward mode='nat'/><bridge name='" + bridge + "'/>" + extra
                + "<ip address='" + addr + "' prefix='24'><dhcp><range start='" + base + ".10' end='" + base + ".250'/></dhcp></ip></network>";
    }
}
