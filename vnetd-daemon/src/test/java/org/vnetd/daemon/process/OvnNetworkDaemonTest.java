package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.daemon.rpc.RpcClient;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.ovn.PrivateOvsdbServer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The real daemon starts a network bound to OVN: the rows appear in a private northbound database
 * (read back with ovn-nbctl), nothing appears in the daemon's namespace, net-list shows it active, a
 * restarted daemon (and a restarted database) lose nothing, and net-destroy of the last host removes the rows.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OvnNetworkDaemonTest {

    private static String nbctl(PrivateOvsdbServer nb, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ovn-nbctl", "--db=" + nb.remote()));
        cmd.addAll(List.of(args));
        return nb.ctl(cmd.toArray(String[]::new)).orThrow().stdout().trim();
    }

    private static JsonNode find(DaemonProcess daemon, String name) throws Exception {
        for (JsonNode n : daemon.call("network.list", null)) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no network " + name);
    }

    @Test
    void startWritesTheNetworkIntoTheNorthboundDatabaseAndNothingIntoTheKernel() throws Exception {
        NetnsSupport.require("nft", "ovsdb-server", "ovsdb-tool", "ovn-nbctl");
        Path dir = Files.createTempDirectory("vnetd-ovn");
        try (TestNetns ns = TestNetns.create("ovnd");
                PrivateOvsdbServer nb = PrivateOvsdbServer.start(dir.resolve("nb"), PrivateOvsdbServer.OVN_NB_SCHEMA);
                DaemonProcess daemon = new DaemonProcess(ns, dir.resolve("vnetd"))) {
            daemon.start("--no-default-network", "--ovn-chassis", "hv1", "--ovs-db", "unix:/nonexistent/db.sock");
            String xml = """
                    <network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>
                      <name>cluster</name>
                      <forward mode='nat'/>
                      <ip address='10.77.0.1' netmask='255.255.255.0'><dhcp><range start='10.77.0.100' end='10.77.0.199'/></dhcp></ip>
                      <vnetd:ovn northbound='%s' switch='ls-cluster' gatewayChassis='hv1' uplink='physnet' uplinkAddress='192.0.2.50/24'/>
                    </network>
                    """.formatted(nb.remote());
            daemon.call("network.define", Map.of("xml", xml));
            String before = Kernel.snapshot(ns);
            daemon.call("network.start", Map.of("network", "cluster"));
            assertTrue(find(daemon, "cluster").get("active").asBoolean());
            assertEquals(before, Kernel.snapshot(ns), "no bridge, address, route, firewall rule or service on this host");
            String uuid = find(daemon, "cluster").get("uuid").asText();
            String ids = nbctl(nb, "get", "Logical_Switch", "ls-cluster", "external_ids");
            assertTrue(ids.contains("\"vnetd:network\"=\"" + uuid + "\"") && ids.contains("\"vnetd:host:hv1\"=started"), ids);
            assertEquals("lr-ls-cluster", nbctl(nb, "--bare", "--columns=name", "list", "Logical_Router"));
            // a port needs this host's Open vSwitch (its integration bridge), which this namespace does not have
            var refused = daemon.fail("port.create", Map.of("network", "cluster", "mac", "52:54:00:00:00:07"));
            assertEquals(26, refused.code, refused.getMessage());
            assertTrue(refused.getMessage().contains("unix:/nonexistent/db.sock"), refused.getMessage());
            assertEquals(before, Kernel.snapshot(ns), "no tap made for the failed port");
            assertEquals("", nbctl(nb, "--bare", "--columns=name", "find", "Logical_Switch_Port", "external_ids:vnetd\\:port-host=hv1"),
                    "no logical port left for it");

            // the database restarts, then the daemon: the network stays active and its rows stay; subscribers hear
            // the network degraded while its database is away and repaired when it is back, as for a local service
            try (RpcClient sub = daemon.readOnlyClient()) {
                assertTrue(sub.call("events.subscribe", Map.of("network", "cluster")).has("result"));
                nb.stop();
                JsonNode degraded = DaemonServiceRepairTest.nextEvent(sub, Duration.ofSeconds(30));
                assertEquals("service-health Degraded", degraded.get("event").asText() + " " + degraded.get("detail").asText());
                String why = daemon.call("network.lookup", Map.of("network", "cluster")).path("degraded").asText();
                assertTrue(why.contains("northbound database " + nb.remote() + " does not answer"), why);
                nb.restart();
                JsonNode repaired = DaemonServiceRepairTest.nextEvent(sub, Duration.ofSeconds(30));
                assertEquals("service-health Repaired", repaired.get("event").asText() + " " + repaired.get("detail").asText());
            }
            daemon.stop();
            daemon.start("--no-default-network", "--ovn-chassis", "hv1", "--ovs-db", "unix:/nonexistent/db.sock");
            assertTrue(find(daemon, "cluster").get("active").asBoolean());
            assertEquals(uuid, nbctl(nb, "get", "Logical_Switch", "ls-cluster", "external_ids:vnetd\\:network").replace("\"", ""));
            assertEquals(List.of("ls-cluster", "ls-cluster-uplink"), nbctl(nb, "--bare", "--columns=name", "list", "Logical_Switch").lines()
                    .filter(l -> !l.isBlank()).sorted().toList(), "the switch and its uplink switch, not a second pair");

            daemon.call("network.destroy", Map.of("network", "cluster"));
            for (String table : List.of("Logical_Switch", "Logical_Router", "DHCP_Options", "NAT")) {
                assertEquals("", nbctl(nb, "--bare", "--columns=_uuid", "list", table), table + " left after the only host stopped");
            }
            assertEquals(before, Kernel.snapshot(ns));
        }
    }
}
