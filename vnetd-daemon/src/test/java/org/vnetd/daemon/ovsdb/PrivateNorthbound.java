package org.vnetd.daemon.ovsdb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vnetd.core.ovsdb.OvsdbRemote;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.ovn.PrivateOvsdbServer;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * The set-up the OVSDB tests share: OVS's and OVN's tools required (a CI failure when missing), one event loop
 * for the test class's clients, private northbound {@code ovsdb-server}s under the test's directory, clients to
 * them, and {@code ovn-nbctl} to read back what vnetd wrote with another program than vnetd.
 *
 * <pre>{@code @RegisterExtension static final PrivateNorthbound NB = new PrivateNorthbound();}</pre>
 */
public final class PrivateNorthbound implements BeforeAllCallback, AfterAllCallback {
    public static final String DB = "OVN_Northbound";
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private EventLoopGroup group;

    @Override
    public void beforeAll(ExtensionContext context) {
        NetnsSupport.require("ovsdb-server", "ovsdb-tool", "ovn-nbctl");
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    public EventLoopGroup group() {
        return group;
    }

    /** A northbound database of its own in {@code dir}, served on a unix socket. */
    public PrivateOvsdbServer start(Path dir) {
        return PrivateOvsdbServer.start(dir, PrivateOvsdbServer.OVN_NB_SCHEMA);
    }

    public OvsdbClient client(PrivateOvsdbServer server) {
        return OvsdbClient.open(OvsdbRemote.parseList(server.remote()), group, TIMEOUT);
    }

    /** {@code ovn-nbctl --db=… ARGS}, its output trimmed; fails the test when it fails. */
    public static String nbctl(PrivateOvsdbServer server, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovn-nbctl", "--db=" + server.remote()));
        cmd.addAll(List.of(args));
        return server.ctl(cmd.toArray(String[]::new)).orThrow().stdout().trim();
    }

    /** The non-blank lines of {@code out}, trimmed and sorted. */
    public static List<String> lines(String out) {
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList();
    }
}
