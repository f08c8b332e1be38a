package org.vnetd.daemon.ovn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.ovn.OvnNetwork;
import org.vnetd.core.ovn.OvnNetworkMapper;
import org.vnetd.core.ovn.OvnNorthboundPlan;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.daemon.ovsdb.OvsdbClient;
import org.vnetd.daemon.ovsdb.PrivateNorthbound;
import org.vnetd.testing.ovn.PrivateOvsdbServer;

/**
 * Two hosts' vnetd (two clients with different host ids) share one network in a private northbound
 * database: one switch whoever starts first or both at once, each host's ports its own, the shared rows
 * gone only when the last host stops. Read back with ovn-nbctl, not with vnetd's own code.
 */
class OvnNorthboundTest {
    private static final String NAT = """
            <network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>
              <name>cluster</name>
              <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
              <forward mode='nat'/>
              <dns><host ip='10.77.0.200'><hostname>printer</hostname></host></dns>
              <ip address='10.77.0.1' netmask='255.255.255.0'>
                <dhcp><range start='10.77.0.100' end='10.77.0.199'/><host mac='52:54:00:aa:00:01' name='db' ip='10.77.0.50'/></dhcp>
              </ip>
              <vnetd:ovn northbound='unix:/unused' switch='ls-cluster' gatewayChassis='hv1' uplink='physnet' uplinkAddress='192.0.2.50/24' uplinkGateway='192.0.2.1'/>
            </network>
            """;
    @RegisterExtension
    static final PrivateNorthbound NB = new PrivateNorthbound();

    @TempDir
    Path dir;

    private static String nbctl(PrivateOvsdbServer nb, String... args) {
        return PrivateNorthbound.nbctl(nb, args);
    }

    private static List<String> lines(String out) {
        return PrivateNorthbound.lines(out);
    }

    private OvsdbClient client(PrivateOvsdbServer nb) {
        return NB.client(nb);
    }

    @Test
    void twoHostsShareOneSwitchAndEachRemovesOnlyItsOwn() {
        OvnNetwork n = OvnNetworkMapper.map(NetworkXml.parse(NAT));
        try (PrivateOvsdbServer nb = NB.start(dir.resolve("nb"));
                OvsdbClient c1 = client(nb); OvsdbClient c2 = client(nb)) {
            OvnNorthbound hv1 = new OvnNorthbound(c1, "hv1");
            OvnNorthbound hv2 = new OvnNorthbound(c2, "hv2");
            hv1.start(n);
            hv2.start(n);
            assertEquals(List.of("ls-cluster", "ls-cluster-uplink"), lines(nbctl(nb, "--bare", "--columns=name", "list", "Logical_Switch")));
            assertEquals("lr-ls-cluster", nbctl(nb, "--bare", "--columns=name", "list", "Logical_Router"));
            assertEquals("snat 192.0.2.50 10.77.0.0/24", nbctl(nb, "--bare", "--columns=type,external_ip,logical_ip", "list", "NAT")
                    .replaceAll("\\s+", " "));
            assertEquals("10.77.0.0/24", nbctl(nb, "--bare", "--columns=cidr", "list", "DHCP_Options"));
            String dns = nbctl(nb, "list", "DNS");
            assertTrue(dns.contains("printer=\"10.77.0.200\"") && dns.contains("db=\"10.77.0.50\""), dns);
            String ids = nbctl(nb, "get", "Logical_Switch", "ls-cluster", "external_ids");
            assertTrue(ids.contains("\"vnetd:host:hv1\"=started") && ids.contains("\"vnetd:host:hv2\"=started"), ids);

            hv1.addPort(n, "guest-a", "52:54:00:12:34:56");
            hv1.addPort(n, "guest-db", "52:54:00:AA:00:01");
            hv2.addPort(n, "guest-b", "52:54:00:65:43:21");
            assertEquals("52:54:00:aa:00:01 10.77.0.50", nbctl(nb, "--bare", "--columns=addresses", "list", "Logical_Switch_Port", "guest-db"));
            assertEquals("52:54:00:12:34:56 dynamic", nbctl(nb, "--bare", "--columns=addresses", "list", "Logical_Switch_Port", "guest-a"));
            assertEquals(nbctl(nb, "--bare", "--columns=_uuid", "list", "DHCP_Options"),
                    nbctl(nb, "--bare", "--columns=dhcpv4_options", "list", "Logical_Switch_Port", "guest-a"));

            VnetException notMine = assertThrows(VnetException.class, () -> hv1.removePort(n, "guest-b"));
            assertEquals(ErrorCode.NO_SUCH_PORT, notMine.code());
            hv1.removePort(n, "guest-a");
            assertEquals(List.of("guest-b", "guest-db", "lsp-ls-cluster-router"), lines(nbctl(nb, "lsp-list", "ls-cluster").replaceAll("\\S+ \\((\\S+)\\)", "$1")));

            hv1.stop(n);
            assertEquals(List.of("guest-b", "lsp-ls-cluster-router"), lines(nbctl(nb, "lsp-list", "ls-cluster").replaceAll("\\S+ \\((\\S+)\\)", "$1")),
                    "hv1's stop removed its own port and left hv2's");
            assertEquals("lr-ls-cluster", nbctl(nb, "--bare", "--columns=name", "list", "Logical_Router"));

            hv2.stop(n);
            for (String table : List.of("Logical_Switch", "Logical_Switch_Port", "Logical_Router", "Logical_Router_Port", "NAT",
                    "DHCP_Options", "DNS", "Gateway_Chassis", "Logical_Router_Static_Route")) {
                assertEquals("", nbctl(nb, "--bare", "--columns=_uuid", "list", table), table + " left after the last host stopped");
            }
        }
    }

    @Test
    void aHostJoiningWithAnotherDefinitionCanTellButRewritesNothing() {
        OvnNetwork first = OvnNetworkMapper.map(NetworkXml.parse(NAT));
        OvnNetwork other = OvnNetworkMapper.map(NetworkXml.parse(NAT.replace("10.77.0.199", "10.77.0.150")));
        OvnNetwork same = OvnNetworkMapper.map(NetworkXml.parse(NAT.replace("<name>cluster</name>",
                "<name>cluster</name><title>only the XML differs, not the rows</title>")));
        assertEquals(OvnNorthboundPlan.digest(first), OvnNorthboundPlan.digest(same));
        try (PrivateOvsdbServer nb = NB.start(dir.resolve("nb")); OvsdbClient c1 = client(nb); OvsdbClient c2 = client(nb)) {
            OvnNorthbound hv1 = new OvnNorthbound(c1, "hv1");
            OvnNorthbound hv2 = new OvnNorthbound(c2, "hv2");
            hv1.start(first);
            String excluded = nbctl(nb, "get", "Logical_Switch", "ls-cluster", "other_config:exclude_ips");
            hv2.start(other);
            assertEquals(Optional.of(OvnNorthboundPlan.digest(first)),
                    hv2.definitionInOvn(other), "the switch says which definition made it");
            assertTrue(!OvnNorthboundPlan.digest(other).equals(hv2.definitionInOvn(other).orElseThrow()), "hv2 can tell its own differs");
            assertEquals(excluded, nbctl(nb, "get", "Logical_Switch", "ls-cluster", "other_config:exclude_ips"),
                    "the joining host rewrote nothing");
            hv2.stop(other);
            hv1.stop(first);
        }
    }

    @Test
    void hostsStartingAtOnceStillMakeOneSwitch() throws Exception {
        OvnNetwork n = OvnNetworkMapper.map(NetworkXml.parse(NAT));
        try (PrivateOvsdbServer nb = NB.start(dir.resolve("nb"));
                OvsdbClient c1 = client(nb); OvsdbClient c2 = client(nb)) {
            for (int round = 0; round < 10; round++) {
                OvnNorthbound hv1 = new OvnNorthbound(c1, "hv1");
                OvnNorthbound hv2 = new OvnNorthbound(c2, "hv2");
                CyclicBarrier together = new CyclicBarrier(2);
                // threads of their own: the common pool may have one worker on a small machine, and the barrier needs two
                CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
                    await(together);
                    hv1.start(n);
                }, Thread::startVirtualThread);
                CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
                    await(together);
                    hv2.start(n);
                }, Thread::startVirtualThread);
                a.get(20, TimeUnit.SECONDS);
                b.get(20, TimeUnit.SECONDS);
                assertEquals(List.of("ls-cluster"), lines(nbctl(nb, "--bare", "--columns=name", "find", "Logical_Switch",
                        "external_ids:vnetd\\:network=" + n.uuid())), "round " + round);
                hv1.stop(n);
                hv2.stop(n);
                assertEquals("", nbctl(nb, "--bare", "--columns=_uuid", "list", "Logical_Switch"), "round " + round);
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
