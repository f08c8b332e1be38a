package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Failure injection against the real daemon: each start fails at a different step, the error
 * names the cause, and the namespace's links, addresses, routes and rules are as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DaemonFailureDriverTest {
    private TestNetns ns;
    private DaemonProcess daemon;

    @BeforeAll
    void start() throws Exception {
        NetnsSupport.require("nft");
        ns = TestNetns.create("dfail");
        daemon = new DaemonProcess(ns, Files.createTempDirectory("vnetd-fail")).start("--no-default-network");
    }

    @AfterAll
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private boolean active(String name) throws Exception {
        for (JsonNode n : daemon.call("network.list", null)) {
            if (n.get("name").asText().equals(name)) {
                return n.get("active").asBoolean();
            }
        }
        throw new AssertionError("no network " + name);
    }

    @Test
    void aForeignBridgeIsRefusedBeforeAnythingIsTouched() throws Exception {
        ns.execOk("ip", "link", "add", "vbr-foreign", "type", "bridge");
        daemon.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("foreign", "<forward mode='nat'/>", "vbr-foreign", "10.88.1.1")));
        String before = Kernel.snapshot(ns);
        DaemonRpc.RpcFailure e = daemon.fail("network.start", Map.of("network", "foreign"));
        assertEquals(14, e.code, e.getMessage());
        assertTrue(e.getMessage().contains("vbr-foreign"), e.getMessage());
        assertEquals(before, Kernel.snapshot(ns));
        assertFalse(active("foreign"));
        ns.execOk("ip", "link", "del", "vbr-foreign");
        daemon.call("network.start", Map.of("network", "foreign"));
        assertTrue(active("foreign"), "starts once the bridge name is free");
        daemon.call("network.destroy", Map.of("network", "foreign"));
    }

    @Test
    void portSixtySevenTakenUndoesEverything() throws Exception {
        daemon.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("dhcpfail", "<forward mode='nat'/>", "vbr-dhcp", "10.88.2.1")));
        String before = Kernel.snapshot(ns);
        try (NetnsExecutor inside = NetnsExecutor.enter(ns)) {
            DatagramSocket blocker = inside.call(() -> new DatagramSocket(new InetSocketAddress("0.0.0.0", 67)));
            try {
                DaemonRpc.RpcFailure e = daemon.fail("network.start", Map.of("network", "dhcpfail"));
                assertEquals(22, e.code, e.getMessage());
                assertTrue(e.getMessage().contains("vbr-dhcp"), e.getMessage());
                assertEquals(before, Kernel.snapshot(ns), "the bridge, its address and its rules are gone again");
                assertFalse(active("dhcpfail"));
                assertFalse(Files.exists(daemon.runDir().resolve("network/dhcpfail.json")), "no status left");
            } finally {
                blocker.close();
            }
        }
        daemon.call("network.start", Map.of("network", "dhcpfail"));
        assertTrue(Kernel.addr(ns, "vbr-dhcp").contains("10.88.2.1/24"));
        daemon.call("network.destroy", Map.of("network", "dhcpfail"));
        assertEquals(before, Kernel.snapshotAfterStop(ns), "destroy leaves the namespace as it found it, but vnetd's idle table");
    }

    @Test
    void portFiftyThreeTakenUndoesEverything() throws Exception {
        daemon.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("dnsfail", "<forward mode='route'/>", "vbr-dns", "10.88.3.1")));
        String before = Kernel.snapshot(ns);
        try (NetnsExecutor inside = NetnsExecutor.enter(ns)) {
            DatagramSocket blocker = inside.call(() -> new DatagramSocket(new InetSocketAddress("0.0.0.0", 53)));
            try {
                DaemonRpc.RpcFailure e = daemon.fail("network.start", Map.of("network", "dnsfail"));
                assertEquals(23, e.code, e.getMessage());
                assertEquals(before, Kernel.snapshot(ns));
            } finally {
                blocker.close();
            }
        }
    }

    @Test
    void aMissingForwardDeviceIsRefused() throws Exception {
        daemon.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("nodev", "<forward mode='nat' dev='eth-missing'/>", "vbr-nodev", "10.88.4.1")));
        String before = Kernel.snapshot(ns);
        DaemonRpc.RpcFailure e = daemon.fail("network.start", Map.of("network", "nodev"));
        assertEquals(14, e.code, e.getMessage());
        assertTrue(e.getMessage().contains("eth-missing"), e.getMessage());
        assertEquals(before, Kernel.snapshot(ns));
    }
}
