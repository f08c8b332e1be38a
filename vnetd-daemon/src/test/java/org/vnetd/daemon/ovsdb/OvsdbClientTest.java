package org.vnetd.daemon.ovsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.ovsdb.Condition;
import org.vnetd.core.ovsdb.OvsdbJson;
import org.vnetd.core.ovsdb.OvsdbOp;
import org.vnetd.core.ovsdb.OvsdbRemote;
import org.vnetd.core.ovsdb.OvsdbTransaction;
import org.vnetd.core.ovsdb.OvsdbValue;
import org.vnetd.testing.Await;
import org.vnetd.testing.ovn.PrivateOvsdbServer;

import com.fasterxml.jackson.databind.JsonNode;

/** The OVSDB client against a private ovsdb-server holding OVN's northbound schema (no vswitchd, no namespace). */
class OvsdbClientTest {
    private static final String NB = PrivateNorthbound.DB;
    private static final Duration TIMEOUT = PrivateNorthbound.TIMEOUT;
    @RegisterExtension
    static final PrivateNorthbound SERVERS = new PrivateNorthbound();

    @TempDir
    Path dir;

    private OvsdbClient client(PrivateOvsdbServer server) {
        return SERVERS.client(server);
    }

    private static OvsdbOp.Insert logicalSwitch(String name, String uuidName) {
        return OvsdbOp.insert("Logical_Switch", Map.of("name", OvsdbValue.of(name),
                "external_ids", OvsdbValue.stringMap(Map.of("vnetd-network", name))), uuidName);
    }

    private static List<String> switchNames(PrivateOvsdbServer server) {
        return PrivateNorthbound.lines(PrivateNorthbound.nbctl(server, "--bare", "--columns=name", "list", "Logical_Switch"));
    }

    @Test
    void transactionAppliesWholeWithNamedUuids() {
        try (PrivateOvsdbServer server = SERVERS.start(dir.resolve("nb"));
                OvsdbClient client = client(server)) {
            assertEquals(List.of(NB), client.listDbs().stream().filter(NB::equals).toList());

            OvsdbTransaction t = new OvsdbTransaction(NB, List.of(
                    logicalSwitch("ls-a", "ls"),
                    OvsdbOp.insert("Logical_Switch_Port", Map.of("name", OvsdbValue.of("lsp-1"),
                            "addresses", OvsdbValue.strings(List.of("dynamic"))), "port"),
                    new OvsdbOp.Mutate("Logical_Switch", List.of(Condition.eq("_uuid", OvsdbValue.named("ls"))),
                            List.of(org.vnetd.core.ovsdb.Mutation.insert("ports", OvsdbValue.setOf(List.of(OvsdbValue.named("port"))))))));
            List<JsonNode> results = client.transact(t);
            assertEquals(3, results.size());
            String switchUuid = OvsdbJson.insertedUuid(results.get(0));

            String ports = server.ctl("ovn-nbctl", "--db=" + server.remote(), "lsp-list", "ls-a").orThrow().stdout();
            assertTrue(ports.contains("(lsp-1)"), ports);

            List<JsonNode> read = client.transact(new OvsdbTransaction(NB, List.of(
                    new OvsdbOp.Select("Logical_Switch", List.of(Condition.uuidIs(switchUuid)), List.of("name", "external_ids")))));
            Map<String, OvsdbValue> row = OvsdbJson.rows(read.get(0)).getFirst();
            assertEquals(OvsdbValue.of("ls-a"), row.get("name"));
            assertEquals(OvsdbValue.stringMap(Map.of("vnetd-network", "ls-a")), row.get("external_ids"));
        }
    }

    @Test
    void aFailingOperationAbortsTheWholeTransaction() {
        try (PrivateOvsdbServer server = SERVERS.start(dir.resolve("nb"));
                OvsdbClient client = client(server)) {
            client.transact(new OvsdbTransaction(NB, List.of(logicalSwitch("ls-kept", "a"))));
            // the wait asks for no switch named ls-kept: it fails at once (timeout 0), and the insert before it is not applied
            OvsdbTransaction t = new OvsdbTransaction(NB, List.of(
                    logicalSwitch("ls-not-applied", "b"),
                    new OvsdbOp.Wait("Logical_Switch", List.of(Condition.eq("name", OvsdbValue.of("ls-kept"))), List.of("name"),
                            true, List.of(), 0)));
            VnetException e = assertThrows(VnetException.class, () -> client.transact(t));
            assertEquals(ErrorCode.OVN, e.code());
            assertTrue(e.getMessage().contains("operation 2 (wait on Logical_Switch) failed: timed out"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing applied"), e.getMessage());
            assertEquals(List.of("ls-kept"), switchNames(server));
        }
    }

    @Test
    void monitorGetsInitialContentsUpdatesAndAgainAfterTheDatabaseRestarts() {
        try (PrivateOvsdbServer server = SERVERS.start(dir.resolve("nb"));
                OvsdbClient client = client(server)) {
            client.transact(new OvsdbTransaction(NB, List.of(logicalSwitch("ls-before", "a"))));
            List<String> seen = new CopyOnWriteArrayList<>();
            client.monitor(NB, "switches", Map.of("Logical_Switch", List.of("name")), (updates, initial) -> {
                updates.path("Logical_Switch").forEach(u -> {
                    if (u.has("new")) {
                        seen.add((initial ? "initial " : "new ") + u.path("new").path("name").asText());
                    }
                });
            });
            assertEquals(List.of("initial ls-before"), seen);

            server.ctl("ovn-nbctl", "--db=" + server.remote(), "ls-add", "ls-by-nbctl").orThrow();
            Await.until(TIMEOUT, "the monitor's update for ls-by-nbctl", () -> seen.contains("new ls-by-nbctl"));

            server.restart();
            // the transaction waits for the new connection; the monitor is sent again and starts with the contents
            client.transact(new OvsdbTransaction(NB, List.of(logicalSwitch("ls-after", "b"))));
            Await.until(TIMEOUT, "the monitor's contents after the restart",
                    () -> seen.contains("initial ls-by-nbctl") && seen.contains("new ls-after"));
            assertEquals(List.of("ls-after", "ls-before", "ls-by-nbctl"), switchNames(server));
        }
    }

    @Test
    void answersTheServersEchoSoAProbedConnectionStays() {
        Path probed = dir.resolve("probed.sock");
        try (PrivateOvsdbServer server = new PrivateOvsdbServer(dir.resolve("nb"), PrivateOvsdbServer.OVN_NB_SCHEMA, List.of(),
                List.of("--remote=db:OVN_Northbound,NB_Global,connections"))) {
            server.ctl("ovn-nbctl", "--db=" + server.remote(), "--", "set-connection", "punix:" + probed,
                    "--", "set", "connection", ".", "inactivity_probe=1000").orThrow();
            Await.until(TIMEOUT, "the probed socket " + probed, () -> java.nio.file.Files.exists(probed));
            try (OvsdbClient client = OvsdbClient.open(List.of(new OvsdbRemote.Unix(probed.toString())), SERVERS.group(), TIMEOUT)) {
                client.listDbs();
                int before = client.connections();
                // the server probes after 1 s idle and drops a client that does not answer within another
                Await.until(Duration.ofSeconds(15), "the server's echo probes on the idle connection",
                        () -> client.echoesAnswered() >= 2);
                client.listDbs();
                assertEquals(before, client.connections(), "the probed connection was dropped and made again");
            }
        }
    }

    @Test
    void anUnreachableDatabaseIsATypedErrorNamingTheRemote() {
        Path missing = dir.resolve("nothing.sock");
        try (OvsdbClient client = OvsdbClient.open(List.of(new OvsdbRemote.Unix(missing.toString())), SERVERS.group(), Duration.ofMillis(500))) {
            VnetException e = assertThrows(VnetException.class, client::listDbs);
            assertEquals(ErrorCode.OVN, e.code());
            assertTrue(e.getMessage().contains("unix:" + missing), e.getMessage());
            assertTrue(e.getMessage().contains("not connected"), e.getMessage());
        }
    }
}
