package org.vnetd.daemon.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.daemon.rpc.DaemonRpc.RpcFailure;
import org.vnetd.daemon.state.RunDirStatusStore;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * A network's {@code <bandwidth>} on the real daemon: the inbound average caps what a guest behind the bridge
 * receives (measured with iperf3), and outbound policing, which needs the police action this kernel may lack,
 * either works or fails the start naming the kernel option, leaving nothing behind.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NetworkBandwidthNetnsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 1000 kbps: 1000 kilobytes per second in tc's and libvirt's unit, 8 Mbit/s. */
    static final String INBOUND = """
            <network>
              <name>qos-in</name>
              <bridge name='vbq0' stp='off'/>
              <bandwidth>
                <inbound average='1000'/>
              </bandwidth>
              <ip address='192.168.150.1' netmask='255.255.255.0'/>
            </network>
            """;
    static final String OUTBOUND = """
            <network>
              <name>qos-out</name>
              <bridge name='vbq1' stp='off'/>
              <bandwidth>
                <inbound average='1000'/>
                <outbound average='500'/>
              </bandwidth>
              <ip address='192.168.151.1' netmask='255.255.255.0'/>
            </network>
            """;

    @Test
    void theInboundAverageCapsWhatAGuestReceives() throws Exception {
        NetnsSupport.require("iperf3", "tc", "ss");
        try (TestNetns host = TestNetns.create("qosin"); TestNetns guest = TestNetns.create("qosgst");
                DaemonProcess d = new DaemonProcess(host, Files.createTempDirectory("vnetd-qos"), "INFO")) {
            d.start();
            d.call("network.create", Map.of("xml", INBOUND));
            String classes = host.execOk("tc", "class", "show", "dev", "vbq0");
            assertTrue(classes.contains("class htb 1:1 root rate 8Mbit ceil 8Mbit"), classes);
            assertTrue(classes.contains("class htb 1:2 parent 1:1 prio 0 rate 8Mbit ceil 8Mbit"), classes);

            host.execOk("ip", "link", "add", "vgq0", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
            host.execOk("ip", "link", "set", "vgq0", "master", "vbq0", "up");
            guest.execOk("ip", "link", "set", "eth0", "up");
            guest.execOk("ip", "addr", "add", "192.168.150.50/24", "dev", "eth0");
            Process server = Iperf.server(guest, "192.168.150.50", 5201);
            try {
                double bps = Iperf.send(host, "192.168.150.50", 5201, 5);
                System.out.printf("qos: inbound average 1000 kbps (8 Mbit/s): the guest received %.3f Mbit/s%n", bps / 1e6);
                assertEquals(8e6, bps, 0.8e6, "received " + bps + " bit/s, configured 8 Mbit/s ±10 %");
            } finally {
                server.destroy();
            }
            d.call("network.destroy", Map.of("network", "qos-in"));
            assertFalse(host.exec("ip", "link", "show", "vbq0").ok(), "bridge removed");
        }
    }

    /**
     * A network started by a vnetd that only recorded {@code <bandwidth>}: its status has no tc actions and its
     * bridge no qdisc; the upgraded daemon applies it when it adopts the network, and records it for the teardown.
     */
    @Test
    void aNetworkStartedByAnEarlierVnetdGetsItsBandwidthWhenAdoptedAndDriftIsRepaired() throws Exception {
        NetnsSupport.require("tc");
        try (TestNetns host = TestNetns.create("qosadopt");
                DaemonProcess d = new DaemonProcess(host, Files.createTempDirectory("vnetd-qad"), "INFO")) {
            d.start();
            d.call("network.define", Map.of("xml", INBOUND));
            d.call("network.start", Map.of("network", "qos-in"));
            d.stop();
            host.execOk("tc", "qdisc", "del", "dev", "vbq0", "root");
            Path status = d.runDir().resolve("network").resolve("qos-in.json");
            // a start leaves its intent with the records appended; written whole (version 2) as an adoption writes it
            RunDirStatusStore store = new RunDirStatusStore(d.runDir());
            store.save(store.loadAll().getFirst().status());
            JsonNode tree = JSON.readTree(status.toFile());
            assertTrue(dropTc(tree) > 0, tree.toString());
            JSON.writeValue(status.toFile(), tree);

            d.start();
            assertTrue(host.execOk("tc", "class", "show", "dev", "vbq0").contains("class htb 1:2 parent 1:1"), "applied on adoption");

            // removed behind the daemon's back: the next adoption makes it again, and leaves what is there alone
            d.stop();
            host.execOk("tc", "class", "del", "dev", "vbq0", "classid", "1:2");
            d.start();
            String classes = host.execOk("tc", "class", "show", "dev", "vbq0");
            assertTrue(classes.contains("class htb 1:2 parent 1:1") && classes.contains("class htb 1:1 root"), classes);
            d.stop();
            host.execOk("tc", "qdisc", "del", "dev", "vbq0", "root");
            d.start();
            assertTrue(host.execOk("tc", "class", "show", "dev", "vbq0").contains("class htb 1:2 parent 1:1"), "remade whole");
            d.call("network.destroy", Map.of("network", "qos-in"));
            assertFalse(host.exec("ip", "link", "show", "vbq0").ok());
        }
    }

    /** Removes every recorded action of kind tc from the status tree; returns how many. */
    private static int dropTc(JsonNode node) {
        int n = 0;
        if (node instanceof ArrayNode a) {
            for (int i = a.size() - 1; i >= 0; i--) {
                if ("tc".equals(a.get(i).path("action").path("kind").asText())) {
                    a.remove(i);
                    n++;
                }
            }
        }
        for (JsonNode child : node) {
            n += dropTc(child);
        }
        return n;
    }

    @Test
    void outboundPolicingWorksOrFailsTheStartNamingTheKernelOption() throws Exception {
        NetnsSupport.require("tc");
        try (TestNetns host = TestNetns.create("qosout");
                DaemonProcess d = new DaemonProcess(host, Files.createTempDirectory("vnetd-qos"), "INFO")) {
            d.start();
            if (Kernels.hasPoliceAction(host)) {
                d.call("network.create", Map.of("xml", OUTBOUND));
                assertTrue(host.execOk("tc", "filter", "show", "dev", "vbq1", "ingress").contains("police"));
                return;
            }
            RpcFailure f = d.fail("network.create", Map.of("xml", OUTBOUND));
            assertEquals(ErrorCode.OPERATION_UNSUPPORTED.number(), f.code, f.getMessage());
            assertTrue(f.getMessage().contains("outbound <bandwidth> (policing what the guests send) on 'vbq1' needs the police action "
                    + "(CONFIG_NET_ACT_POLICE), which this kernel does not have"), f.getMessage());
            assertFalse(host.exec("ip", "link", "show", "vbq1").ok(), "the failed start left its bridge behind");
            assertFalse(d.call("network.list", Map.of()).toString().contains("qos-out"));
        }
    }
}
