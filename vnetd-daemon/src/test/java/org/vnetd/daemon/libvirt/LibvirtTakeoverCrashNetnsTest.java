package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * A daemon killed (SIGKILL) in the middle of a takeover gives the network back to libvirt when it starts again.
 * Debian's libvirtd runs {@code default} with a guest pinging upstream through the NAT; libvirtd is stopped; vnetd
 * runs the import with its fault-injection point set to pause right after libvirt's dnsmasq stopped (libvirt's
 * rules gone too, its status file aside, vnetd's rules in, its services not yet started), and the test kills it
 * there. Started again, vnetd finds the unfinished takeover and gives the network back: libvirt's rules line for
 * line as before and none of vnetd's, libvirt's dnsmasq running again from its own config file (a new pid in its
 * pid file) and renewing the guest's lease, its status file back, the release record gone, the definition the
 * interrupted import made undefined again (it would otherwise autostart against libvirt's network), not one ping
 * lost. A second import then takes the network over.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LibvirtTakeoverCrashNetnsTest {
    static final String DEFAULT = LibvirtTakeoverNetnsTest.DEFAULT;

    private LibvirtHostNetns libvirt;
    private VnetdProcess vnetd;
    private Process namespaceHolder;
    private Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        if (vnetd != null) {
            vnetd.close();
        }
        if (namespaceHolder != null) {
            namespaceHolder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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
    void aDaemonKilledInTheMiddleOfATakeoverGivesTheNetworkBackWhenItStartsAgain() throws Exception {
        NetnsSupport.require("virsh", "libvirtd", "dnsmasq", "unshare", "nsenter", "iptables-save", "dhclient", "ping", "sleep");
        dir = Files.createTempDirectory("vnetd-takeover-crash");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        libvirt = LibvirtHostNetns.start("tkcrash", dir).withUpstream("tkcup");
        TestNetns host = libvirt.ns();
        libvirt.defineAndStart("default", DEFAULT, true);
        Guest guest = libvirt.guest("tc", 1, "virbr0", "192.168.122.1");
        long dnsmasq = libvirt.dnsmasqPid("default");
        String rulesBefore = rules(host);
        assertTrue(rulesBefore.contains("LIBVIRT_"), rulesBefore);
        // On a host libvirt's daemons run in the host's mount namespace, which outlives any vnetd. This libvirtd has
        // one of its own, which would end with its last process once dnsmasq stops: the test holds it, as a host does.
        namespaceHolder = new ProcessBuilder("nsenter", "--mount=/proc/" + dnsmasq + "/ns/mnt", "--", "sleep", "600").start();
        Await.until(Duration.ofSeconds(10), "the holder to be in libvirt's mount namespace", () -> Files.readSymbolicLink(
                Path.of("/proc/" + namespaceHolder.pid() + "/ns/mnt")).equals(Files.readSymbolicLink(Path.of("/proc/" + dnsmasq + "/ns/mnt"))));
        libvirt.stopLibvirtd();
        System.out.println("takeover-crash: libvirt's network runs with a guest; libvirtd stopped");

        vnetd = new VnetdProcess(host, dir.resolve("vnetd"), "INFO").environment(Map.of("VNETD_TEST_PAUSE_RELEASE_AT", "dnsmasq-stopped"));
        vnetd.start(() -> DaemonRpc.answers(vnetd.runDir()), "--no-default-network");
        Path sock = vnetd.runDir().resolve(RpcServer.SOCKET);
        Path record = vnetd.runDir().resolve("libvirt-release/default.json");
        // its own thread: the common pool is where the fixtures read commands' output, and this call blocks until the kill
        CompletableFuture<JsonNode> importing = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("takeover-crash-import").start(() -> {
            try {
                importing.complete(DaemonRpc.call(sock, "network.importLibvirt", libvirt.importParams(true, false)));
            } catch (IOException | RuntimeException e) {
                importing.completeExceptionally(e);
            }
        });
        System.out.println("takeover-crash: " + java.time.Instant.now() + " importing");
        Await.until(Duration.ofSeconds(120), "the release to pause after stopping libvirt's dnsmasq",
                () -> vnetd.log().contains("paused for a test after the release step 'dnsmasq-stopped'"));
        System.out.println("takeover-crash: " + java.time.Instant.now() + " paused");
        // half-way: libvirt has let go (its dnsmasq ended, its rules gone, its status aside), vnetd serves nothing yet
        Await.until(Duration.ofSeconds(10), "libvirt's dnsmasq to be gone", () -> ended(dnsmasq));
        System.out.println("takeover-crash: " + java.time.Instant.now() + " dnsmasq gone");
        assertFalse(rules(host).contains("LIBVIRT_"), rules(host));
        System.out.println("takeover-crash: " + java.time.Instant.now() + " rules read");
        assertFalse(Files.exists(libvirt.statusDir().resolve("default.xml")), "libvirt's status file is aside");
        assertTrue(Files.exists(record), () -> "the release is on record; " + listing(vnetd.runDir()) + "; the log:\n" + vnetd.log());
        System.out.println("takeover-crash: paused after libvirt's dnsmasq stopped; killing vnetd");
        vnetd.kill9();
        assertTrue(importing.handle((r, e) -> e != null).get(30, TimeUnit.SECONDS), "the import's connection ended with the daemon");

        vnetd.environment(Map.of());
        vnetd.start(() -> DaemonRpc.answers(vnetd.runDir()), "--no-default-network");
        vnetd.log().lines().forEach(l -> System.out.println("takeover-crash: vnetd: " + l));
        assertTrue(vnetd.log().contains("network 'default': given back to libvirt"), vnetd.log());

        // libvirt's again, as it was: its dnsmasq from its own config file, its rules, its status
        long again = libvirt.dnsmasqPid("default");
        assertNotEquals(dnsmasq, again);
        String cmdline = Files.readString(Path.of("/proc/" + again + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.startsWith("/usr/sbin/dnsmasq --conf-file=/var/lib/libvirt/dnsmasq/default.conf"), cmdline);
        assertEquals(rulesBefore, rules(host), "libvirt's rules as they were, and none of vnetd's");
        assertFalse(host.execOk("nft", "list", "ruleset").contains("vnetd"), host.execOk("nft", "list", "ruleset"));
        assertTrue(Files.exists(libvirt.statusDir().resolve("default.xml")), "libvirt's status file is back");
        assertFalse(Files.exists(libvirt.statusDir().resolve("default.xml.vnetd")));
        assertFalse(Files.exists(record), "the release record is gone once the network is given back");
        // nothing of it is vnetd's: the definition the interrupted import made is gone, so nothing autostarts against libvirt's
        assertEquals(0, DaemonRpc.call(sock, "network.list", Map.of()).size(), vnetd.log());
        assertFalse(Files.exists(vnetd.runDir().resolve("libvirt-import.json")), "the interrupted import is finished");

        // libvirt's dnsmasq answers the guest's renewal
        DhcpLeaseInfo renewed = guest.client().awaitRenew(Duration.ofSeconds(150));
        assertEquals(guest.address(), renewed.address());
        guest.pinger().awaitReplies(guest.pinger().replies() + 5);

        // and the network can be taken over again
        JsonNode done = DaemonRpc.call(sock, "network.importLibvirt", libvirt.importParams(true, false));
        assertTrue(done.get("networks").get(0).get("takenOver").asBoolean(), done.toString());
        Await.until(Duration.ofSeconds(10), "libvirt's dnsmasq to end", () -> ended(again));
        assertFalse(rules(host).contains("LIBVIRT_"), rules(host));
        assertFalse(Files.exists(record), "the release record is gone once the takeover is complete");
        guest.pinger().awaitReplies(guest.pinger().replies() + 10);
        Pinger.Figures f = guest.pinger().stop();
        System.out.println("takeover-crash: guest " + f);
        assertEquals(0, f.lost(), "lost pings: " + f);
    }

    private static String listing(Path dir) {
        try (var paths = Files.walk(dir)) {
            return paths.map(Path::toString).toList().toString();
        } catch (IOException e) {
            return e.toString();
        }
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
