package org.vnetd.daemon.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.driver.NetworkStatus;
import org.vnetd.core.driver.StatusStore;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.Applied;
import org.vnetd.core.plan.NetworkPlanner;
import org.vnetd.core.xml.NetworkXml;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The status file's format: the applied actions, versioned; the step-id format of earlier vnetd still read. */
class StatusFormatTest {
    @TempDir
    Path dir;

    private static final String LIVE = """
            <network>
              <name>lab</name>
              <forward mode='nat'><nat><address start='203.0.113.5' end='203.0.113.9'/><port start='2000' end='3000'/></nat></forward>
              <bridge name='vbr.lab' stp='off' delay='2'/>
              <mac address='52:54:00:11:22:33'/>
              <mtu size='9000'/>
              <ip address='10.7.0.1' prefix='24'><dhcp><range start='10.7.0.10' end='10.7.0.20'/></dhcp><tftp root='/srv/tftp'/></ip>
              <ip family='ipv6' address='fd00:7::1' prefix='64'/>
              <route address='10.30.0.0' prefix='16' gateway='10.7.0.254' metric='5'/>
            </network>
            """;

    private StatusStore.Loaded only(StatusStore store) {
        List<StatusStore.Loaded> all = store.loadAll();
        assertEquals(1, all.size());
        return all.getFirst();
    }

    @Test
    void theAppliedActionsThemselvesRoundTripUnderAVersion() throws Exception {
        RunDirStatusStore store = new RunDirStatusStore(dir);
        List<Applied<Action>> applied = new ArrayList<>();
        for (Action a : new NetworkPlanner().plan(NetworkXml.parse(LIVE)).actions()) {
            applied.add(new Applied<>(a, a instanceof Action.Firewall ? Map.of("backend", "nftables", "createdTable", "no") : Map.of()));
        }
        NetworkStatus status = new NetworkStatus("lab", "u-2", LIVE, false, true, applied, 7);
        store.save(status);
        String json = Files.readString(dir.resolve("network/lab.json"));
        assertTrue(json.startsWith("{\"version\":2,\"name\":\"lab\","), json);
        assertTrue(json.contains("\"kind\":\"create-bridge\""), json);
        assertTrue(json.contains("\"type\":\"Snat\""), json);
        assertEquals(status, only(store).status());
    }

    private static List<Applied<Action>> planOfLive(boolean withRecords) {
        List<Applied<Action>> applied = new ArrayList<>();
        for (Action a : new NetworkPlanner().plan(NetworkXml.parse(LIVE)).actions()) {
            applied.add(new Applied<>(a, withRecords && a instanceof Action.Firewall ? Map.of("backend", "nftables", "createdTable", "yes")
                    : Map.of()));
        }
        return applied;
    }

    /**
     * A start writes its intent whole and then appends only the actions' records: the file is not
     * written again, and reads back as the complete status.
     */
    @Test
    void aStartsCompletionIsAppendedToItsIntentAndReadsAsTheCompleteStatus() throws Exception {
        RunDirStatusStore store = new RunDirStatusStore(dir);
        NetworkStatus intent = new NetworkStatus("lab", "u-3", LIVE, true, false, planOfLive(false), 9);
        store.saveIntent(intent);
        Path file = dir.resolve("network/lab.json");
        byte[] intentBytes = Files.readAllBytes(file);
        assertEquals(intent, only(store).status(), "the intent alone: a start that did not finish");
        Object inode = Files.getAttribute(file, "unix:ino");

        NetworkStatus complete = intent.withApplied(planOfLive(true), true);
        store.saveCompletion(complete);
        byte[] after = Files.readAllBytes(file);
        assertEquals(inode, Files.getAttribute(file, "unix:ino"), "appended to, not replaced");
        assertArrayEquals(intentBytes, Arrays.copyOf(after, intentBytes.length), "the intent is left as it was");
        String entry = new String(after, intentBytes.length, after.length - intentBytes.length, StandardCharsets.UTF_8);
        assertTrue(entry.startsWith("{\"records\":[{}") && entry.endsWith("}\n") && entry.indexOf('\n') == entry.length() - 1, entry);
        ObjectMapper json = new ObjectMapper();
        int firewall = complete.applied().indexOf(complete.applied().stream().filter(a -> a.action() instanceof Action.Firewall).findFirst()
                .orElseThrow());
        assertEquals(Map.of("backend", "nftables", "createdTable", "yes"),
                json.convertValue(json.readTree(entry).get("records").get(firewall), Map.class), entry);
        assertTrue(entry.length() < intentBytes.length / 4, "the completion is small beside the status: " + entry.length());
        assertEquals(complete, only(store).status());

        // anything written whole afterwards (an undefine, a live update, an adoption) replaces the pair
        store.save(complete.withPersistent(false));
        assertEquals(complete.withPersistent(false), only(store).status());
        assertEquals(2, new ObjectMapper().readTree(file.toFile()).get("version").asInt());
    }

    /** A crash while the completion is appended leaves part of it: the start was not answered, and counts as not done. */
    @Test
    void aTornCompletionReadsAsTheIntentAlone() throws Exception {
        RunDirStatusStore store = new RunDirStatusStore(dir);
        NetworkStatus intent = new NetworkStatus("lab", "u-3", LIVE, true, false, planOfLive(false), 9);
        store.saveIntent(intent);
        Path file = dir.resolve("network/lab.json");
        int intentLength = (int) Files.size(file);
        store.saveCompletion(intent.withApplied(planOfLive(true), true));
        byte[] whole = Files.readAllBytes(file);
        for (int cut = intentLength; cut < whole.length - 1; cut += 7) {
            Files.write(file, Arrays.copyOf(whole, cut));
            StatusStore.Loaded l = only(store);
            assertEquals(intent, l.status(), "cut at " + cut + ": " + l.problem());
        }
    }

    @Test
    void aCompletionThatDoesNotMatchItsIntentIsSetAsideNotGuessedAt() throws Exception {
        RunDirStatusStore store = new RunDirStatusStore(dir);
        NetworkStatus intent = new NetworkStatus("lab", "u-3", LIVE, true, false, planOfLive(false), 9);
        store.saveIntent(intent);
        Files.writeString(dir.resolve("network/lab.json"), "{\"records\":[{}]}\n", StandardOpenOption.APPEND);
        StatusStore.Loaded l = only(store);
        assertNull(l.status());
        assertTrue(l.problem().contains("its completion lists 1 record(s) for " + intent.applied().size() + " action(s)"), l.problem());
    }

    @Test
    void aCompletionWithoutItsIntentIsAnError() {
        RunDirStatusStore store = new RunDirStatusStore(dir);
        NetworkStatus complete = new NetworkStatus("lab", "u-3", LIVE, true, true, planOfLive(true), 9);
        VnetException e = assertThrows(VnetException.class, () -> store.saveCompletion(complete));
        assertEquals(ErrorCode.STATE_IO, e.code());
    }

    @Test
    void aStatusOfTheStepIdFormatIsReadAsTheActionsItsStepsWere() throws Exception {
        Files.createDirectories(dir.resolve("network"));
        try (InputStream in = getClass().getResourceAsStream("/status/step-ids.json")) {
            Files.write(dir.resolve("network/default.json"), in.readAllBytes());
        }
        NetworkStatus s = only(new RunDirStatusStore(dir)).status();
        assertNotNull(s);
        List<Action> plan = new NetworkPlanner().plan(NetworkXml.parse(s.liveXml())).actions();
        assertEquals(8, plan.size());
        // plan.get(1), the firewalld zone, came after that format: no step names it
        assertEquals(List.of(new Applied<>(plan.get(0), Map.of()),
                new Applied<>(plan.get(2), Map.of("backend", "nftables", "createdTable", "yes")),
                new Applied<>(plan.get(3), Map.of()), new Applied<>(plan.get(4), Map.of()),
                new Applied<>(plan.get(5), Map.of("net.ipv4.ip_forward", "0")),
                new Applied<>(plan.get(6), Map.of()), new Applied<>(plan.get(7), Map.of())), s.applied());
        assertEquals("c6b0e5a0-5d0e-4d6e-9a53-2b1f7f3f4c11", s.uuid());
        assertTrue(s.complete() && s.persistent());
        assertEquals(1765100000000L, s.startedAt());
    }

    /**
     * A version-2 file as this format was first written (kept indented here for review): it must
     * still be read, to the same content. A renamed action kind, record component, match or verdict
     * fails here; such a change needs a reader for the old name (or a new version), never a silent
     * loss of what running networks recorded.
     */
    @Test
    void aVersion2FileOfAnEarlierBuildIsReadToTheSameContent() throws Exception {
        byte[] earlier;
        try (InputStream in = getClass().getResourceAsStream("/status/version-2.json")) {
            earlier = in.readAllBytes();
        }
        Files.createDirectories(dir.resolve("network"));
        Files.write(dir.resolve("network/lab.json"), earlier);
        RunDirStatusStore store = new RunDirStatusStore(dir);
        StatusStore.Loaded l = only(store);
        assertNotNull(l.status(), l.problem());
        assertEquals(10, l.status().applied().size());
        store.save(l.status());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(earlier), json.readTree(dir.resolve("network/lab.json").toFile()));
    }

    @Test
    void aFormatFromTheFutureIsSetAsideNotGuessedAt() throws Exception {
        Files.createDirectories(dir.resolve("network"));
        Files.writeString(dir.resolve("network/n.json"), "{\"version\": 4, \"name\": \"n\"}");
        RunDirStatusStore store = new RunDirStatusStore(dir);
        StatusStore.Loaded l = only(store);
        assertTrue(l.problem().contains("status format 4"), l.problem());
    }
}
