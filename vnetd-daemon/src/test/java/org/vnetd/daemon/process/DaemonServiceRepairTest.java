package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.daemon.rpc.RpcClient;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A restarted daemon that cannot start a running network's DHCP server again (its lease snapshot is
 * unreadable) does not report the network as plainly active: it is degraded, with the reason, and the
 * server is retried in the background until it starts (once the operator moved the file away), which
 * subscribers hear as a service-health event.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DaemonServiceRepairTest {
    @Test
    void aServiceThatCannotBeAdoptedIsShownDegradedAndStartedOnceItCan() throws Exception {
        NetnsSupport.require("nft");
        try (TestNetns ns = TestNetns.create("repair"); DaemonProcess d = new DaemonProcess(ns, Files.createTempDirectory("vnetd-repair"))) {
            d.start();
            assertTrue(dhcpSocket(ns), ns.execOk("ss", "-ulpn"));
            assertEquals(143, d.stop());
            Path snapshot = d.stateDir().resolve("dhcp/virbr0.leases");
            Files.writeString(snapshot, "this is not a lease snapshot");

            d.start();
            JsonNode n = d.call("network.lookup", Map.of("network", "default"));
            assertTrue(n.get("active").asBoolean(), n.toString());
            assertTrue(n.has("degraded"), "a network without its DHCP server is not plainly active: " + n);
            String why = n.get("degraded").asText();
            assertTrue(why.startsWith("DHCP is not running") && why.contains("unreadable") && why.endsWith("(retrying)"), why);
            assertFalse(dhcpSocket(ns));

            try (RpcClient sub = d.readOnlyClient()) {
                assertTrue(sub.call("events.subscribe", Map.of("network", "default")).has("result"));
                Files.move(snapshot, snapshot.resolveSibling("virbr0.leases.bad")); // what the operator does
                JsonNode event = nextEvent(sub, Duration.ofSeconds(60));
                assertEquals("service-health", event.get("event").asText(), event.toString());
                assertEquals("Repaired", event.get("detail").asText());
            }
            assertFalse(d.call("network.lookup", Map.of("network", "default")).has("degraded"));
            assertTrue(dhcpSocket(ns), ns.execOk("ss", "-ulpn"));
            assertTrue(d.log().contains("network 'default': DHCP is running again"), d.log());
        }
    }

    private static boolean dhcpSocket(TestNetns ns) {
        return ns.execOk("ss", "-ulpn").contains("virbr0:67");
    }

    /** The next event {@code sub} (subscribed) receives, within {@code timeout}. */
    static JsonNode nextEvent(RpcClient sub, Duration timeout) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<ObjectNode> f = reader.submit(() -> RpcCodec.decodeTree(sub.receive()));
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS).get("params");
        } finally {
            reader.shutdownNow();
        }
    }
}
