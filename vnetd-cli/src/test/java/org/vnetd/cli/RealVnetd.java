package org.vnetd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

/**
 * The real vnetd process ({@code org.vnetd.daemon.Main}, on the test class path through the test-scoped
 * vnetd-daemon dependency) started with {@code ip netns exec NS java …} and private config/state/run
 * directories under {@code dir}. Ready when vnetctl's {@code net-list} answers over its socket.
 */
final class RealVnetd implements AutoCloseable {
    /** The daemon's socket file names (org.vnetd.daemon.rpc.RpcServer.SOCKET / READ_ONLY_SOCKET). */
    static final String SOCKET = "vnetd.sock";
    static final String READ_ONLY_SOCKET = "vnetd-ro.sock";

    private final VnetdProcess vnetd;

    RealVnetd(TestNetns ns, Path dir) {
        this.vnetd = new VnetdProcess(ns, dir, "DEBUG");
    }

    Path socket() {
        return vnetd.runDir().resolve(SOCKET);
    }

    Path readOnlySocket() {
        return vnetd.runDir().resolve(READ_ONLY_SOCKET);
    }

    /** Starts the daemon and waits until it serves RPC; extra arguments go to vnetd. */
    RealVnetd start(String... extra) throws IOException, InterruptedException {
        Cli probe = new Cli(socket());
        vnetd.start(() -> Files.exists(readOnlySocket()) && probe.run("net-list", "--all", "--name").status() == 0, extra);
        return this;
    }

    String log() {
        return vnetd.log();
    }

    /** Kills the daemon and removes its directories. */
    @Override
    public void close() {
        vnetd.close();
    }
}
