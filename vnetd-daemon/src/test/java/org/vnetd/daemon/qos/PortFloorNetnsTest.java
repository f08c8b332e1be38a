package org.vnetd.daemon.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.daemon.rpc.DaemonRpc.RpcFailure;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * Floors on the real daemon: two guests behind a network capped at 16 Mbit/s receive from the host at once; the
 * one whose port has a floor of 12 Mbit/s gets it, the other the rest, and without the floor they share evenly.
 * A floor that does not fit is refused with libvirt's error, also after a daemon restart (the sum is rebuilt from
 * the ports), and a deleted port's floor goes back to the network. The guests are namespaces whose veths carry
 * the ports' MACs into the bridge: the floor's filter classifies by the guest's MAC, as libvirt's does.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PortFloorNetnsTest {
    static final String NETWORK = """
            <network>
              <name>qos-floor</name>
              <bridge name='vbf0' stp='off'/>
              <bandwidth>
                <inbound average='2000'/>
              </bandwidth>
              <ip address='192.168.152.1' netmask='255.255.255.0'/>
            </network>
            """;
    static final String MAC_A = "52:54:00:00:0a:01";
    static final String MAC_B = "52:54:00:00:0a:02";

    @Test
    void aFloorIsHonouredUnderContentionAndAccountedAcrossRestarts() throws Exception {
        NetnsSupport.require("iperf3", "tc", "ss");
        try (TestNetns host = TestNetns.create("qosfl"); TestNetns a = TestNetns.create("qosfla"); TestNetns b = TestNetns.create("qosflb");
                DaemonProcess d = new DaemonProcess(host, Files.createTempDirectory("vnetd-floor"), "INFO")) {
            d.start();
            d.call("network.define", Map.of("xml", NETWORK));
            d.call("network.start", Map.of("network", "qos-floor"));
            String portA = d.call("port.create", Map.of("network", "qos-floor", "mac", MAC_A)).get("uuid").asText();
            String portB = d.call("port.create", Map.of("network", "qos-floor", "mac", MAC_B)).get("uuid").asText();
            guest(host, a, "vfa", MAC_A, "192.168.152.10");
            guest(host, b, "vfb", MAC_B, "192.168.152.11");

            d.call("port.setBandwidth", Map.of("uuid", portA, "inbound.floor", 1500));
            String classes = host.execOk("tc", "class", "show", "dev", "vbf0");
            assertTrue(classes.contains("class htb 1:3 parent 1:1 prio 0 rate 12Mbit ceil 16Mbit"), classes);
            assertTrue(classes.contains("class htb 1:2 parent 1:1 prio 0 rate 4Mbit ceil 16Mbit"), classes);
            assertTrue(d.call("port.getXml", Map.of("uuid", portA)).get("xml").asText()
                    .contains("<bandwidth classID='3'>\n    <inbound floor='1500'/>"), "the class id is kept with the port");

            double[] floored = contend(host, a, b);
            System.out.printf("qos: network 16 Mbit/s, guest A floor 12 Mbit/s: A received %.3f Mbit/s, B %.3f Mbit/s%n",
                    floored[0] / 1e6, floored[1] / 1e6);
            assertEquals(12e6, floored[0], 1.2e6, "the guest with the floor gets it (±10 %)");
            assertEquals(16e6, floored[0] + floored[1], 1.6e6, "together they get the network's average");

            // the floor moves to B (A's class is unplugged, B's plugged): the shares follow it
            d.call("port.setBandwidth", Map.of("uuid", portA));
            d.call("port.setBandwidth", Map.of("uuid", portB, "inbound.floor", 1500));
            double[] moved = contend(host, a, b);
            System.out.printf("qos: the floor on B instead: A received %.3f Mbit/s, B %.3f Mbit/s%n", moved[0] / 1e6, moved[1] / 1e6);
            assertEquals(12e6, moved[1], 1.2e6, "B now gets the floor (±10 %)");
            assertTrue(moved[1] > 2 * moved[0] && floored[0] > 2 * floored[1], "the floor decides the shares");

            String overcommit = "Cannot plug '" + MAC_A + "' interface into 'vbf0' because new combined inbound floor=2100 would "
                    + "overcommit average=2000 on network 'qos-floor'";
            RpcFailure refused = d.fail("port.setBandwidth", Map.of("uuid", portA, "inbound.floor", 600));
            assertEquals(ErrorCode.CONFLICT.number(), refused.code, refused.getMessage());
            assertTrue(refused.getMessage().contains(overcommit), refused.getMessage());

            d.stop();
            d.start();
            refused = d.fail("port.setBandwidth", Map.of("uuid", portA, "inbound.floor", 600));
            assertTrue(refused.getMessage().contains(overcommit), "the sum after a restart: " + refused.getMessage());
            d.call("port.setBandwidth", Map.of("uuid", portA, "inbound.floor", 500));
            classes = host.execOk("tc", "class", "show", "dev", "vbf0");
            assertTrue(classes.contains("class htb 1:4 parent 1:1 prio 0 rate 4Mbit ceil 16Mbit"), classes);

            d.call("port.delete", Map.of("uuid", portB));
            classes = host.execOk("tc", "class", "show", "dev", "vbf0");
            assertFalse(classes.contains("class htb 1:3"), classes);
            assertFalse(host.execOk("tc", "filter", "show", "dev", "vbf0").contains("flowid 1:3"));
            assertTrue(classes.contains("class htb 1:2 parent 1:1 prio 0 rate 12Mbit ceil 16Mbit"), "B's floor went back: " + classes);
            d.call("port.setBandwidth", Map.of("uuid", portA, "inbound.floor", 1500)); // a plugged floor changed in place
            classes = host.execOk("tc", "class", "show", "dev", "vbf0");
            assertTrue(classes.contains("class htb 1:4 parent 1:1 prio 0 rate 12Mbit ceil 16Mbit"), classes);
            assertTrue(classes.contains("class htb 1:2 parent 1:1 prio 0 rate 4Mbit ceil 16Mbit"), classes);

            // a network started again has a new bridge: the port's floor is plugged into it again
            d.call("network.destroy", Map.of("network", "qos-floor"));
            d.call("network.start", Map.of("network", "qos-floor"));
            Await.until(Duration.ofSeconds(20), Duration.ofMillis(100), "the floor class back on the new bridge",
                    () -> host.execOk("tc", "class", "show", "dev", "vbf0").contains("class htb 1:4 parent 1:1 prio 0 rate 12Mbit"));
            classes = host.execOk("tc", "class", "show", "dev", "vbf0");
            assertTrue(classes.contains("class htb 1:2 parent 1:1 prio 0 rate 4Mbit ceil 16Mbit"), classes);
            assertTrue(host.execOk("tc", "filter", "show", "dev", "vbf0").contains("flowid 1:4"));
        }
    }

    @Test
    void aVnetdTapCarriesItsPortgroupsRatesAndAnOutboundThisKernelCannotPoliceIsRefused() throws Exception {
        NetnsSupport.require("tc");
        try (TestNetns host = TestNetns.create("qostap");
                DaemonProcess d = new DaemonProcess(host, Files.createTempDirectory("vnetd-qtap"), "INFO")) {
            d.start();
            d.call("network.create", Map.of("xml", """
                    <network>
                      <name>qos-tap</name>
                      <bridge name='vbt0' stp='off'/>
                      <portgroup name='slow' default='yes'>
                        <bandwidth><inbound average='300' peak='600' burst='64'/></bandwidth>
                      </portgroup>
                      <portgroup name='capped'>
                        <bandwidth><inbound average='300'/><outbound average='100'/></bandwidth>
                      </portgroup>
                      <ip address='192.168.153.1' netmask='255.255.255.0'/>
                    </network>
                    """));
            var port = d.call("port.create", Map.of("network", "qos-tap", "mac", "52:54:00:00:0b:01"));
            String tap = port.get("tap").asText();
            assertFalse(port.get("notes").toString().contains("bandwidth"), port.toString());
            String classes = host.execOk("tc", "class", "show", "dev", tap);
            assertTrue(classes.contains("class htb 1:1 root prio 0 rate 2400Kbit ceil 4800Kbit"), classes);

            Map<String, Object> outbound = new HashMap<>(Map.of("uuid", port.get("uuid").asText(), "inbound.average", 500,
                    "outbound.average", 100));
            boolean police = Kernels.hasPoliceAction(host);
            if (police) {
                d.call("port.setBandwidth", outbound);
                return;
            }
            RpcFailure f = d.fail("port.setBandwidth", outbound);
            assertEquals(ErrorCode.OPERATION_UNSUPPORTED.number(), f.code, f.getMessage());
            assertTrue(f.getMessage().contains("needs the police action (CONFIG_NET_ACT_POLICE)"), f.getMessage());
            assertTrue(host.execOk("tc", "class", "show", "dev", tap).contains("rate 2400Kbit ceil 4800Kbit"), "the old rates stay");
            assertTrue(d.call("port.getXml", Map.of("uuid", port.get("uuid").asText())).get("xml").asText()
                    .contains("<inbound average='300' peak='600' burst='64'/>"), "and so does the port's record");

            f = d.fail("port.create", Map.of("network", "qos-tap", "mac", "52:54:00:00:0b:02", "portgroup", "capped"));
            assertEquals(ErrorCode.OPERATION_UNSUPPORTED.number(), f.code, f.getMessage());
            assertTrue(f.getMessage().contains("CONFIG_NET_ACT_POLICE"), f.getMessage());
            assertEquals(1, d.call("port.list", Map.of()).size(), "the refused port left nothing");
        }
    }

    private static void guest(TestNetns host, TestNetns guest, String veth, String mac, String address) {
        host.execOk("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", guest.name());
        host.execOk("ip", "link", "set", veth, "master", "vbf0", "up");
        guest.execOk("ip", "link", "set", "eth0", "address", mac, "up");
        guest.execOk("ip", "addr", "add", address + "/24", "dev", "eth0");
    }

    /** Both guests receive from the host at once for 6 s; returns what each received, in bit/s. */
    private static double[] contend(TestNetns host, TestNetns a, TestNetns b) throws Exception {
        Process sa = Iperf.server(a, "192.168.152.10", 5201);
        Process sb = Iperf.server(b, "192.168.152.11", 5202);
        // a thread each (the common pool may have one): the two senders must overlap
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Double> ra = senders.submit(() -> Iperf.send(host, "192.168.152.10", 5201, 6));
            Future<Double> rb = senders.submit(() -> Iperf.send(host, "192.168.152.11", 5202, 6));
            return new double[] {ra.get(60, TimeUnit.SECONDS), rb.get(60, TimeUnit.SECONDS)};
        } finally {
            sa.destroy();
            sb.destroy();
        }
    }
}
