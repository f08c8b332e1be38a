package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Restarts of the real daemon: a stop leaves networks running and the next daemon adopts them
 * without touching them; kill -9 in the middle of a start leaves no half-made network and every
 * definition intact; a corrupt definition is set aside while the others come back.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DaemonRestartStateTest {
    private static Map<String, Boolean> activeByName(DaemonProcess d) throws Exception {
        Map<String, Boolean> m = new TreeMap<>();
        for (JsonNode n : d.call("network.list", null)) {
            m.put(n.get("name").asText(), n.get("active").asBoolean());
        }
        return m;
    }

    @Test
    void aRestartAdoptsRunningNetworksWithoutTouchingThem() throws Exception {
        NetnsSupport.require("nft");
        try (TestNetns ns = TestNetns.create("dadopt"); DaemonProcess d = new DaemonProcess(ns, Files.createTempDirectory("vnetd-adopt"))) {
            d.start();
            d.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("second", "<forward mode='route'/>", "vbr-second", "10.99.1.1")));
            d.call("network.start", Map.of("network", "second"));
            int idx0 = Kernel.ifindex(ns, "virbr0");
            int idx1 = Kernel.ifindex(ns, "vbr-second");
            String before = Kernel.snapshot(ns);
            String rules = Kernel.rulesWithHandles(ns);
            assertEquals(143, d.stop(), "SIGTERM: a clean exit through the shutdown hook (128+15; the unit lists SuccessExitStatus=143)");
            assertEquals(before, Kernel.snapshot(ns), "stopping the daemon leaves networks running");

            // drift while no daemon runs: an address removed behind our back
            ns.execOk("ip", "addr", "del", "10.99.1.1/24", "dev", "vbr-second");
            d.start();
            assertEquals(Map.of("default", true, "second", true), activeByName(d));
            assertEquals(idx0, Kernel.ifindex(ns, "virbr0"), "the bridge was not re-created");
            assertEquals(idx1, Kernel.ifindex(ns, "vbr-second"));
            assertEquals(before, Kernel.snapshot(ns), "adopted as is; the missing address was repaired");
            assertTrue(d.log().contains("adopted running network 'default'"), d.log());
            assertEquals(rules, Kernel.rulesWithHandles(ns),
                    "no rule was touched: a re-apply would renumber the rules and zero their counters\n" + d.log());

            // a rule deleted while no daemon runs: put back, and only that network's rules are applied again
            d.stop();
            String secondChain = Kernel.rulesWithHandles(ns, "vn_vbr-second_out");
            ns.execOk("nft", "delete", "rule", "inet", "vnetd", "vn_virbr0_out", "handle", Kernel.firstRuleHandle(ns, "vn_virbr0_out"));
            assertNotEquals(before, Kernel.snapshot(ns));
            d.start();
            assertEquals(before, Kernel.snapshot(ns), "the deleted rule is back");
            assertEquals(secondChain, Kernel.rulesWithHandles(ns, "vn_vbr-second_out"), "the other network's rules were not touched");
            assertTrue(d.log().contains("network 'default': firewall rules differ from what was applied"), d.log());

            // a bridge deleted while no daemon runs: that network comes back inactive, the other stays
            d.stop();
            ns.execOk("ip", "link", "del", "vbr-second");
            d.start();
            assertEquals(Map.of("default", true, "second", false), activeByName(d));
            assertFalse(Kernel.nft(ns).contains("vbr-second"), "its leftover rules were removed");
            d.call("network.destroy", Map.of("network", "default"));
            assertFalse(Kernel.hasLink(ns, "virbr0"), "an adopted network is torn down exactly");
        }
    }

    @Test
    void killDashNineDuringStartLeavesNoHalfMadeNetwork() throws Exception {
        NetnsSupport.require("nft");
        try (TestNetns ns = TestNetns.create("dkill"); DaemonProcess d = new DaemonProcess(ns, Files.createTempDirectory("vnetd-kill"))) {
            d.start("--no-default-network");
            for (int i = 0; i < 4; i++) {
                d.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("n" + i, "<forward mode='nat'/>", "vbr-n" + i, "10.66." + i + ".1")));
            }
            Map<String, String> defs = new TreeMap<>();
            for (int i = 0; i < 4; i++) {
                defs.put("n" + i, d.call("network.getXml", Map.of("network", "n" + i, "inactive", true)).get("xml").asText());
            }
            String empty = Kernel.snapshot(ns);
            // start all four at once and kill the daemon while they are being applied
            CompletableFuture<?>[] starts = new CompletableFuture<?>[4];
            for (int i = 0; i < 4; i++) {
                String n = "n" + i;
                starts[i] = CompletableFuture.runAsync(() -> {
                    try {
                        d.call("network.start", Map.of("network", n));
                    } catch (Exception e) {
                        // the daemon dies under us: expected
                    }
                });
            }
            // kill as soon as one start has made its bridge, so the others are caught half-way
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(5), "a first bridge of the starts", () -> Kernel.hasLink(ns, "vbr-n0")
                    || Kernel.hasLink(ns, "vbr-n1") || Kernel.hasLink(ns, "vbr-n2") || Kernel.hasLink(ns, "vbr-n3"));
            d.kill9();
            CompletableFuture.allOf(starts).get(60, TimeUnit.SECONDS);

            d.start("--no-default-network");
            Map<String, Boolean> active = activeByName(d);
            assertEquals(defs.keySet(), active.keySet(), "every definition survived");
            for (int i = 0; i < 4; i++) {
                String n = "n" + i;
                assertEquals(defs.get(n), d.call("network.getXml", Map.of("network", n, "inactive", true)).get("xml").asText());
                boolean bridge = Kernel.hasLink(ns, "vbr-" + n);
                assertEquals(active.get(n), bridge, n + ": active exactly when its bridge exists (" + active + ")");
                if (bridge) {
                    assertTrue(Kernel.addr(ns, "vbr-" + n).contains("10.66." + i + ".1/24"), n + " is complete");
                }
            }
            try (Stream<Path> files = Files.walk(d.dir)) {
                List<Path> torn = files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
                assertTrue(torn.isEmpty(), "no torn writes left: " + torn);
            }
            for (int i = 0; i < 4; i++) {
                if (active.get("n" + i)) {
                    d.call("network.destroy", Map.of("network", "n" + i));
                }
            }
            assertEquals(empty, Kernel.snapshotAfterStop(ns), "after destroying what was adopted, nothing is left but vnetd's idle table");
        }
    }

    @Test
    void aCorruptDefinitionIsSetAsideAndTheOthersLoad() throws Exception {
        NetnsSupport.require("nft");
        try (TestNetns ns = TestNetns.create("dcorr"); DaemonProcess d = new DaemonProcess(ns, Files.createTempDirectory("vnetd-corrupt"))) {
            d.start("--no-default-network");
            d.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("good", "<forward mode='nat'/>", "vbr-good", "10.55.1.1")));
            d.stop();
            Path nets = d.configDir().resolve("networks");
            Files.writeString(nets.resolve("broken.xml"), "<network><name>broken</name><ip address='10.1");
            Files.write(nets.resolve("binary.xml"), new byte[] {(byte) 0xff, 0, 1, 2});
            d.start("--no-default-network");
            assertEquals(Map.of("good", false), activeByName(d));
            try (Stream<Path> files = Files.list(nets)) {
                assertEquals(2, files.filter(p -> p.getFileName().toString().contains(".xml.corrupt-")).count(), "both kept aside");
            }
            assertTrue(d.log().contains("broken"), d.log());
        }
    }

    @Test
    void killDashNineRightAfterTheRepliesKeepsEveryDefinitionChange() throws Exception {
        NetnsSupport.require("nft");
        try (TestNetns ns = TestNetns.create("dkdef"); DaemonProcess d = new DaemonProcess(ns, Files.createTempDirectory("vnetd-kdef"))) {
            d.start("--no-default-network");
            d.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("gone", "<forward mode='nat'/>", "vbr-gone", "10.56.2.1")));
            Path nets = d.configDir().resolve("networks");
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(5), "gone.xml written", () -> Files.exists(nets.resolve("gone.xml")));
            // each reply comes once the change is durable in the definitions log; the files follow ~100 ms later
            d.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("kept", "<forward mode='nat'/>", "vbr-kept", "10.56.1.1")));
            d.call("network.setAutostart", Map.of("network", "kept", "autostart", true));
            d.call("network.undefine", Map.of("network", "gone"));
            d.kill9();
            boolean filesLagged = !Files.exists(nets.resolve("kept.xml")) || Files.exists(nets.resolve("gone.xml"));
            d.start("--no-default-network");
            JsonNode kept = d.call("network.list", null).get(0);
            assertEquals(1, d.call("network.list", null).size(), d.call("network.list", null).toString());
            assertEquals("kept", kept.get("name").asText());
            assertTrue(kept.get("autostart").asBoolean() && kept.get("persistent").asBoolean(), kept.toString());
            assertTrue(Files.exists(nets.resolve("kept.xml")) && Files.isSymbolicLink(nets.resolve("autostart/kept.xml")));
            assertFalse(Files.exists(nets.resolve("gone.xml")));
            if (filesLagged) {
                assertTrue(d.log().contains("replayed over"), d.log());
            }
        }
    }

    @Test
    void killDashNineDuringUpdatesLeavesAWholeDefinition() throws Exception {
        NetnsSupport.require("nft");
        try (TestNetns ns = TestNetns.create("dkupd"); DaemonProcess d = new DaemonProcess(ns, Files.createTempDirectory("vnetd-kupd"))) {
            d.start("--no-default-network");
            d.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("upd", "<forward mode='nat'/>", "vbr-upd", "10.44.1.1")));
            d.call("network.start", Map.of("network", "upd"));
            CompletableFuture<Integer> updates = CompletableFuture.supplyAsync(() -> {
                int done = 0;
                for (int i = 10; i < 200; i++) {
                    try {
                        d.call("network.update", Map.of("network", "upd", "command", "add-last", "section", "ip-dhcp-host",
                                "xml", "<host mac='52:54:00:00:01:" + String.format("%02x", i) + "' ip='10.44.1." + i + "'/>",
                                "live", true, "config", true));
                        done++;
                    } catch (Exception e) {
                        break; // the daemon died under us
                    }
                }
                return done;
            });
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(5), "the update adding 10.44.1.13 stored",
                    () -> Files.readString(d.configDir().resolve("networks/upd.xml")).contains("10.44.1.13"));
            d.kill9();
            int done = updates.get(60, TimeUnit.SECONDS);
            d.start("--no-default-network");
            String config = d.call("network.getXml", Map.of("network", "upd", "inactive", true)).get("xml").asText();
            String live = d.call("network.getXml", Map.of("network", "upd")).get("xml").asText();
            int hosts = config.split("<host ", -1).length - 1;
            assertTrue(hosts >= done && hosts <= done + 1, "every acknowledged update is kept (" + done + " acked, " + hosts + " stored)");
            assertTrue(live.split("<host ", -1).length - 1 >= done, "the adopted live definition has every acknowledged update");
            assertEquals(Map.of("upd", true), activeByName(d));
            try (Stream<Path> files = Files.walk(d.dir)) {
                List<Path> torn = files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
                assertTrue(torn.isEmpty(), "no torn writes left: " + torn);
            }
        }
    }
}
