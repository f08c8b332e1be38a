package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

/**
 * Real {@code virsh} (Debian's libvirt-clients, unchanged) against the real daemon in a namespace of its
 * own, through {@code network:///system?socket=RUN_DIR/libvirt/virtnetworkd-sock}: the commands a libvirt
 * user types, their output, libvirt's error messages, and the read-only socket as an unprivileged user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VirshNetnsTest {
    private static final String NOBODY = "65534";

    private TestNetns ns;
    private VnetdProcess vnetd;
    private Path dir;
    private String rw;
    private String ro;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        NetnsSupport.require("nft", "virsh", "setpriv");
        ns = TestNetns.create("virsh");
        dir = Files.createDirectory(tmp.resolve("vnetd"));
        // an unprivileged client must reach the read-only socket under it
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        vnetd = new VnetdProcess(ns, dir, "DEBUG").start(() -> DaemonRpc.answers(dir.resolve("run"))
                && Files.exists(dir.resolve("run/libvirt").resolve(LibvirtServer.READ_ONLY_SOCKET)));
        rw = "network:///system?socket=" + vnetd.runDir().resolve("libvirt").resolve(LibvirtServer.SOCKET);
        ro = "network:///system?socket=" + vnetd.runDir().resolve("libvirt").resolve(LibvirtServer.READ_ONLY_SOCKET);
    }

    @AfterAll
    void stop() {
        if (vnetd != null) {
            vnetd.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private Exec.Result virsh(String uri, String... args) {
        List<String> argv = new ArrayList<>(List.of("virsh", "-c", uri));
        argv.addAll(List.of(args));
        return Exec.run(argv.toArray(String[]::new));
    }

    private String ok(String... args) {
        Exec.Result r = virsh(rw, args);
        assertEquals(0, r.exitCode(), () -> "virsh " + String.join(" ", args) + " failed: " + r.stderr() + "\n" + vnetd.log());
        return r.stdout();
    }

    /** Without {@code -q}, for the header lines. */
    private String plain(String... args) {
        List<String> argv = new ArrayList<>(List.of("virsh", "-c", rw));
        argv.addAll(List.of(args));
        Exec.Result r = Exec.run(argv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout();
    }

    private Exec.Result asNobody(String uri, String... args) {
        List<String> argv = new ArrayList<>(List.of("env", "HOME=/tmp", "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "virsh", "-c", uri));
        argv.addAll(List.of(args));
        return Exec.run(argv.toArray(String[]::new));
    }

    private static String net(String name, String bridge, String prefix) {
        return "<network><name>" + name + "</name><forward mode='nat'/><bridge name='" + bridge + "'/>"
                + "<ip address='" + prefix + ".1' netmask='255.255.255.0'><dhcp><range start='" + prefix + ".10' end='"
                + prefix + ".20'/></dhcp></ip></network>";
    }

    @Test
    void netListShowsTheDefaultNetworkAsVirshFormatsIt() {
        assertEquals("""
                 Name      State    Autostart   Persistent
                --------------------------------------------
                 default   active   yes         yes

                """, plain("net-list", "--all"));
        assertEquals("default\n\n", ok("net-list", "--name"));
        assertTrue(ok("net-info", "default").matches("(?s)Name:\\s+default\nUUID:\\s+[0-9a-f-]{36}\nActive:\\s+yes\n"
                + "Persistent:\\s+yes\nAutostart:\\s+yes\nBridge:\\s+virbr0\n\n"), ok("net-info", "default"));
    }

    @Test
    void theLifecycleOfANetworkThroughVirsh() throws Exception {
        Path xml = dir.resolve("lv1.xml");
        Files.writeString(xml, net("lv1", "vbr-lv1", "10.91.0"));
        assertEquals("Network lv1 defined from " + xml + "\n\n", ok("net-define", xml.toString()));
        assertEquals(List.of("lv1", "inactive", "no", "yes"), row(ok("net-list", "--all"), " lv1 "));
        assertEquals("lv1\n\n", ok("net-list", "--inactive", "--name"));
        String uuid = ok("net-uuid", "lv1").strip();
        assertEquals("lv1", ok("net-name", uuid).strip());
        assertTrue(ok("net-info", uuid).contains("Name:           lv1\n"), "net-info by uuid");
        assertEquals("Network lv1 started\n\n", ok("net-start", "lv1"));
        assertEquals("Network lv1 marked as autostarted\n\n", ok("net-autostart", "lv1"));
        assertEquals(List.of("lv1", "active", "yes", "yes"), row(ok("net-list", "--all"), " lv1 "));
        assertTrue(ns.execOk("ip", "-br", "addr", "show", "vbr-lv1").contains("10.91.0.1/24"), "the bridge is up in the namespace");

        // the same service layer as the JSON RPC: virsh sees what vnetctl sees
        String live = DaemonRpc.call(vnetd.runDir().resolve(RpcServer.SOCKET), "network.getXml", Map.of("network", "lv1"))
                .get("xml").asText();
        assertEquals(live.strip(), ok("net-dumpxml", "lv1").strip());

        assertEquals("Updated network lv1 persistent config and live state\n", ok("net-update", "lv1", "add", "ip-dhcp-host",
                "<host mac='52:54:00:aa:00:01' name='g1' ip='10.91.0.11'/>", "--live", "--config"));
        assertTrue(ok("net-dumpxml", "lv1").contains("<host mac='52:54:00:aa:00:01' name='g1' ip='10.91.0.11'/>"));
        assertTrue(ok("net-dumpxml", "--inactive", "lv1").contains("<host mac='52:54:00:aa:00:01' name='g1' ip='10.91.0.11'/>"));
        assertEquals("Updated network lv1 live state\n", ok("net-update", "lv1", "delete", "ip-dhcp-host",
                "<host mac='52:54:00:aa:00:01' name='g1' ip='10.91.0.11'/>", "--live"));
        assertFalse(ok("net-dumpxml", "lv1").contains("52:54:00:aa:00:01"), "gone from the live network");
        assertTrue(ok("net-dumpxml", "--inactive", "lv1").contains("52:54:00:aa:00:01"), "kept in the definition");

        String noLeases = " Expiry Time   MAC address   Protocol   IP address   Hostname   Client ID or DUID\n"
                + "-----------------------------------------------------------------------------------\n\n";
        assertEquals(noLeases, ok("net-dhcp-leases", "lv1"));
        assertEquals(noLeases, ok("net-dhcp-leases", "lv1", "--mac", "52:54:00:aa:00:01"));

        assertEquals("Network lv1 destroyed\n\n", ok("net-destroy", "lv1"));
        assertEquals(List.of("lv1", "inactive", "yes", "yes"), row(ok("net-list", "--all"), " lv1 "));
        assertEquals("Network lv1 unmarked as autostarted\n\n", ok("net-autostart", "--disable", "lv1"));
        assertEquals("Network lv1 has been undefined\n\n", ok("net-undefine", "lv1"));
        assertFalse(ok("net-list", "--all", "--name").contains("lv1"), "undefined");
    }

    @Test
    void aTransientNetworkFromNetCreateVanishesWhenDestroyed() throws Exception {
        Path xml = dir.resolve("lv2.xml");
        Files.writeString(xml, net("lv2", "vbr-lv2", "10.92.0"));
        assertEquals("Network lv2 created from " + xml + "\n\n", ok("net-create", xml.toString()));
        assertEquals(List.of("lv2", "active", "no", "no"), row(ok("net-list", "--all"), " lv2 "));
        Exec.Result undefine = virsh(rw, "net-undefine", "lv2");
        assertEquals("error: Failed to undefine network lv2\nerror: Requested operation is not valid: can't undefine transient network\n",
                undefine.stderr());
        assertEquals("Network lv2 destroyed\n\n", ok("net-destroy", "lv2"));
        assertFalse(ok("net-list", "--all", "--name").contains("lv2"), "a destroyed transient network is gone");
    }

    @Test
    void netEventPrintsTheLifecycleOfTheNetworkItWatches() throws Exception {
        Path xml = dir.resolve("lv3.xml");
        Files.writeString(xml, net("lv3", "vbr-lv3", "10.93.0"));
        ok("net-define", xml.toString());
        int registered = callbacksRegistered();
        Process watch = new ProcessBuilder("virsh", "-c", rw, "net-event", "--network", "lv3", "--event", "lifecycle", "--loop")
                .redirectErrorStream(true).start();
        try {
            Await.until(Duration.ofSeconds(20), "virsh net-event registered its callback", () -> callbacksRegistered() > registered);
            // another network's events do not reach a callback registered for lv3
            Path other = dir.resolve("lv4.xml");
            Files.writeString(other, net("lv4", "vbr-lv4", "10.94.0"));
            ok("net-define", other.toString());
            ok("net-undefine", "lv4");
            ok("net-start", "lv3");
            ok("net-destroy", "lv3");
            ok("net-undefine", "lv3");
            BufferedReader out = watch.inputReader();
            CompletableFuture<List<String>> printed = CompletableFuture.supplyAsync(() -> {
                List<String> lines = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) {
                        lines.add(out.readLine());
                    }
                } catch (IOException e) {
                    lines.add(e.toString());
                }
                return lines;
            });
            assertEquals(List.of("event 'lifecycle' for network lv3: Started", "event 'lifecycle' for network lv3: Stopped",
                    "event 'lifecycle' for network lv3: Undefined"), printed.get(20, TimeUnit.SECONDS));
        } finally {
            watch.destroyForcibly();
            watch.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private int callbacksRegistered() {
        return (int) vnetd.log().lines().filter(l -> l.contains("registered lifecycle callback")).count();
    }

    @Test
    void portsVnetdMadeAreListedShownAndDeletedThroughVirsh() throws Exception {
        Path xml = dir.resolve("lvp.xml");
        Files.writeString(xml, net("lvp", "vbr-lvp", "10.95.0"));
        ok("net-create", xml.toString());
        try {
            Path rpc = vnetd.runDir().resolve(RpcServer.SOCKET);
            String uuid = DaemonRpc.call(rpc, "port.create", Map.of("network", "lvp", "mac", "52:54:00:95:00:01")).get("uuid").asText();
            assertTrue(ok("net-port-list", "lvp").contains(" " + uuid + "\n"), ok("net-port-list", "lvp"));
            String portXml = DaemonRpc.call(rpc, "port.getXml", Map.of("uuid", uuid)).get("xml").asText();
            assertEquals(portXml.strip(), ok("net-port-dumpxml", "lvp", uuid).strip());
            // a port whose tap the client makes (virtqemud's way): it gets its plug and keeps its uuid
            Path portXml2 = dir.resolve("port.xml");
            String clientPort = "8d7c3a1e-5b2f-4c6d-9e0a-1f2b3c4d5e6f";
            Files.writeString(portXml2, "<networkport><uuid>" + clientPort + "</uuid><owner><name>guest1</name>"
                    + "<uuid>11111111-2222-3333-4444-555555555555</uuid></owner><mac address='52:54:00:95:00:02'/></networkport>");
            assertEquals("Network port " + clientPort + " created from " + portXml2 + "\n\n", ok("net-port-create", "lvp",
                    portXml2.toString()));
            assertEquals("""
                    <networkport>
                      <uuid>8d7c3a1e-5b2f-4c6d-9e0a-1f2b3c4d5e6f</uuid>
                      <owner>
                        <name>guest1</name>
                        <uuid>11111111-2222-3333-4444-555555555555</uuid>
                      </owner>
                      <mac address='52:54:00:95:00:02'/>
                      <plug type='network' bridge='vbr-lvp'/>
                    </networkport>
                    """, ok("net-port-dumpxml", "lvp", clientPort).strip() + "\n");
            assertTrue(ns.exec("ip", "link", "show", "master", "vbr-lvp").stdout().lines().count() == 2,
                    "no tap made for it: only the JSON port's tap is on the bridge");
            Exec.Result twice = virsh(rw, "net-port-create", "lvp", portXml2.toString());
            assertTrue(twice.stderr().contains("error: network port Network port with UUID " + clientPort + " already exists exists already"), twice.stderr());
            assertEquals("Network port " + clientPort + " deleted\n\n", ok("net-port-delete", "lvp", clientPort));
            assertEquals("Network port " + uuid + " deleted\n\n", ok("net-port-delete", "lvp", uuid));
            assertEquals(0, DaemonRpc.call(rpc, "port.list", Map.of("network", "lvp")).size(), "gone for the JSON RPC too");
            Exec.Result again = virsh(rw, "net-port-dumpxml", "lvp", uuid);
            // (virsh 9.0 exits 0 here, against libvirtd too)
            assertTrue(again.stderr().startsWith("error: failed to get network port '" + uuid + "'"), again.stderr());
        } finally {
            virsh(rw, "net-destroy", "lvp");
        }
    }

    @Test
    void errorsComeWithLibvirtsWording() {
        Exec.Result r = virsh(rw, "net-info", "nope");
        assertEquals(1, r.exitCode());
        assertEquals("error: failed to get network 'nope'\nerror: Network not found: no network with matching name 'nope'\n", r.stderr());
        r = virsh(rw, "net-start", "default");
        assertEquals("error: Failed to start network default\nerror: Requested operation is not valid: network is already active\n",
                r.stderr());
    }

    @Test
    void theReadOnlySocketServesReadsToAnyUserAndDeniesChanges() {
        Exec.Result list = asNobody(ro, "net-list", "--all");
        assertEquals(0, list.exitCode(), list.stderr());
        assertTrue(list.stdout().contains(" default   active   yes         yes"), list.stdout());
        Exec.Result destroy = asNobody(ro, "net-destroy", "default");
        assertEquals("error: Failed to destroy network default\nerror: operation forbidden: read only access prevents virNetworkDestroy\n",
                destroy.stderr());
        Exec.Result autostart = asNobody(ro, "net-autostart", "--disable", "default");
        assertTrue(autostart.stderr().contains("operation forbidden: read only access prevents virNetworkSetAutostart"), autostart.stderr());
        assertEquals(List.of("default", "active", "yes", "yes"), row(ok("net-list", "--all"), " default "), "nothing changed");
    }

    @Test
    void theReadWriteSocketRefusesNonRoot() throws Exception {
        Path sock = vnetd.runDir().resolve("libvirt").resolve(LibvirtServer.SOCKET);
        Exec.Result byMode = asNobody(rw, "net-list");
        assertEquals(1, byMode.exitCode(), "0600 keeps others out");
        // even with the mode opened up, the daemon checks the peer's uid itself
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            Exec.Result r = asNobody(rw, "net-list");
            assertEquals(1, r.exitCode(), r.stdout());
            assertEquals("error: failed to connect to the hypervisor\nerror: access denied: only root may use libvirt's read-write "
                    + "socket; the read-only socket is virtnetworkd-sock-ro\n", r.stderr());
            assertTrue(vnetd.log().contains("refusing a libvirt connection from pid="), vnetd.log());
        } finally {
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** The cells of the table row of network {@code name}. */
    private static List<String> row(String output, String name) {
        return output.lines().map(String::strip).filter(l -> l.startsWith(name.strip() + " ")).findFirst()
                .map(l -> List.of(l.split("\\s+"))).orElse(List.of("no row for " + name + " in:\n" + output));
    }

    private static String line(String output, String containing) {
        return output.lines().filter(l -> l.contains(containing)).findFirst().orElse("(no line with '" + containing + "' in:\n"
                + output + ")") + "\n";
    }
}
