package org.vnetd.daemon.ovn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.OvnPlan;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.NetworkDef;
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
    void aStoppedNetworkLetsGoOfItsDatabaseWhenNoOtherNetworkUsesIt() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (PrivateOvsdbServer server = PrivateOvsdbServer.start(dir.resolve("nb"), PrivateOvsdbServer.OVN_NB_SCHEMA);
                OvnConnections connections = new OvnConnections(group, "unix:" + dir.resolve("no-ovs.sock"), Optional.of("hv1"))) {
            OvnEffects effects = new OvnEffects(connections);
            NetworkDef a = network("a", "10.61.0", server.remote());
            NetworkDef b = network("b", "10.62.0", server.remote());
            Action.OvnSwitch switchA = ovnSwitch(a);
            Action.OvnSwitch switchB = ovnSwitch(b);
            Map<String, String> recordA = effects.apply(switchA, a);
            Map<String, String> recordB = effects.apply(switchB, b);
            assertEquals(1, connections.kept(), "both networks share one connection");
            effects.undo(switchA, a, recordA);
            assertEquals(1, connections.kept(), "b still uses it");
            effects.undo(switchB, b, recordB);
            assertEquals(0, connections.kept(), "no network uses the database any more: its connection is closed");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static NetworkDef network(String name, String net, String northbound) {
        return NetworkXml.parse("""
                <network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>
                  <name>%s</name>
                  <uuid>%s</uuid>
                  <ip address='%s.1' netmask='255.255.255.0'><dhcp><range start='%s.100' end='%s.199'/></dhcp></ip>
                  <vnetd:ovn northbound='%s'/>
                </network>
                """.formatted(name, UUID.nameUUIDFromBytes(name.getBytes()), net, net, net, northbound));
    }

    private static Action.OvnSwitch ovnSwitch(NetworkDef def) {
        return (Action.OvnSwitch) OvnPlan.of(def).actions().getFirst();
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
