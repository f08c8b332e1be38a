package org.vnetd.daemon.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.TapSpec;
import org.vnetd.core.net.MacAddress;

/**
 * Retiring links (detach, down, link group in one RTM_NEWLINK) and deleting a whole link group with one
 * RTM_DELLINK, checked with {@code ip -j -d link}: members go, links in other groups (and in group 0)
 * stay, an empty group is reported as such.
 */
class LinkGroupNetlinkTest {
    private static final int GROUP = 0x766e6574;

    @Test
    void retiredTapsAreDetachedDownAndGoWithTheirGroupOnly() {
        try (NetlinkNs t = NetlinkNs.create("lgroup")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("br0"));
                t.backend.setUp("br0");
                for (int i = 0; i < 5; i++) {
                    String tap = t.backend.createTap(TapSpec.of("vnet%d"));
                    t.backend.plugIntoBridge(tap, MacAddress.parse("fe:54:00:00:00:0" + i), 1500, "br0");
                }
                t.backend.createTap(TapSpec.of("keep0")); // group 0
                t.backend.createTap(TapSpec.of("other0"));
            });
            t.ns.execOk("ip", "link", "set", "other0", "group", "77");
            assertEquals("br0", t.ipLink("vnet3").get("master").asText());

            for (int i = 0; i < 4; i++) {
                String name = "vnet" + i;
                t.run(() -> t.backend.retireLink(t.backend.getLink(name).orElseThrow().ref(), GROUP));
                JsonNode l = t.ipLink(name);
                assertNotNull(l, name + " still exists until its group is deleted");
                // still a port of br0 (leaving it is left to the group delete) but down: a disabled port
                assertEquals("br0", l.path("master").asText(), l.toString());
                assertFalse(l.get("flags").toString().contains("\"UP\""), l.toString());
                assertEquals(Integer.toUnsignedString(GROUP), l.get("group").asText(), l.toString());
            }
            assertEquals("br0", t.ipLink("vnet4").get("master").asText(), "a tap not retired is untouched");

            assertTrue(t.in(() -> t.backend.deleteLinkGroup(GROUP)));
            List<String> names = t.ipLinkNames();
            assertEquals(List.of("lo", "br0", "vnet4", "keep0", "other0"), names);
            assertEquals("77", t.ipLink("other0").get("group").asText());
            assertEquals("default", t.ipLink("keep0").get("group").asText());

            assertFalse(t.in(() -> t.backend.deleteLinkGroup(GROUP)), "an empty group is reported, not an error");
            assertThrows(IllegalArgumentException.class, () -> t.run(() -> t.backend.deleteLinkGroup(0)));
            assertNotNull(t.ipLink("keep0"));
        }
    }

    @Test
    void retiringAGoneLinkIsEnodevAndNeverTouchesItsNamesake() {
        try (NetlinkNs t = NetlinkNs.create("lgroup-gone")) {
            LinkInfo old = t.in(() -> {
                t.backend.createTap(TapSpec.of("vnet0"));
                return t.backend.getLink("vnet0").orElseThrow();
            });
            t.run(() -> {
                t.backend.deleteLink("vnet0");
                t.backend.createTap(TapSpec.of("vnet0")); // same name, new ifindex
                t.backend.setUp("vnet0");
            });
            KernelException e = assertThrows(KernelException.class, () -> t.run(() -> t.backend.retireLink(old.ref(), GROUP)));
            assertEquals("ENODEV", e.errnoName(), e.getMessage());
            JsonNode now = t.ipLink("vnet0");
            assertEquals("default", now.get("group").asText(), "the new vnet0 is not retired");
            assertTrue(now.get("flags").toString().contains("\"UP\""), now.toString());
            assertFalse(t.in(() -> t.backend.deleteLinkGroup(GROUP)));
            assertNull(t.ipLink("vnet1"));
        }
    }
}
