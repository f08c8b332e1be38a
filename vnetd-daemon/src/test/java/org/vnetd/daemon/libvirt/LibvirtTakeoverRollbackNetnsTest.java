package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.daemon.libvirt.LibvirtHostNetns.Guest;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.Pinger;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A takeover that fails after libvirt let go gives the network back to libvirt. Debian's libvirtd runs
 * {@code default} with a guest pinging upstream through the NAT; libvirtd is stopped; a process holds UDP
 * port 53 on the bridge's address beside libvirt's dnsmasq (both with SO_REUSEADDR), so vnetd's DNS cannot
 * bind once dnsmasq is gone. The import fails naming that, and afterwards the network is libvirt's as before:
 * its rules as they were, its dnsmasq running again from libvirt's own config file (a new pid in libvirt's pid
 * file) and renewing the guest's lease, its status file back, nothing of vnetd's left, not one ping lost.
 * Run again once the port is free, the import takes the network over.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LibvirtTakeoverRollbackNetnsTest {
    static final String DEFAULT = LibvirtTakeoverNetnsTest.DEFAULT;

    private LibvirtHostNetns libvirt;
    private VnetdProcess vnetd;
    private Process squatter;
    private Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        if (squatter != null) {
            squatter.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (vnetd != null) {
            vnetd.close();
        }
        if (libvirt != null) {
            libvirt.close();
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aTakeoverThatFailsAfterLibvirtLetGoGivesTheNetworkBack() throws Exception {
        NetnsSupport.require("virsh", "libvirtd", "dnsmasq", "unshare", "nsenter", "iptables-save", "dhclient", "ping", "python3");
        dir = Files.createTempDirectory("vnetd-takeover-back");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        libvirt = LibvirtHostNetns.start("tkback", dir).withUpstream("tkbup");
        TestNetns host = libvirt.ns();
        libvirt.defineAndStart("default", DEFAULT, true);
        Guest guest = libvirt.guest("tb", 1, "virbr0", "192.168.122.1");
        long dnsmasq = libvirt.dnsmasqPid("default");
        String rulesBefore = rules(host);
        assertTrue(rulesBefore.contains("LIBVIRT_"), rulesBefore);
        libvirt.stopLibvirtd();

        squatter = host.start("python3", "-c", """
                import socket, time
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(('192.168.122.1', 53))
                print('bound', flush=True)
                time.sleep(600)
                """);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(squatter.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("bound", out.readLine(), "the port holder beside libvirt's dnsmasq");
        }

        vnetd = new VnetdProcess(host, dir.resolve("vnetd"), "INFO");
        vnetd.start(() -> DaemonRpc.answers(vnetd.runDir()), "--no-default-network");
        Path sock = vnetd.runDir().resolve(RpcServer.SOCKET);
        DaemonRpc.RpcFailure failed = DaemonRpc.fail(sock, "network.importLibvirt", libvirt.importParams(true, false));
        System.out.println("takeover-back: the import said: " + failed.getMessage());
        assertTrue(failed.getMessage().contains("taking over network 'default' failed"), failed.getMessage());
        assertTrue(failed.getMessage().contains("cannot listen for DNS on"), failed.getMessage());
        assertTrue(failed.getMessage().contains("given back to libvirt"), failed.getMessage());
        vnetd.log().lines().filter(l -> l.contains("libvirt") || l.contains("undo"))
                .forEach(l -> System.out.println("takeover-back: vnetd: " + l));

        // libvirt's again, as it was: its dnsmasq from its own config file, its rules, its status
        Await.until(Duration.ofSeconds(10), "libvirt's first dnsmasq to be gone (the release stopped it)", () -> ended(dnsmasq));
        long again = libvirt.dnsmasqPid("default");
        assertNotEquals(dnsmasq, again);
        String cmdline = Files.readString(Path.of("/proc/" + again + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.startsWith("/usr/sbin/dnsmasq --conf-file=/var/lib/libvirt/dnsmasq/default.conf"), cmdline);
        assertEquals(rulesBefore, rules(host), "libvirt's rules as they were, and none of vnetd's");
        assertFalse(host.execOk("nft", "list", "ruleset").contains("vnetd"), host.execOk("nft", "list", "ruleset"));
        assertTrue(Files.exists(libvirt.statusDir().resolve("default.xml")), "libvirt's status file is back");
        assertEquals(0, DaemonRpc.call(sock, "network.list", Map.of()).size(), "nothing of it is vnetd's");

        // libvirt's dnsmasq answers the guest's renewal
        DhcpLeaseInfo renewed = guest.client().awaitRenew(Duration.ofSeconds(150));
        assertEquals(guest.address(), renewed.address());
        guest.pinger().awaitReplies(guest.pinger().replies() + 5);

        // once the port is free, the takeover goes through
        squatter.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        JsonNode done = DaemonRpc.call(sock, "network.importLibvirt", libvirt.importParams(true, false));
        assertTrue(done.get("networks").get(0).get("takenOver").asBoolean(), done.toString());
        Await.until(Duration.ofSeconds(10), "libvirt's dnsmasq to end", () -> ended(again));
        assertFalse(rules(host).contains("LIBVIRT_"), rules(host));
        guest.pinger().awaitReplies(guest.pinger().replies() + 10);
        Pinger.Figures f = guest.pinger().stop();
        System.out.println("takeover-back: guest " + f);
        assertEquals(0, f.lost(), "lost pings: " + f);
    }

    /** iptables-save without comments and counters. */
    private static String rules(TestNetns ns) {
        return String.join("\n", ns.execOk("iptables-save").lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).toList());
    }

    /** Whether a process ended: libvirt's daemons are not this JVM's children, and the namespace's init reaps them. */
    private static boolean ended(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }
}
