package org.vnetd.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vnetd.daemon.port.PortParams.params;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.ovs.VirtualPorts;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.PrivateOpenVswitch;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.channel.unix.FileDescriptor;

/**
 * {@code <virtualport type='openvswitch'>} through the real daemon, on a private Open vSwitch (userspace
 * datapath) in the test's namespace: ports are added with libvirt's external-ids and their portgroup's VLAN,
 * guests' taps reach each other only within a VLAN, a restarted daemon adopts its ports (adding one the
 * switch lost again), and a deleted port leaves the switch.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OvsPortNetnsTest {
    private static final String BRIDGE = "vntovs0";
    private static final String NETWORK = "<network><name>ovs</name><forward mode='bridge'/><bridge name='" + BRIDGE + "'/>"
            + "<virtualport type='openvswitch'/>"
            + "<portgroup name='blue' default='yes'><vlan><tag id='10'/></vlan></portgroup>"
            + "<portgroup name='red'><vlan><tag id='20'/></vlan><virtualport><parameters profileid='red-profile'/></virtualport>"
            + "</portgroup>"
            + "<portgroup name='trunk'><vlan trunk='yes'><tag id='10' nativeMode='untagged'/><tag id='20'/></vlan></portgroup>"
            + "</network>";
    /** IEEE 802 local experimental ethertype: nothing else on the bridge sends it. */
    private static final int ETHERTYPE = 0x88b5;

    @Test
    void portsJoinTheSwitchAsLibvirtAddsThemAndLeaveItOnDelete(@TempDir Path dir) throws Exception {
        NetnsSupport.require(PrivateOpenVswitch.COMMANDS);
        try (TestNetns ns = TestNetns.create("ovsport");
             PrivateOpenVswitch ovs = PrivateOpenVswitch.start(ns);
             DaemonProcess daemon = new DaemonProcess(ns, dir.resolve("vnetd"), PortParams.LOG_LEVEL)) {
            ovs.addBridge(BRIDGE);
            daemon.environment(ovs.environment()).start();
            daemon.call("network.define", params("xml", NETWORK));
            daemon.call("network.start", params("network", "ovs"));
            String vm = "c7a5fdbd-edaf-9455-926a-d65c16db1809";

            JsonNode a = daemon.call("port.create", params("network", "ovs", "mac", "52:54:00:0a:00:01", "passFd", true,
                    "ownerUuid", vm, "ownerName", "guest-a"));
            JsonNode b = daemon.call("port.create", params("network", "ovs", "mac", "52:54:00:0a:00:02", "passFd", true));
            JsonNode c = daemon.call("port.create", params("network", "ovs", "mac", "52:54:00:0a:00:03", "passFd", true,
                    "portgroup", "red"));
            String tapA = a.get("tap").asText();
            String tapB = b.get("tap").asText();
            String tapC = c.get("tap").asText();
            assertFalse(a.toString().contains("vlan is not applied"), a.toString());

            // the external-ids libvirt's virNetDevOpenvswitchAddPort sets, the interfaceid kept in the port's XML
            PortDef defA = portDef(daemon, a);
            String ifaceId = VirtualPorts.parameter(defA.virtualPort().orElseThrow(), "interfaceid").orElseThrow();
            assertEquals("\"52:54:00:0a:00:01\"", ovs.get("Interface", tapA, "external_ids:attached-mac"));
            assertEquals("\"" + ifaceId + "\"", ovs.get("Interface", tapA, "external_ids:iface-id"));
            assertEquals("\"" + vm + "\"", ovs.get("Interface", tapA, "external_ids:vm-id"));
            assertEquals("active", ovs.get("Interface", tapA, "external_ids:iface-status"));
            assertEquals("10", ovs.get("Port", tapA, "tag"));
            assertEquals("20", ovs.get("Port", tapC, "tag"));
            assertEquals("red-profile", unquoted(ovs.get("Interface", tapC, "external_ids:port-profile")));
            assertEquals(tapC, unquoted(ovs.get("Interface", tapC, "external_ids:ifname")));
            PortDef defC = portDef(daemon, c);
            assertEquals(java.util.Optional.of("red-profile"),
                    VirtualPorts.parameter(defC.virtualPort().orElseThrow(), "profileid"));
            assertTrue(PortXml.format(defA).contains("<plug type='bridge' bridge='" + BRIDGE + "'/>"), PortXml.format(defA));

            JsonNode t = daemon.call("port.create", params("network", "ovs", "mac", "52:54:00:0a:00:04", "passFd", true,
                    "portgroup", "trunk"));
            String tapT = t.get("tap").asText();
            assertEquals("native-untagged", ovs.get("Port", tapT, "vlan_mode"));
            assertEquals("[10, 20]", ovs.get("Port", tapT, "trunks"));

            try (FdClient fds = new FdClient(daemon.socket())) {
                FileDescriptor fa = fds.take(a.get("fdToken").asText(), 1).get(0);
                FileDescriptor fb = fds.take(b.get("fdToken").asText(), 1).get(0);
                FileDescriptor fc = fds.take(c.get("fdToken").asText(), 1).get(0);
                fds.take(t.get("fdToken").asText(), 1).get(0).close();
                try {
                    // a broadcast from A reaches B (VLAN 10) and never C (VLAN 20), which B's own frame to C proves
                    assertTrue(delivered(fa, fb, MacAddress.parse("52:54:00:0a:00:01"), 1, 10_000), "A's frame reaches B in VLAN 10");
                    assertFalse(seen(fc, 1, 1_000), "VLAN 20's port sees nothing of VLAN 10");

                    // a restarted daemon adopts its ports: one the switch lost meanwhile is added again
                    daemon.stop();
                    ovs.vsctlOk("del-port", tapB);
                    daemon.start();
                    JsonNode list = daemon.call("port.list", params("network", "ovs"));
                    assertEquals(4, list.size(), list.toString());
                    assertTrue(ovs.ports(BRIDGE).contains(tapB), ovs.ports(BRIDGE).toString());
                    assertEquals("10", ovs.get("Port", tapB, "tag"));
                    assertEquals("\"52:54:00:0a:00:02\"", ovs.get("Interface", tapB, "external_ids:attached-mac"));
                    assertTrue(delivered(fa, fb, MacAddress.parse("52:54:00:0a:00:01"), 2, 10_000), "A reaches B after the restart");

                    daemon.call("port.delete", params("network", "ovs", "uuid", a.get("uuid").asText()));
                    assertFalse(ovs.ports(BRIDGE).contains(tapA), "a deleted port leaves the switch: " + ovs.ports(BRIDGE));
                    assertEquals("", ovs.vsctlOk("--columns=name", "find", "Interface", "name=" + tapA));
                } finally {
                    for (FileDescriptor fd : List.of(fa, fb, fc)) {
                        fd.close();
                    }
                }
            }
            for (JsonNode p : List.of(b, c, t)) {
                daemon.call("port.delete", params("network", "ovs", "uuid", p.get("uuid").asText()));
            }
            assertEquals(List.of(), ovs.ports(BRIDGE));
        }
    }

    @Test
    void isolatedPortsAreRefusedOnOpenVswitch(@TempDir Path dir) throws Exception {
        NetnsSupport.require(PrivateOpenVswitch.COMMANDS);
        try (TestNetns ns = TestNetns.create("ovsiso");
             PrivateOpenVswitch ovs = PrivateOpenVswitch.start(ns);
             DaemonProcess daemon = new DaemonProcess(ns, dir.resolve("vnetd"), PortParams.LOG_LEVEL)) {
            ovs.addBridge(BRIDGE);
            daemon.environment(ovs.environment()).start();
            daemon.call("network.define", params("xml", NETWORK));
            daemon.call("network.start", params("network", "ovs"));
            var e = daemon.fail("port.create", params("network", "ovs", "mac", "52:54:00:0b:00:01", "isolated", true));
            assertEquals(16, e.code, e.getMessage());
            assertTrue(e.getMessage().contains("Open vSwitch"), e.getMessage());
            assertEquals(List.of(), ovs.ports(BRIDGE), "nothing is left on the switch");
            assertFalse(ns.execOk("ip", "-o", "link", "show", "type", "tun").contains("vnet"), "no tap is left");
        }
    }

    /** ovs-vsctl quotes a string only when it is not a plain identifier. */
    private static String unquoted(String value) {
        return value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static PortDef portDef(DaemonProcess daemon, JsonNode port) throws Exception {
        return PortXml.parse(daemon.call("port.getXml", params("network", "ovs", "uuid", port.get("uuid").asText())).get("xml").asText());
    }

    /** Sends broadcast frames carrying {@code marker} from {@code from} until {@code to} reads one, at most {@code millis}. */
    private static boolean delivered(FileDescriptor from, FileDescriptor to, MacAddress src, int marker, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            ByteBuffer f = frame(src, marker);
            from.write(f, f.position(), f.limit());
            if (seen(to, marker, 200)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a test frame with {@code marker} arrives on {@code fd} within {@code millis}. */
    private static boolean seen(FileDescriptor fd, int marker, long millis) throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            buf.clear();
            int n = fd.read(buf, 0, buf.capacity());
            if (n <= 0) {
                Thread.sleep(5);
                continue;
            }
            if (n >= 18 && (buf.getShort(12) & 0xffff) == ETHERTYPE && buf.getInt(14) == marker) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer frame(MacAddress src, int marker) {
        ByteBuffer f = ByteBuffer.allocateDirect(60);
        for (int i = 0; i < 6; i++) {
            f.put((byte) 0xff);
        }
        f.put(src.octets());
        f.putShort((short) ETHERTYPE);
        f.putInt(marker);
        f.position(0).limit(60);
        return f;
    }
}
