package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.plan.PlanJson;
import org.vnetd.daemon.state.RunDirStatusStore;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An upgrade over running networks: a network whose status a step-id vnetd wrote (the format before
 * recorded actions) is adopted by this daemon without being touched, and torn down exactly.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DaemonUpgradeStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ids a step-id vnetd gave the steps of {@code net("up", nat, "vbr-up", "10.77.1.1")}, in its order. */
    private static final List<String> OLD_IDS = List.of("bridge vbr-up", "firewall up", "address 10.77.1.1/24 on vbr-up", "up vbr-up",
            "sysctl vbr-up", "dns up", "dhcp vbr-up");

    @Test
    void aNetworkStartedByAStepIdDaemonIsAdoptedAndUndoneAfterTheUpgrade() throws Exception {
        NetnsSupport.require("nft");
        try (TestNetns ns = TestNetns.create("dupgr"); DaemonProcess d = new DaemonProcess(ns, Files.createTempDirectory("vnetd-upgrade"))) {
            d.start("--no-default-network");
            String empty = Kernel.snapshot(ns);
            d.call("network.define", Map.of("xml", DaemonLifecycleRpcTest.net("up", "<forward mode='nat'/>", "vbr-up", "10.77.1.1")));
            d.call("network.start", Map.of("network", "up"));
            int ifindex = Kernel.ifindex(ns, "vbr-up");
            String before = Kernel.snapshot(ns);
            String rules = Kernel.rulesWithHandles(ns);
            d.stop();

            Path file = d.runDir().resolve("network/up.json");
            writeAsAStepIdDaemonDid(file);
            d.start("--no-default-network");
            assertTrue(d.log().contains("read a status of the step-id format (7 step(s))"), d.log());
            assertTrue(d.log().contains("adopted running network 'up'"), d.log());
            assertTrue(d.call("network.list", null).get(0).get("active").asBoolean());
            assertEquals(ifindex, Kernel.ifindex(ns, "vbr-up"), "the bridge was not re-created");
            assertEquals(before, Kernel.snapshot(ns), "adopted as is");
            assertEquals(rules, Kernel.rulesWithHandles(ns), "no rule was touched\n" + d.log());
            assertEquals(2, JSON.readTree(file.toFile()).get("version").asInt(), "the adopted status is written in today's format");

            d.call("network.destroy", Map.of("network", "up"));
            assertFalse(Kernel.hasLink(ns, "vbr-up"));
            assertEquals(empty, Kernel.snapshotAfterStop(ns), "torn down exactly: nothing is left but vnetd's idle table");
        }
    }

    /** Rewrites today's status of network "up" as the step-id vnetd wrote it: ids in place of actions, same records. */
    private static void writeAsAStepIdDaemonDid(Path file) throws Exception {
        // as the daemon reads it: a start's file is its intent with the records appended (RunDirStatusStore)
        ObjectNode now = PlanJson.MAPPER.valueToTree(new RunDirStatusStore(file.getParent().getParent()).loadAll().getFirst().status());
        ObjectNode old = JSON.createObjectNode();
        for (String field : List.of("name", "uuid", "liveXml", "persistent", "complete")) {
            old.set(field, now.get(field));
        }
        ArrayNode steps = old.putArray("applied");
        // the firewalld zone came after those daemons: no step of theirs did it
        List<JsonNode> applied = new java.util.ArrayList<>();
        now.get("applied").forEach(a -> {
            if (!a.get("action").get("kind").asText().equals("firewalld-zone")) {
                applied.add(a);
            }
        });
        assertEquals(OLD_IDS.size(), applied.size(), applied.toString());
        for (int i = 0; i < applied.size(); i++) {
            steps.addObject().put("id", OLD_IDS.get(i)).set("record", applied.get(i).get("record"));
        }
        old.set("startedAt", now.get("startedAt"));
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(old));
    }
}
