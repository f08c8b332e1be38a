package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.daemon.libvirt.LibvirtHostNetns.Guest;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.Pinger;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 21's switch: Debian's real libvirtd runs {@code default} (NAT), a routed network and a transient one, two guests on
 * {@code virbr0} hold leases from libvirt's dnsmasq and ping an upstream namespace through the NAT every
 * 100 ms; libvirtd is stopped as an administrator stops it (its dnsmasq and bridges keep running), and
 * {@code network.importLibvirt} with takeover moves both networks to vnetd. Not one ping is lost, the
 * networks keep their uuids and XML, the bridge and the guests' ports keep their ifindex, the leases are
 * vnetd's and each guest renews its address from vnetd; no libvirt rule or dnsmasq is left.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LibvirtTakeoverNetnsTest {
    static final String DEFAULT = """
            <network>
              <name>default</name>
              <uuid>8d1e4b5a-0f6c-4c1e-9d7e-1a2b3c4d5e01</uuid>
              <forward mode='nat'/>
              <bridge name='virbr0' stp='on' delay='0'/>
              <mac address='52:54:00:4a:5b:01'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'>
                    <lease expiry='2' unit='minutes'/>
                  </range>
                </dhcp>
              </ip>
            </network>
            """;
    static final String ROUTED = """
            <network>
              <name>lab</name>
              <uuid>8d1e4b5a-0f6c-4c1e-9d7e-1a2b3c4d5e02</uuid>
              <forward mode='route'/>
              <bridge name='virbr1' stp='on' delay='0'/>
              <mac address='52:54:00:4a:5b:02'/>
              <ip address='10.55.0.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='10.55.0.10' end='10.55.0.20'/>
                </dhcp>
              </ip>
            </network>
            """;
    /** Transient: libvirt runs it (net-create) with no definition; it moves as such. */
    static final String TRANSIENT = """
            <network>
              <name>scratch</name>
              <uuid>8d1e4b5a-0f6c-4c1e-9d7e-1a2b3c4d5e03</uuid>
              <bridge name='virbr2' stp='on' delay='0'/>
              <mac address='52:54:00:4a:5b:03'/>
              <ip address='10.56.0.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='10.56.0.10' end='10.56.0.20'/>
                </dhcp>
              </ip>
            </network>
            """;
    /** A port as virtqemud makes one for a running guest: libvirt keeps its record, which virtqemud deletes at the guest's end. */
    static final String PORT_UUID = "7a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2e";
    static final String PORT = """
            <networkport>
              <uuid>%s</uuid>
              <owner>
                <name>guest9</name>
                <uuid>c0ffee00-0000-4000-8000-000000000009</uuid>
              </owner>
              <mac address='52:54:00:6b:00:09'/>
            </networkport>
            """.formatted(PORT_UUID);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    @Test
    void libvirtsRunningNetworksMoveToVnetdWithoutALostPing() throws Exception {
        NetnsSupport.require("virsh", "libvirtd", "dnsmasq", "unshare", "nft", "iptables-save", "dhclient", "ping");
        dir = Files.createTempDirectory("vnetd-takeover");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        // ---- libvirt runs the host: default (NAT) and lab (routed), two guests on virbr0
        LibvirtHostNetns libvirt = closeLater(LibvirtHostNetns.start("takeover", dir).withUpstream("tkup"));
        TestNetns host = libvirt.ns();
        String libvirtUri = libvirt.uri();
        libvirt.defineAndStart("default", DEFAULT, true);
        libvirt.defineAndStart("lab", ROUTED, false);
        libvirt.create("scratch", TRANSIENT);
        Files.writeString(dir.resolve("port.xml"), PORT);
        libvirt.virsh("net-port-create", "default", dir.resolve("port.xml").toString());
        Guest g1 = libvirt.guest("tk", 1, "virbr0", "192.168.122.1");
        Guest g2 = libvirt.guest("tk", 2, "virbr0", "192.168.122.1");
        String libvirtDefaultXml = virsh(libvirtUri, List.of("net-dumpxml", "default"));
        String libvirtLabXml = virsh(libvirtUri, List.of("net-dumpxml", "lab"));
        String libvirtScratchXml = virsh(libvirtUri, List.of("net-dumpxml", "scratch"));
        String libvirtPortXml = virsh(libvirtUri, List.of("net-port-dumpxml", "default", PORT_UUID));
        String libvirtLeases = virsh(libvirtUri, List.of("net-dhcp-leases", "default"));
        assertTrue(libvirtLeases.contains(g1.address()) && libvirtLeases.contains(g2.address()), libvirtLeases);
        assertTrue(host.execOk("iptables-save").contains("LIBVIRT_"), "libvirt 9 put its rules in iptables");
        long dnsmasqDefault = libvirt.dnsmasqPid("default");
        long dnsmasqLab = libvirt.dnsmasqPid("lab");
        long dnsmasqScratch = libvirt.dnsmasqPid("scratch");
        String bridgeIndex = host.execOk("cat", "/sys/class/net/virbr0/ifindex").trim();
        String port1Index = host.execOk("cat", "/sys/class/net/tkv1/ifindex").trim();

        // ---- the administrator stops libvirtd: its dnsmasq, bridges and rules stay
        long libvirtdStoppedAt = System.currentTimeMillis();
        libvirt.stopLibvirtd();
        assertTrue(ProcessHandle.of(dnsmasqDefault).map(ProcessHandle::isAlive).orElse(false), "dnsmasq outlives libvirtd");
        g1.pinger().awaitReplies(5);
        g2.pinger().awaitReplies(5);

        // ---- vnetd comes, and takes over
        VnetdProcess vnetd = closeLater(new VnetdProcess(host, dir.resolve("vnetd"), "INFO"));
        vnetd.start(() -> DaemonRpc.answers(vnetd.runDir()), "--no-default-network");
        Path sock = vnetd.runDir().resolve(RpcServer.SOCKET);
        Map<String, Object> params = libvirt.importParams(true, true);
        JsonNode plan = DaemonRpc.call(sock, "network.importLibvirt", params);
        assertEquals(3, plan.get("networks").size(), plan.toString());
        assertEquals(0, DaemonRpc.call(sock, "network.list", Map.of()).size(), "a dry run changes nothing");
        params.put("dryRun", false);
        long t0 = System.nanoTime();
        long importStartedAt = System.currentTimeMillis();
        JsonNode done = DaemonRpc.call(sock, "network.importLibvirt", params);
        long importMs = (System.nanoTime() - t0) / 1_000_000;
        long importedAt = System.currentTimeMillis() / 1000;
        vnetd.log().lines().filter(l -> l.contains("libvirt let go") || l.contains("took over network"))
                .forEach(l -> System.out.println("takeover: vnetd: " + l));
        for (JsonNode n : done.get("networks")) {
            assertEquals("imported", n.get("outcome").asText(), done.toString());
            assertTrue(n.get("takenOver").asBoolean(), done.toString());
        }

        // both networks are vnetd's, as libvirt had them
        JsonNode d = DaemonRpc.call(sock, "network.lookup", Map.of("network", "default"));
        assertEquals("8d1e4b5a-0f6c-4c1e-9d7e-1a2b3c4d5e01", d.get("uuid").asText());
        assertTrue(d.get("active").asBoolean() && d.get("persistent").asBoolean() && d.get("autostart").asBoolean(), d.toString());
        JsonNode l = DaemonRpc.call(sock, "network.lookup", Map.of("network", "lab"));
        assertEquals("8d1e4b5a-0f6c-4c1e-9d7e-1a2b3c4d5e02", l.get("uuid").asText());
        assertTrue(l.get("active").asBoolean() && l.get("persistent").asBoolean(), l.toString());
        JsonNode s = DaemonRpc.call(sock, "network.lookup", Map.of("network", "scratch"));
        assertEquals("8d1e4b5a-0f6c-4c1e-9d7e-1a2b3c4d5e03", s.get("uuid").asText());
        assertTrue(s.get("active").asBoolean() && !s.get("persistent").asBoolean(), s.toString());
        String vnetdUri = "network:///system?socket=" + vnetd.runDir().resolve("libvirt").resolve(LibvirtServer.SOCKET);
        assertEquals(libvirtDefaultXml, virsh(vnetdUri, List.of("net-dumpxml", "default")));
        assertEquals(libvirtLabXml, virsh(vnetdUri, List.of("net-dumpxml", "lab")));
        assertEquals(libvirtScratchXml, virsh(vnetdUri, List.of("net-dumpxml", "scratch")));
        // the running guest's port record too: virtqemud deletes it at vnetd when the guest stops
        assertEquals(libvirtPortXml, virsh(vnetdUri, List.of("net-port-dumpxml", "default", PORT_UUID)));
        // the same bridge, the guests' ports still on it
        assertEquals(bridgeIndex, host.execOk("cat", "/sys/class/net/virbr0/ifindex").trim());
        assertEquals(port1Index, host.execOk("cat", "/sys/class/net/tkv1/ifindex").trim());
        assertTrue(host.execOk("ip", "-o", "link", "show", "tkv1").contains("master virbr0"));
        // libvirt is gone: no dnsmasq, no rule, its status set aside
        Await.until(Duration.ofSeconds(10), "libvirt's dnsmasq processes to end",
                () -> !alive(dnsmasqDefault) && !alive(dnsmasqLab) && !alive(dnsmasqScratch));
        for (String pid : host.execOk("ip", "netns", "pids", host.name()).trim().split("\\s+")) {
            String comm = pid.isEmpty() ? "" : Exec.run("cat", "/proc/" + pid + "/comm").stdout().trim();
            assertFalse(comm.equals("dnsmasq"), "a dnsmasq is left: pid " + pid);
        }
        assertFalse(host.execOk("iptables-save").contains("LIBVIRT_"), host.execOk("iptables-save"));
        assertFalse(host.exec("ip6tables-save").stdout().contains("LIBVIRT_"));
        assertFalse(host.execOk("nft", "list", "tables").contains("libvirt_network"));
        assertFalse(Files.exists(libvirt.statusDir().resolve("default.xml")), "libvirt's status is set aside");
        // the leases are vnetd's, with their expiry
        JsonNode leases = DaemonRpc.call(sock, "network.dhcpLeases", Map.of("network", "default"));
        assertEquals(2, leases.size(), leases.toString());
        long libvirtExpiry = 0;
        for (Guest g : List.of(g1, g2)) {
            JsonNode lease = leaseOf(leases, g.mac());
            assertEquals(g.address(), lease.get("ipAddress").asText());
            assertEquals("guest" + g.n(), lease.get("hostname").asText());
            assertTrue(lease.get("expiryTime").asLong() > importedAt, lease.toString());
            libvirtExpiry = Math.max(libvirtExpiry, lease.get("expiryTime").asLong());
        }

        // each guest renews its address, now from vnetd (libvirt's dnsmasq is gone)
        for (Guest g : List.of(g1, g2)) {
            long before = leaseOf(leases, g.mac()).get("expiryTime").asLong();
            for (int renewals = 0; renewals < 3; renewals++) {
                DhcpLeaseInfo renewed = g.client().awaitRenew(Duration.ofSeconds(150));
                assertEquals(g.address(), renewed.address(), "guest" + g.n() + " keeps its address");
                long now = leaseOf(DaemonRpc.call(sock, "network.dhcpLeases", Map.of("network", "default")), g.mac()).get("expiryTime").asLong();
                if (now > before) {
                    break; // vnetd's server extended it
                }
            }
            long after = leaseOf(DaemonRpc.call(sock, "network.dhcpLeases", Map.of("network", "default")), g.mac()).get("expiryTime").asLong();
            assertTrue(after > before, "guest" + g.n() + "'s renewal was answered by vnetd: expiry " + before + " -> " + after);
        }
        g1.pinger().awaitReplies(g1.pinger().replies() + 10);
        g2.pinger().awaitReplies(g2.pinger().replies() + 10);
        Pinger.Figures f1 = g1.pinger().stop();
        Pinger.Figures f2 = g2.pinger().stop();
        System.out.printf("takeover: libvirtd stopped at %d, import-libvirt --takeover from %d took %d ms; guest1 %s; guest2 %s%n",
                libvirtdStoppedAt, importStartedAt, importMs, f1, f2);
        assertEquals(0, f1.lost(), "guest1 lost pings: " + f1);
        assertEquals(0, f2.lost(), "guest2 lost pings: " + f2);
    }

    private static JsonNode leaseOf(JsonNode leases, String mac) {
        for (JsonNode l : leases) {
            if (mac.equalsIgnoreCase(l.get("mac").asText())) {
                return l;
            }
        }
        throw new AssertionError("no lease of " + mac + " in " + leases);
    }

    private static String virsh(String uri, List<String> command) {
        return LibvirtHostNetns.virsh(uri, command);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
