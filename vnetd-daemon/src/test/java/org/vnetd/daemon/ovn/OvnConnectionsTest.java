package org.vnetd.daemon.ovn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.testing.ovn.PrivateOvsdbServer;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

class OvnConnectionsTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseThatWasNeverReachedIsForgottenSoNothingKeepsRetryingIt() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (OvnConnections connections = new OvnConnections(group, "unix:" + dir.resolve("no-ovs.sock"), Optional.empty())) {
            String nb = "unix:" + dir.resolve("no-nb.sock");
            connections.northbound(nb);
            connections.localSwitch();
            assertEquals(2, connections.kept());
            connections.forgetUnconnected(nb);
            assertEquals(0, connections.kept(), "neither connection ever reached a database");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDatabaseThatAnswersIsKept() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (PrivateOvsdbServer server = PrivateOvsdbServer.start(dir.resolve("nb"), PrivateOvsdbServer.OVN_NB_SCHEMA);
                OvnConnections connections = new OvnConnections(group, "unix:" + dir.resolve("no-ovs.sock"), Optional.empty())) {
            assertEquals(List.of("OVN_Northbound"), connections.northbound(server.remote()).listDbs().stream()
                    .filter(db -> !db.startsWith("_")).toList());
            connections.localSwitch();
            connections.forgetUnconnected(server.remote());
            assertEquals(1, connections.kept(), "the northbound connection answered; only the local one is dropped");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
