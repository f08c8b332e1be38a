package org.vnetd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;
import org.vnetd.testing.dhcp.Udhcpc;

/**
 * vnetctl's exact output against the REAL daemon ({@link RealVnetd}) in a namespace of its own: a NAT and an
 * isolated network defined through vnetctl, the NAT one started, a real busybox udhcpc guest leasing an
 * address from it, then every listing command, the lifecycle messages, net-update, net-event and the
 * not-found error compared byte for byte. {@link GoldenOutputTest} covers the same layouts against a fake
 * daemon; this one proves the daemon's real answers come out the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RealDaemonGoldenTest {
    static final String LAB_UUID = "6b1e3c2a-9d4f-4e8a-b7c6-1a2b3c4d5e6f";
    static final String ISO_UUID = "0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";
    static final String GUEST_MAC = "52:54:00:88:01:0a";
    static final String LAB_XML = """
            <network>
              <name>Lab</name>
              <uuid>%s</uuid>
              <title>Lab net</title>
              <forward mode='nat'/>
              <bridge name='vntlab0' stp='on' delay='0'/>
              <mac address='52:54:00:88:01:01'/>
              <ip address='10.88.1.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='10.88.1.10' end='10.88.1.20'/>
                </dhcp>
              </ip>
            </network>
            """.formatted(LAB_UUID);
    static final String ISO_XML = """
            <network>
              <name>iso</name>
              <uuid>%s</uuid>
              <bridge name='vntiso0' stp='on' delay='0'/>
              <mac address='52:54:00:88:02:01'/>
              <ip address='10.88.2.1' prefix='24'/>
            </network>
            """.formatted(ISO_UUID);

    private TestNetns ns;
    private TestNetns guest;
    private RealVnetd daemon;
    private Udhcpc dhcp;
    private Path files;
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        NetnsSupport.require("nft", "busybox");
        files = Files.createTempDirectory("vnetctl-real");
        Files.writeString(files.resolve("lab.xml"), LAB_XML);
        Files.writeString(files.resolve("iso.xml"), ISO_XML);
        ns = TestNetns.create("clireal");
        guest = TestNetns.create("cliguest");
        daemon = new RealVnetd(ns, Files.createTempDirectory("vnetd-cli-real")).start("--no-default-network");
        cli = new Cli(daemon.socket());
    }

    @AfterAll
    void stop() throws Exception {
        if (dhcp != null) {
            dhcp.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (guest != null) {
            guest.close();
        }
        if (ns != null) {
            ns.close();
        }
        if (files != null) {
            try (var s = Files.walk(files)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void expect(String command, int status, String out, String err) {
        Cli.Result r = cli.run(command.split(" "));
        assertEquals(out, r.out(), "stdout of vnetctl " + command + "\nstderr: " + r.err() + "\n" + tail());
        assertEquals(err, r.err(), "stderr of vnetctl " + command);
        assertEquals(status, r.status(), "exit status of vnetctl " + command);
    }

    private String tail() {
        String log = daemon.log();
        return "daemon log tail:\n" + log.substring(Math.max(0, log.length() - 3000));
    }

    @Test
    @Order(1)
    void defineStartAndAutostartMessages() {
        expect("net-define " + files.resolve("lab.xml"), 0, "Network Lab defined from " + files.resolve("lab.xml") + "\n\n", "");
        expect("net-define " + files.resolve("iso.xml"), 0, "Network iso defined from " + files.resolve("iso.xml") + "\n\n", "");
        expect("net-start Lab", 0, "Network Lab started\n\n", "");
        expect("net-autostart Lab", 0, "Network Lab marked as autostarted\n\n", "");
        expect("net-start Lab", 1, "\n", """
                error: Failed to start network Lab
                error: Requested operation is not valid: network is already active
                """);
        expect("net-destroy iso", 1, "\n", """
                error: Failed to destroy network iso
                error: Requested operation is not valid: network 'iso' is not active
                """);
    }

    @Test
    @Order(2)
    void listings() {
        expect("net-list --all", 0, """
                 Name   State      Autostart   Persistent
                -------------------------------------------
                 iso    inactive   no          yes
                 Lab    active     yes         yes

                """, "");
        expect("net-list", 0, """
                 Name   State    Autostart   Persistent
                -----------------------------------------
                 Lab    active   yes         yes

                """, "");
        expect("net-list --all --title", 0, """
                 Name   State      Autostart   Persistent   Title
                -----------------------------------------------------
                 iso    inactive   no          yes         \s
                 Lab    active     yes         yes          Lab net

                """, "");
        expect("net-list --all --name", 0, "iso\nLab\n\n", "");
        expect("net-list --all --uuid", 0, ISO_UUID + "\n" + LAB_UUID + "\n\n", "");
        expect("net-list --inactive --name", 0, "iso\n\n", "");
        expect("net-list --all --autostart --name", 0, "Lab\n\n", "");
        expect("net-list --all --no-autostart --persistent --name", 0, "iso\n\n", "");
        expect("net-list --transient --name", 0, "\n", "");
        expect("net-list --all --table", 0, """
                 Name   State      Autostart   Persistent
                -------------------------------------------
                 iso    inactive   no          yes
                 Lab    active     yes         yes

                """, "");
        expect("-q net-list --all", 0, """
                 iso   inactive   no    yes
                 Lab   active     yes   yes
                """, "");
    }

    @Test
    @Order(3)
    void infoUuidNameAndXml() {
        expect("net-info Lab", 0, """
                Name:           Lab
                UUID:           %s
                Active:         yes
                Persistent:     yes
                Autostart:      yes
                Bridge:         vntlab0

                """.formatted(LAB_UUID), "");
        expect("net-info " + ISO_UUID, 0, """
                Name:           iso
                UUID:           %s
                Active:         no
                Persistent:     yes
                Autostart:      no
                Bridge:         vntiso0

                """.formatted(ISO_UUID), "");
        expect("net-uuid Lab", 0, LAB_UUID + "\n\n", "");
        expect("net-name " + ISO_UUID, 0, "iso\n\n", "");
        expect("net-dumpxml iso", 0, ISO_XML + "\n", "");
        // like virsh (libxml2 dumps an attribute node with its leading space)
        expect("net-dumpxml Lab --xpath //ip/@address", 0, " address=\"10.88.1.1\"\n\n", "");
        expect("net-info nosuch", 1, "\n", """
                error: failed to get network 'nosuch'
                error: Network not found: no network with matching name 'nosuch'
                """);
        expect("net-dumpxml 00000000-0000-4000-8000-000000000000", 1, "\n", """
                error: failed to get network '00000000-0000-4000-8000-000000000000'
                error: Network not found: no network with matching uuid '00000000-0000-4000-8000-000000000000'
                """);
    }

    @Test
    @Order(4)
    void leasesFromARealClient() {
        guest.veth("eth0", ns, "vntg0");
        guest.execOk("ip", "link", "set", "eth0", "down");
        guest.execOk("ip", "link", "set", "eth0", "address", GUEST_MAC);
        guest.execOk("ip", "link", "set", "eth0", "up");
        ns.execOk("ip", "link", "set", "vntg0", "master", "vntlab0");
        dhcp = new Udhcpc(new DhcpClientNs(guest, "eth0", GUEST_MAC), false, "guest1");
        dhcp.start();
        DhcpLeaseInfo lease = dhcp.awaitBound(Duration.ofSeconds(40));
        assertNotNull(lease.address(), "udhcpc got no address\n" + tail());
        String ip = lease.address();
        String ipCell = ip + "/24";
        int ipWidth = Math.max("IP address".length(), ipCell.length());
        String clientId = "01:" + GUEST_MAC;
        Cli.Result r = cli.run("net-dhcp-leases", "Lab");
        assertEquals(0, r.status(), r.err());
        // the expiry depends on the clock: checked for shape, then masked
        String masked = r.out().replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d", "YYYY-MM-DD hh:mm:ss");
        assertEquals(" Expiry Time           MAC address         Protocol   " + pad("IP address", ipWidth)
                + "   Hostname   Client ID or DUID\n"
                + "-".repeat(19 + 17 + 8 + ipWidth + 8 + clientId.length() + 18) + "\n"
                + " YYYY-MM-DD hh:mm:ss   " + GUEST_MAC + "   ipv4       " + pad(ipCell, ipWidth) + "   guest1     "
                + clientId + "\n\n", masked);
        assertEquals(r.out(), cli.run("net-dhcp-leases", "Lab", "--mac", GUEST_MAC.toUpperCase()).out());
        expect("net-dhcp-leases Lab --mac 52:54:00:00:00:99", 0, """
                 Expiry Time   MAC address   Protocol   IP address   Hostname   Client ID or DUID
                -----------------------------------------------------------------------------------

                """, "");
        expect("net-dhcp-leases nosuch", 1, "\n", """
                error: failed to get network 'nosuch'
                error: Network not found: no network with matching name 'nosuch'
                """);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    @Test
    @Order(5)
    void netUpdateLiveAndConfig() {
        Cli.Result r = cli.run("net-update", "Lab", "add", "ip-dhcp-host",
                "<host mac='52:54:00:88:01:0b' name='fixed' ip='10.88.1.5'/>", "--live", "--config");
        assertEquals("Updated network Lab persistent config and live state\n", r.out(), r.err());
        assertEquals(0, r.status());
        expect("net-dumpxml Lab --xpath //host", 0,
                "<host mac=\"52:54:00:88:01:0b\" name=\"fixed\" ip=\"10.88.1.5\"/>\n\n", "");
        expect("net-dumpxml Lab --inactive --xpath //host", 0,
                "<host mac=\"52:54:00:88:01:0b\" name=\"fixed\" ip=\"10.88.1.5\"/>\n\n", "");
        r = cli.run("net-update", "iso", "delete", "ip-dhcp-host", "<host mac='52:54:00:88:01:0c'/>");
        assertEquals(1, r.status(), r.out());
        assertTrue(r.err().startsWith("error: Failed to update network iso\n"), r.err());
    }

    /**
     * Runs {@code net-event --event EVENT} on the read-only socket and, once the daemon has confirmed the
     * subscription (its reply to {@code events.subscribe}, seen through a {@link SubscriptionTap}), the action;
     * returns what net-event printed.
     */
    private Cli.Result awaitEvent(String event, Runnable action) throws Exception {
        try (SubscriptionTap tap = SubscriptionTap.open(files.resolve("tap.sock"), daemon.readOnlySocket())) {
            CompletableFuture<Cli.Result> events = CompletableFuture.supplyAsync(
                    () -> new Cli(tap.path()).run("net-event", "--event", event, "--timeout", "20"));
            SubscriptionTap.awaitSubscribed(tap, events, Duration.ofSeconds(20));
            action.run();
            return events.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(6)
    void eventsDestroyAndUndefine() throws Exception {
        Cli.Result r = awaitEvent("lifecycle", () -> {
            Cli.Result started = cli.run("net-start", "iso");
            assertEquals("Network iso started\n\n", started.out(), started.err());
        });
        assertEquals("event 'lifecycle' for network iso: Started\nevents received: 1\n\n", r.out(), r.err());
        assertEquals(0, r.status());
        r = awaitEvent("metadata-change", () -> {
            Cli.Result set = cli.run("net-metadata", "Lab", "http://example.org/vnetctl", "--key", "ex", "--set",
                    "<lab owner='qa'/>", "--live");
            assertEquals("Metadata modified\n\n", set.out(), set.err());
        });
        assertEquals("event 'metadata-change' for network Lab: type element, uri http://example.org/vnetctl\n"
                + "events received: 1\n\n", r.out(), r.err());
        r = awaitEvent("metadata-change", () -> assertEquals(0, cli.run("net-desc", "Lab", "--title", "--live", "Lab 2").status()));
        assertEquals("event 'metadata-change' for network Lab: type title, uri (null)\nevents received: 1\n\n", r.out());
        expect("net-autostart --disable Lab", 0, "Network Lab unmarked as autostarted\n\n", "");
        expect("net-destroy iso", 0, "Network iso destroyed\n\n", "");
        expect("net-undefine iso", 0, "Network iso has been undefined\n\n", "");
        expect("net-undefine Lab", 0, "Network Lab has been undefined\n\n", "");
        expect("net-list --all", 0, """
                 Name   State    Autostart   Persistent
                -----------------------------------------
                 Lab    active   no          no

                """, "");
        expect("net-destroy Lab", 0, "Network Lab destroyed\n\n", "");
        expect("net-list --all --name", 0, "\n", "");
        expect("net-create " + files.resolve("iso.xml"), 0, "Network iso created from " + files.resolve("iso.xml") + "\n\n", "");
        expect("net-list --transient --name", 0, "iso\n\n", "");
        expect("net-list --persistent --name", 0, "\n", "");
        Cli.Result json = cli.run("--json", "net-list", "--all");
        assertTrue(json.out().contains("\"name\" : \"iso\"") && json.out().contains("\"uuid\" : \"" + ISO_UUID + "\""), json.out());
        expect("net-destroy iso", 0, "Network iso destroyed\n\n", "");
        expect("net-list --all --name", 0, "\n", "");
        expect("net-start iso", 1, "\n", """
                error: failed to get network 'iso'
                error: Network not found: no network with matching name 'iso'
                """);
    }
}
