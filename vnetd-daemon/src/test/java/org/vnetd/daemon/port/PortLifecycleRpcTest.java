package org.vnetd.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vnetd.daemon.port.PortParams.params;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Ports through the RPC of the real daemon in a namespace, checked in the kernel with
 * {@code ip -j link} and {@code bridge -j link}: name, master, MAC rule, owner, MTU, isolated flag,
 * host-bridge networks, restart adoption, destroyed networks, reservations and the bridge's port limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PortLifecycleRpcTest {
    private TestNetns ns;
    private DaemonProcess daemon;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception { // deleted after the class's tests, like the namespace
        NetnsSupport.require("nft", "bridge");
        ns = TestNetns.create("ports");
        daemon = new DaemonProcess(ns, dir.resolve("vnetd"), PortParams.LOG_LEVEL).start();
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

    private JsonNode link(String name) throws Exception {
        return RpcCodec.MAPPER.readTree(ns.execOk("ip", "-j", "-d", "link", "show", "dev", name)).get(0);
    }

    private boolean hasLink(String name) {
        return ns.exec("ip", "link", "show", "dev", name).ok();
    }

    /** A deleted port's tap is unregistered in the background: it must be gone within a few seconds. */
    private void awaitGone(String... names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (String name : names) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            Await.until(left, name + " to go within 10 s of its port's deletion", () -> !hasLink(name));
        }
    }

    /** Taps of ports deleted by earlier tests may still await the reaper; wait until they are gone. */
    private void awaitNoRetiredTaps() {
        String group = Integer.toUnsignedString(TapReaper.GROUP);
        Await.until(Duration.ofSeconds(10), "no link left in the reap group " + group,
                () -> ns.execOk("ip", "-o", "link", "show", "group", group).isBlank());
    }

    private JsonNode create(Map<String, Object> params) throws Exception {
        return daemon.call("port.create", params);
    }

    @Test
    void tapIsPluggedIntoTheDefaultNetworkWithOwnerMacAndMtu() throws Exception {
        JsonNode p = create(params("network", "default", "mac", "52:54:00:11:22:33", "ownerUid", 1234, "ownerGid", 2345));
        String tap = p.get("tap").asText();
        assertTrue(tap.matches("vnet\\d+"), tap);
        assertEquals("fe:54:00:11:22:33", p.get("tapMac").asText());
        assertEquals("virbr0", p.get("bridge").asText());
        JsonNode l = link(tap);
        assertEquals("virbr0", l.get("master").asText());
        assertEquals("fe:54:00:11:22:33", l.get("address").asText());
        assertEquals(1500, l.get("mtu").asInt());
        assertEquals("tun", l.get("linkinfo").get("info_kind").asText());
        assertEquals("1234", ns.execOk("cat", "/sys/class/net/" + tap + "/owner").trim());
        assertEquals("2345", ns.execOk("cat", "/sys/class/net/" + tap + "/group").trim());
        assertTrue(l.get("flags").toString().contains("\"UP\""), l.toString());

        String xml = daemon.call("port.getXml", params("network", "default", "uuid", p.get("uuid").asText())).get("xml").asText();
        PortDef def = PortXml.parse(xml);
        assertEquals(p.get("uuid").asText(), def.uuid().toString());
        assertEquals("52:54:00:11:22:33", def.mac().toString());
        assertTrue(xml.contains("<plug type='network' bridge='virbr0'/>"), xml);

        JsonNode list = daemon.call("port.list", params("network", "default"));
        assertTrue(list.toString().contains(p.get("uuid").asText()), list.toString());

        daemon.call("port.delete", params("network", "default", "uuid", p.get("uuid").asText()));
        Exec.Result shown = ns.exec("ip", "-o", "link", "show", "dev", tap);
        if (shown.exitCode() == 0) { // not unregistered yet: it must be out of service already
            assertFalse(shown.stdout().contains(",UP"), "down when the delete returns: " + shown.stdout());
        }
        awaitGone(tap);
        assertEquals(17, daemon.fail("port.getXml", params("network", "default", "uuid", p.get("uuid").asText())).code);
        assertEquals(17, daemon.fail("port.delete", params("network", "default", "uuid", p.get("uuid").asText())).code);
    }

    @Test
    void guestMacStartingWithFeGetsFaAndNamesMoveForward() throws Exception {
        JsonNode a = create(params("network", "default", "mac", "fe:54:00:00:00:01"));
        assertEquals("fa:54:00:00:00:01", a.get("tapMac").asText());
        JsonNode b = create(params("network", "default", "mac", "52:54:00:00:00:02"));
        JsonNode named = create(params("network", "default", "mac", "52:54:00:00:00:03", "tap", "guest-eth0"));
        assertEquals("guest-eth0", named.get("tap").asText());
        assertEquals("virbr0", link("guest-eth0").get("master").asText());
        assertEquals(14, daemon.fail("port.create", params("network", "default", "mac", "52:54:00:00:00:04", "tap", "guest-eth0")).code,
                "an existing interface name is refused, not taken over");
        String freed = a.get("tap").asText();
        daemon.call("port.delete", params("network", "default", "uuid", a.get("uuid").asText()));
        awaitGone(freed);
        JsonNode c = create(params("network", "default", "mac", "52:54:00:00:00:05"));
        // as libvirt's virNetDevGenerateName: a just-freed name is not handed out again at once
        assertTrue(number(c.get("tap").asText()) > number(b.get("tap").asText()), c + " after " + b);
        assertTrue(b.get("tap").asText().matches("vnet\\d+") && number(b.get("tap").asText()) > number(freed), b + " after " + freed);
        for (JsonNode p : List.of(b, named, c)) {
            daemon.call("port.delete", params("uuid", p.get("uuid").asText()));
        }
    }

    /** Taps not retired (retired ones, in the reaper's link group, may still be on their way out). */
    private long liveTaps() {
        return ns.execOk("ip", "-o", "link", "show", "group", "default", "type", "tun").lines().count();
    }

    private static int number(String vnet) {
        return Integer.parseInt(vnet.substring("vnet".length()));
    }

    @Test
    void isolatedMtuNetworkBandwidthAndHostBridge() throws Exception {
        daemon.call("network.create", params("xml", PortParams.natNet("jumbo", "vbr-jumbo", "10.91.1.1",
                "<mtu size='9000'/><bandwidth><inbound average='1000'/></bandwidth><port isolated='yes'/>")));
        JsonNode p = create(params("network", "jumbo", "mac", "52:54:00:aa:00:01"));
        String tap = p.get("tap").asText();
        assertEquals(9000, link(tap).get("mtu").asInt());
        // the network's <bandwidth> is its bridge's (libvirt's networkAllocatePort gives a port only its portgroup's)
        assertFalse(p.get("notes").toString().contains("bandwidth"), p.toString());
        assertTrue(ns.execOk("tc", "class", "show", "dev", "vbr-jumbo").contains("class htb 1:2"));
        assertFalse(ns.execOk("tc", "qdisc", "show", "dev", tap).contains("htb"), "the port's tap is not shaped");
        JsonNode br = RpcCodec.MAPPER.readTree(ns.execOk("bridge", "-j", "-d", "link", "show", "dev", tap)).get(0);
        assertTrue(br.get("isolated").asBoolean(), br.toString());
        JsonNode q = create(params("network", "jumbo", "mac", "52:54:00:aa:00:02", "isolated", false));
        JsonNode br2 = RpcCodec.MAPPER.readTree(ns.execOk("bridge", "-j", "-d", "link", "show", "dev", q.get("tap").asText())).get(0);
        assertFalse(br2.get("isolated").asBoolean(), br2.toString());
        String xml = daemon.call("port.getXml", params("uuid", p.get("uuid").asText())).get("xml").asText();
        assertTrue(xml.contains("<port isolated='yes'/>") && !xml.contains("<bandwidth"), xml);
        daemon.call("port.delete", params("uuid", p.get("uuid").asText()));
        daemon.call("port.delete", params("uuid", q.get("uuid").asText()));
        daemon.call("network.destroy", params("network", "jumbo"));

        ns.execOk("ip", "link", "add", "br-host", "type", "bridge");
        ns.execOk("ip", "link", "set", "br-host", "up");
        daemon.call("network.create", params("xml", "<network><name>host</name><forward mode='bridge'/><bridge name='br-host'/></network>"));
        JsonNode h = create(params("network", "host", "mac", "52:54:00:bb:00:01"));
        assertEquals("br-host", link(h.get("tap").asText()).get("master").asText());
        assertTrue(daemon.call("port.getXml", params("uuid", h.get("uuid").asText())).get("xml").asText()
                .contains("<plug type='bridge' bridge='br-host'/>"));
        daemon.call("port.delete", params("uuid", h.get("uuid").asText()));
        daemon.call("network.destroy", params("network", "host"));
        ns.execOk("ip", "link", "del", "br-host");
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        assertEquals(15, daemon.fail("port.create", params("network", "default", "mac", "not-a-mac")).code);
        assertEquals(15, daemon.fail("port.create", params("network", "default", "mac", "01:00:5e:00:00:01")).code);
        assertEquals(10, daemon.fail("port.create", params("network", "nosuch", "mac", "52:54:00:00:00:09")).code);
        assertEquals(15, daemon.fail("port.create", params("network", "default", "mac", "52:54:00:00:00:09", "portgroup", "x")).code);
        assertEquals(15, daemon.fail("port.create", params("network", "default", "mac", "52:54:00:00:00:09", "ownerUid", -1)).code);
        assertEquals(-32602, daemon.fail("port.create", params("network", "default")).code);
    }

    @Test
    void aRefusedReservationLeavesNoTap() throws Exception {
        awaitNoRetiredTaps();
        String before = ns.execOk("ip", "-o", "link", "show", "type", "tun");
        DaemonRpc.RpcFailure f = daemon.fail("port.create", params("network", "default", "mac", "52:54:00:cc:00:01", "ip", "10.1.2.3"));
        assertEquals(3, f.code, f.getMessage());
        assertTrue(f.getMessage().contains("10.1.2.3"), f.getMessage());
        assertEquals(before, ns.execOk("ip", "-o", "link", "show", "type", "tun"), "the half-made tap was removed");
    }

    @Test
    void portsSurviveRestartAndNetworkDestroy() throws Exception {
        daemon.call("network.define", params("xml", PortParams.natNet("keep", "vbr-keep", "10.91.2.1", "")));
        daemon.call("network.start", params("network", "keep"));
        JsonNode p = create(params("network", "keep", "mac", "52:54:00:dd:00:01"));
        String tap = p.get("tap").asText();
        daemon.stop();
        assertTrue(hasLink(tap), "a persistent tap outlives the daemon");
        daemon.start();
        JsonNode list = daemon.call("port.list", params("network", "keep"));
        assertEquals(1, list.size(), list.toString());
        assertEquals(p.get("uuid").asText(), list.get(0).get("uuid").asText());
        assertEquals("ok", list.get(0).get("state").asText());

        daemon.call("network.destroy", params("network", "keep"));
        list = daemon.call("port.list", params("network", "keep"));
        assertEquals("network-inactive", list.get(0).get("state").asText(), list.toString());
        assertTrue(hasLink(tap));
        daemon.call("network.start", params("network", "keep"));
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), "a restarted network gets its ports back (" + tap + " in vbr-keep)",
                () -> link(tap).path("master").asText().equals("vbr-keep"));
        assertEquals("ok", daemon.call("port.list", params("network", "keep")).get(0).get("state").asText());
        daemon.call("port.delete", params("network", "keep", "uuid", p.get("uuid").asText()));
        awaitGone(tap);
        daemon.call("network.destroy", params("network", "keep"));
        daemon.call("network.undefine", params("network", "keep"));
    }

    @Test
    void theBridgePortLimitEndsWithAClearError() throws Exception {
        daemon.call("network.create", params("xml", PortParams.natNet("full", "vbr-full", "10.91.3.1", "")));
        List<String> uuids = new ArrayList<>();
        DaemonRpc.RpcFailure refused = null;
        long tapsBefore = liveTaps();
        try {
            for (int i = 0; i < 1100 && refused == null; i++) {
                try {
                    uuids.add(create(params("network", "full", "mac", String.format("52:54:01:00:%02x:%02x", i >> 8, i & 0xff)))
                            .get("uuid").asText());
                } catch (DaemonRpc.RpcFailure f) {
                    refused = f;
                }
            }
            assertTrue(refused != null, "the kernel's limit was never reached");
            assertEquals(14, refused.code, refused.getMessage());
            assertTrue(refused.getMessage().contains("bridge 'vbr-full' is full"), refused.getMessage());
            assertEquals(1023, uuids.size(), "Linux numbers bridge ports 1..1023");
            assertNotEquals(0, uuids.size());
            assertEquals(1023, ns.execOk("ip", "-o", "link", "show", "master", "vbr-full").lines().count());
            assertEquals(tapsBefore + 1023, liveTaps(), "the refused tap was removed");
            // a deleted port's tap stays a (disabled) bridge port until the reaper removes it: a full
            // bridge makes the next create wait for that instead of refusing
            daemon.call("port.delete", params("uuid", uuids.remove(0)));
            uuids.add(create(params("network", "full", "mac", "52:54:01:0f:00:00")).get("uuid").asText());
            assertEquals(1023, ns.execOk("ip", "-o", "link", "show", "master", "vbr-full").lines().count());
        } finally {
            for (String u : uuids) {
                daemon.call("port.delete", params("uuid", u));
            }
            daemon.call("network.destroy", params("network", "full"));
        }
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(50), "every tap removed",
                () -> ns.execOk("ip", "-o", "link", "show", "type", "tun").isBlank());
    }

    @Test
    void manyDeletesAreReapedInBatchesAndForeignLinksStay() throws Exception {
        ns.execOk("ip", "link", "add", "fgn77", "type", "bridge");
        ns.execOk("ip", "link", "set", "fgn77", "group", "77");
        ns.execOk("ip", "tuntap", "add", "dev", "fgn0", "mode", "tap"); // a tap in group 0, not one of ours
        int logFrom = daemon.log().length();
        try {
            List<JsonNode> ports = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ports.add(create(params("network", "default", "mac", String.format("52:54:02:00:00:%02x", i))));
            }
            for (JsonNode p : ports) {
                daemon.call("port.delete", params("uuid", p.get("uuid").asText()));
            }
            awaitGone(ports.stream().map(p -> p.get("tap").asText()).toArray(String[]::new));
            assertTrue(hasLink("fgn77") && hasLink("fgn0"), "links outside vnetd's reap group are never deleted");

            // the reaper logs one line per group delete: 50 taps, fewer deletes
            Pattern reaped = Pattern.compile("reaped (\\d+) tap\\(s\\) of deleted ports with one group delete");
            int[] batchesAndTaps = Await.value(Duration.ofSeconds(10), "the reaper to log 50 reaped taps", () -> {
                int batches = 0;
                int taps = 0;
                Matcher m = reaped.matcher(daemon.log().substring(logFrom));
                while (m.find()) {
                    batches++;
                    taps += Integer.parseInt(m.group(1));
                }
                return taps >= 50 ? Optional.of(new int[] {batches, taps}) : Optional.empty();
            });
            assertEquals(50, batchesAndTaps[1], daemon.log().substring(logFrom));
            assertTrue(batchesAndTaps[0] < 50, batchesAndTaps[0] + " group deletes for 50 taps");
        } finally {
            ns.exec("ip", "link", "del", "fgn77");
            ns.exec("ip", "link", "del", "fgn0");
        }
    }

    @Test
    void aDeletedTapsNameCanBeAskedForAgainAtOnce() throws Exception {
        JsonNode a = create(params("network", "default", "mac", "52:54:00:ee:00:01", "tap", "guest-re0"));
        daemon.call("port.delete", params("uuid", a.get("uuid").asText()));
        JsonNode b = create(params("network", "default", "mac", "52:54:00:ee:00:02", "tap", "guest-re0"));
        assertEquals("guest-re0", b.get("tap").asText());
        JsonNode l = link("guest-re0");
        assertEquals("virbr0", l.get("master").asText(), l.toString());
        assertEquals("fe:54:00:ee:00:02", l.get("address").asText());
        assertEquals("default", l.get("group").asText(), "the new tap is not in the reap group");
        daemon.call("port.delete", params("uuid", b.get("uuid").asText()));
        awaitGone("guest-re0");
    }

    @Test
    void aPortOfADestroyedNetworkIsStillRemoved() throws Exception {
        daemon.call("network.create", params("xml", PortParams.natNet("gone", "vbr-gone", "10.91.4.1", "")));
        JsonNode p = create(params("network", "gone", "mac", "52:54:00:ee:01:01"));
        daemon.call("network.destroy", params("network", "gone")); // transient: the network is gone, the tap stays
        assertTrue(hasLink(p.get("tap").asText()));
        daemon.call("port.delete", params("uuid", p.get("uuid").asText()));
        awaitGone(p.get("tap").asText());
    }

    @Test
    void stopDrainsTheReaperAndStartRemovesLeftovers() throws Exception {
        List<String> taps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonNode p = create(params("network", "default", "mac", String.format("52:54:00:ee:02:%02x", i)));
            taps.add(p.get("tap").asText());
            daemon.call("port.delete", params("uuid", p.get("uuid").asText()));
        }
        daemon.stop();
        for (String tap : taps) {
            assertFalse(hasLink(tap), tap + " was removed before the daemon exited");
        }
        // what a crashed daemon would leave: taps retired but not deleted; a tap of someone else beside them
        ns.execOk("ip", "tuntap", "add", "dev", "left0", "mode", "tap");
        ns.execOk("ip", "link", "set", "left0", "down", "group", Integer.toUnsignedString(TapReaper.GROUP));
        ns.execOk("ip", "tuntap", "add", "dev", "stay0", "mode", "tap");
        try {
            daemon.start();
            assertFalse(hasLink("left0"), "a leftover in the reap group is removed at start");
            assertTrue(hasLink("stay0"));
        } finally {
            ns.exec("ip", "link", "del", "stay0");
        }
    }
}
