package org.vnetd.daemon.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.BridgePortOptions;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.net.MacAddress;

class NetlinkLinkTest {
    @Test
    void createsBridgeWithStpDelayMacAndMtu() {
        try (NetlinkNs t = NetlinkNs.create("nl-br")) {
            MacAddress mac = MacAddress.parse("52:54:00:ab:cd:ef");
            t.run(() -> t.backend.createBridge(BridgeSpec.of("virbr0").withMac(mac).withMtu(1400)));
            JsonNode l = t.ipLink("virbr0");
            assertNotNull(l, "virbr0 missing");
            assertEquals("bridge", l.at("/linkinfo/info_kind").asText());
            assertEquals(1, l.at("/linkinfo/info_data/stp_state").asInt(), l.toString());
            // libvirt's "stp on, delay 0": the kernel raises the delay to its STP minimum of 2 s (200 cs)
            // when STP starts (br_stp_start), as it does for libvirt's own virbr0
            assertEquals(200, l.at("/linkinfo/info_data/forward_delay").asInt(), l.toString());
            assertEquals("52:54:00:ab:cd:ef", l.get("address").asText());
            assertEquals(1400, l.get("mtu").asInt());

            t.run(() -> t.backend.createBridge(BridgeSpec.of("br-nostp").withStp(false).withForwardDelay(Duration.ofSeconds(4))));
            JsonNode b = t.ipLink("br-nostp");
            assertEquals(0, b.at("/linkinfo/info_data/stp_state").asInt());
            assertEquals(400, b.at("/linkinfo/info_data/forward_delay").asInt(), "centiseconds: " + b);

            t.run(() -> t.backend.createBridge(BridgeSpec.of("br-stp5").withForwardDelay(Duration.ofSeconds(5))));
            assertEquals(500, t.ipLink("br-stp5").at("/linkinfo/info_data/forward_delay").asInt());
            t.run(() -> t.backend.createBridge(BridgeSpec.of("br-fast").withStp(false)));
            assertEquals(0, t.ipLink("br-fast").at("/linkinfo/info_data/forward_delay").asInt());

            Optional<LinkInfo> ours = t.in(() -> t.backend.getLink("virbr0"));
            assertTrue(ours.isPresent());
            assertEquals(l.get("ifindex").asInt(), ours.get().index());
            assertEquals(Optional.of("bridge"), ours.get().kind());
            assertEquals(Optional.of(mac), ours.get().mac());
            assertEquals(1400, ours.get().mtu());
            assertFalse(ours.get().up());
        }
    }

    @Test
    void upDownMtuMacAndDelete() {
        try (NetlinkNs t = NetlinkNs.create("nl-set")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("br0"));
                t.backend.setUp("br0");
                t.backend.setMtu("br0", 1300);
                t.backend.setMac("br0", MacAddress.parse("52:54:00:00:00:01"));
            });
            JsonNode l = t.ipLink("br0");
            assertTrue(containsText(l.get("flags"), "UP"), l.toString());
            assertEquals(1300, l.get("mtu").asInt());
            assertEquals("52:54:00:00:00:01", l.get("address").asText());
            assertTrue(t.in(() -> t.backend.getLink("br0").orElseThrow().up()));

            t.run(() -> t.backend.setDown("br0"));
            assertFalse(containsText(t.ipLink("br0").get("flags"), "UP"));

            t.run(() -> t.backend.deleteLink("br0"));
            assertNull(t.ipLink("br0"));
            assertEquals(Optional.empty(), t.in(() -> t.backend.getLink("br0")));
        }
    }

    @Test
    void vethAndMasterNoMaster() {
        try (NetlinkNs t = NetlinkNs.create("nl-veth")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("br0"));
                t.backend.createVeth("ve0", "ve0p");
                t.backend.setMaster("ve0", "br0");
            });
            assertEquals("veth", t.ipLink("ve0p").at("/linkinfo/info_kind").asText());
            JsonNode ports = t.json("bridge", "-j", "link", "show");
            assertEquals(1, ports.size(), ports.toString());
            assertEquals("ve0", ports.get(0).get("ifname").asText());
            assertEquals("br0", ports.get(0).get("master").asText());

            LinkInfo ve0 = t.in(() -> t.backend.getLink("ve0").orElseThrow());
            assertEquals(Optional.of("br0"), ve0.master());
            List<LinkInfo> all = t.in(t.backend::listLinks);
            assertEquals(t.ipLinkNames(), all.stream().map(LinkInfo::name).toList());
            LinkInfo fromDump = all.stream().filter(x -> x.name().equals("ve0")).findFirst().orElseThrow();
            assertEquals(Optional.of("br0"), fromDump.master());
            assertEquals(Optional.of("veth"), fromDump.kind());

            t.run(() -> t.backend.setNoMaster("ve0"));
            assertEquals(0, t.json("bridge", "-j", "link", "show").size());
            assertTrue(t.in(() -> t.backend.getLink("ve0").orElseThrow().master().isEmpty()));

            t.run(() -> t.backend.deleteLink("ve0"));
            assertNull(t.ipLink("ve0p"), "deleting one end of a veth deletes its peer");
        }
    }

    @Test
    void bridgePortLearningFloodAndIsolation() {
        try (NetlinkNs t = NetlinkNs.create("nl-port")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("br0"));
                t.backend.createVeth("ve0", "ve0p");
                t.backend.setMaster("ve0", "br0");
                t.backend.setBridgePort("ve0", BridgePortOptions.libvirtManaged().withIsolated(true));
            });
            JsonNode p = t.json("bridge", "-j", "-d", "link", "show", "dev", "ve0").get(0);
            assertFalse(p.get("learning").asBoolean(), p.toString());
            assertFalse(p.get("flood").asBoolean(), p.toString());
            assertTrue(p.get("isolated").asBoolean(), p.toString());
            t.run(() -> t.backend.setBridgePort("ve0", BridgePortOptions.DEFAULTS));
            JsonNode d = t.json("bridge", "-j", "-d", "link", "show", "dev", "ve0").get(0);
            assertTrue(d.get("learning").asBoolean() && d.get("flood").asBoolean() && !d.get("isolated").asBoolean(), d.toString());

            t.run(() -> t.backend.createVeth("ve1", "ve1p"));
            KernelException e = assertThrows(KernelException.class,
                    () -> t.run(() -> t.backend.setBridgePort("ve1", BridgePortOptions.libvirtManaged())));
            assertEquals(Optional.of("ve1"), e.interfaceName());
        }
    }

    @Test
    void vethPeerMovesIntoAnotherNamespace() {
        try (NetlinkNs t = NetlinkNs.create("nl-move"); org.vnetd.testing.TestNetns guest = org.vnetd.testing.TestNetns.create("nl-guest")) {
            t.run(() -> {
                t.backend.createVeth("vport0", "eth0");
                t.backend.moveToNetns("eth0", "/run/netns/" + guest.name());
            });
            assertNull(t.ipLink("eth0"), "the peer left our namespace");
            assertTrue(guest.execOk("ip", "-j", "link", "show", "dev", "eth0").contains("\"ifname\":\"eth0\""));
            assertNotNull(t.ipLink("vport0"));
            KernelException e = assertThrows(KernelException.class,
                    () -> t.run(() -> t.backend.moveToNetns("vport0", "/run/netns/vnt-does-not-exist")));
            assertEquals("ENOENT", e.errnoName(), e.getMessage());
            t.run(() -> t.backend.deleteLink("vport0"));
            assertTrue(guest.exec("ip", "link", "show", "dev", "eth0").exitCode() != 0, "deleting our end removed the guest's");
        }
    }

    @Test
    void duplicateNameIsEexistWithKernelText() {
        try (NetlinkNs t = NetlinkNs.create("nl-dup")) {
            t.run(() -> t.backend.createBridge(BridgeSpec.of("br0")));
            KernelException e = assertThrows(KernelException.class, () -> t.run(() -> t.backend.createBridge(BridgeSpec.of("br0"))));
            assertEquals(17, e.errno());
            assertEquals("EEXIST", e.errnoName());
            assertEquals(Optional.of("br0"), e.interfaceName());
            assertEquals(ErrorCode.KERNEL, e.code());
            assertTrue(e.getMessage().contains("create bridge 'br0' failed: EEXIST (File exists)"), e.getMessage());
            KernelException v = assertThrows(KernelException.class, () -> t.run(() -> t.backend.createVeth("br0", "x0")));
            assertEquals("EEXIST", v.errnoName());
            assertNull(t.ipLink("x0"), "nothing half-made");
        }
    }

    @Test
    void missingDeviceIsEnodev() {
        try (NetlinkNs t = NetlinkNs.create("nl-nodev")) {
            KernelException e = assertThrows(KernelException.class, () -> t.run(() -> t.backend.deleteLink("nosuch0")));
            assertEquals("ENODEV", e.errnoName());
            assertEquals(19, e.errno());
            assertEquals(Optional.of("nosuch0"), e.interfaceName());
            assertEquals("ENODEV", assertThrows(KernelException.class, () -> t.run(() -> t.backend.setUp("nosuch0"))).errnoName());
            assertEquals("ENODEV", assertThrows(KernelException.class, () -> t.run(() -> t.backend.setMtu("nosuch0", 1400))).errnoName());
            t.run(() -> t.backend.createVeth("ve0", "ve0p"));
            KernelException m = assertThrows(KernelException.class, () -> t.run(() -> t.backend.setMaster("ve0", "nobr")));
            assertEquals("ENODEV", m.errnoName());
            assertEquals(Optional.of("nobr"), m.interfaceName());
        }
    }

    @Test
    void kernelPolicyErrorCarriesExtackText() {
        try (NetlinkNs t = NetlinkNs.create("nl-ext")) {
            t.run(() -> t.backend.createBridge(BridgeSpec.of("br0")));
            // MTU below the bridge's minimum (68): the kernel explains itself in the extended ACK
            KernelException e = assertThrows(KernelException.class, () -> t.run(() -> t.backend.setMtu("br0", 10)));
            assertEquals("EINVAL", e.errnoName());
            assertTrue(e.kernelMessage().isPresent(), "extended ACK text expected: " + e.getMessage());
            assertTrue(e.getMessage().contains("kernel: " + e.kernelMessage().get()), e.getMessage());
        }
    }

    @Test
    void sixteenCharacterNameIsRefusedBeforeTheKernel() {
        try (NetlinkNs t = NetlinkNs.create("nl-long")) {
            VnetException e = assertThrows(VnetException.class, () -> t.run(() -> t.backend.createVeth("abcdefghijklmnop", "p0")));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("abcdefghijklmnop") && e.getMessage().contains("at most 15"), e.getMessage());
            // 15 characters is the longest name the kernel takes
            t.run(() -> t.backend.createBridge(BridgeSpec.of("abcdefghijklmno")));
            assertNotNull(t.ipLink("abcdefghijklmno"));
        }
    }

    @Test
    void deletingBridgeWithPortsSucceedsAndDetachesThem() {
        try (NetlinkNs t = NetlinkNs.create("nl-delbr")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("br0"));
                t.backend.createVeth("ve0", "ve0p");
                t.backend.createVeth("ve1", "ve1p");
                t.backend.setMaster("ve0", "br0");
                t.backend.setMaster("ve1", "br0");
            });
            assertEquals(2, t.json("bridge", "-j", "link", "show").size());
            // the kernel does not refuse: the bridge goes and its ports stay, detached
            t.run(() -> t.backend.deleteLink("br0"));
            assertNull(t.ipLink("br0"));
            assertNotNull(t.ipLink("ve0"));
            assertNull(t.ipLink("ve0").get("master"));
            assertEquals(0, t.json("bridge", "-j", "link", "show").size());
        }
    }

    @Test
    void failedMasterChangeLeavesPortDetachedAndSaysSo() {
        try (NetlinkNs t = NetlinkNs.create("nl-master")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("br0"));
                t.backend.createVeth("ve0", "ve0p");
                t.backend.createVeth("notbr", "notbrp");
                t.backend.setMaster("ve0", "br0");
            });
            // a veth cannot be a master: the kernel first removes ve0 from br0, then fails
            KernelException e = assertThrows(KernelException.class, () -> t.run(() -> t.backend.setMaster("ve0", "notbr")));
            assertEquals("EOPNOTSUPP", e.errnoName(), e.getMessage());
            assertTrue(e.getMessage().contains("'ve0' now has no master"), e.getMessage());
            assertNull(t.ipLink("ve0").get("master"), "the kernel left the port detached");
            assertEquals(0, t.json("bridge", "-j", "link", "show").size());
            // a bridge cannot be a port of a bridge
            t.run(() -> t.backend.createBridge(BridgeSpec.of("br1")));
            KernelException loop = assertThrows(KernelException.class, () -> t.run(() -> t.backend.setMaster("br1", "br0")));
            assertEquals("ELOOP", loop.errnoName(), loop.getMessage());
        }
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode n : array) {
            if (n.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }
}
