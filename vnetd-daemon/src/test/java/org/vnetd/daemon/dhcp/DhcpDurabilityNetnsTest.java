package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.DhcpTopology;
import org.vnetd.testing.dhcp.Udhcpc;

/** Lease N real clients from a server JVM, kill -9 it, start it again: every lease is there and renews in place. */
class DhcpDurabilityNetnsTest {
    private static final int CLIENTS = 6;
    private static final Duration WAIT = Duration.ofSeconds(40);

    private static Process startServer(DhcpTopology topo, Path leaseDir) throws Exception {
        List<String> argv = new ArrayList<>(topo.host().prefix());
        argv.addAll(ChildJvm.command(DhcpServerChild.class, leaseDir.toString(), "3600"));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertTrue(line != null && line.startsWith("READY"), "server child said " + line);
        return p;
    }

    @Test
    void leasesSurviveKillMinus9AndClientsRenewInPlace() throws Exception {
        NetnsSupport.require("busybox");
        Path leaseDir = Files.createTempDirectory("vnetd-dhcp-durable-");
        List<Udhcpc> clients = new ArrayList<>();
        Process server = null;
        try (DhcpTopology topo = DhcpTopology.create("dhcpdur", DhcpNetnsFixture.BRIDGE, DhcpNetnsFixture.SERVER + "/24")) {
            server = startServer(topo, leaseDir);
            Map<String, String> addressByMac = new HashMap<>();
            for (int i = 0; i < CLIENTS; i++) {
                DhcpClientNs c = topo.addClient(null);
                Udhcpc u = new Udhcpc(c, i % 2 == 0, null);
                clients.add(u);
                u.start();
                addressByMac.put(c.mac(), null);
            }
            for (int i = 0; i < CLIENTS; i++) {
                String a = clients.get(i).awaitBound(WAIT).address();
                assertTrue(a != null && !addressByMac.containsValue(a), "distinct address " + a);
                addressByMac.put(macOf(clients, i, topo), a);
            }
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no compaction
            assertTrue(server.waitFor(10, TimeUnit.SECONDS));

            try (DurableLeaseStore s = DurableLeaseStore.open(leaseDir, DhcpNetnsFixture.BRIDGE, Clock.systemUTC())) {
                Map<String, String> stored = new HashMap<>();
                for (DhcpLease l : s.load()) {
                    stored.put(l.mac().toString(), l.address().getHostAddress());
                }
                assertEquals(addressByMac, stored, "every ACKed lease is on disk after kill -9");
            }

            server = startServer(topo, leaseDir);
            for (int i = 0; i < CLIENTS; i++) {
                String renewed = clients.get(i).renewNow(WAIT).address();
                assertEquals(addressByMac.get(macOf(clients, i, topo)), renewed, "client " + i + " renews to the same address");
            }
        } finally {
            clients.forEach(Udhcpc::close);
            if (server != null) {
                server.destroyForcibly();
            }
            DhcpNetnsFixture.deleteTree(leaseDir);
        }
    }

    private static String macOf(List<Udhcpc> clients, int i, DhcpTopology topo) {
        return clients.get(i).clientNs().mac();
    }
}
