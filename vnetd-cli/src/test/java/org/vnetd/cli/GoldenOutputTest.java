package org.vnetd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-for-byte output and exit status of every command against {@link FakeVnetd}: tables with virsh's
 * spacing and dash line, net-info, leases, ports, the success messages and the error lines. The layouts
 * virsh can show itself are also diffed against real virsh in {@link VirshDifferentialTest}.
 */
class GoldenOutputTest {
    @TempDir
    Path dir;
    FakeVnetd daemon;
    Cli cli;

    @BeforeEach
    void start() throws IOException {
        daemon = new FakeVnetd(dir.resolve("vnetd.sock"));
        cli = new Cli(daemon.socket());
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("net-list --all", 0, """
                         Name       State      Autostart   Persistent
                        -----------------------------------------------
                         Beta       active     no          no
                         default    active     yes         yes
                         isolated   inactive   no          yes

                        """, ""),
                Arguments.of("net-list", 0, """
                         Name      State    Autostart   Persistent
                        --------------------------------------------
                         Beta      active   no          no
                         default   active   yes         yes

                        """, ""),
                Arguments.of("net-list --all --title", 0, """
                         Name       State      Autostart   Persistent   Title
                        ---------------------------------------------------------
                         Beta       active     no          no          \s
                         default    active     yes         yes         \s
                         isolated   inactive   no          yes          Lab net

                        """, ""),
                Arguments.of("net-list --transient --name", 0, "Beta\n\n", ""),
                Arguments.of("net-list --all --no-autostart --persistent --name", 0, "isolated\n\n", ""),
                Arguments.of("-q net-list --all", 0, """
                         Beta       active     no    no
                         default    active     yes   yes
                         isolated   inactive   no    yes
                        """, ""),
                Arguments.of("net-info default", 0, """
                        Name:           default
                        UUID:           dd8fe884-6c02-601e-7551-cca97df1c5df
                        Active:         yes
                        Persistent:     yes
                        Autostart:      yes
                        Bridge:         virbr0

                        """, ""),
                Arguments.of("net-dhcp-leases default", 0, """
                         Expiry Time           MAC address         Protocol   IP address          Hostname   Client ID or DUID
                        -----------------------------------------------------------------------------------------------------------
                         2025-11-24 17:00:00   52:54:00:AA:00:01   ipv4       192.168.122.10/24   -          -
                         2025-11-24 16:00:00   52:54:00:aa:00:02   ipv4       192.168.122.20/24   guest2     01:52:54:00:aa:00:02

                        """, ""),
                Arguments.of("net-stats default", 0, """
                        Name:           default
                        DHCP:           received 12, malformed 1, ignored 2; offers 4, acks 4, naks 1
                        RA:             sent 7, send failures 0
                        RS:             answered 30 (rate-limited 28); dropped: malformed 5, invalid 2, queue overflow 0

                        """, ""),
                Arguments.of("net-stats isolated", 0, """
                        Name:           isolated
                        Services:       none running

                        """, ""),
                Arguments.of("net-dhcp-leases default --mac 52:54:00:aa:00:02", 0, """
                         Expiry Time           MAC address         Protocol   IP address          Hostname   Client ID or DUID
                        -----------------------------------------------------------------------------------------------------------
                         2025-11-24 16:00:00   52:54:00:aa:00:02   ipv4       192.168.122.20/24   guest2     01:52:54:00:aa:00:02

                        """, ""),
                Arguments.of("net-port-list default", 0, """
                         UUID
                        ---------------------------------------
                         a1b3c5d7-0000-4000-8000-000000000001
                         b2c4e6f8-0000-4000-8000-000000000002

                        """, ""),
                Arguments.of("net-port-list default --uuid", 0,
                        "a1b3c5d7-0000-4000-8000-000000000001\nb2c4e6f8-0000-4000-8000-000000000002\n\n", ""),
                Arguments.of("net-port-dumpxml default a1b3c5d7-0000-4000-8000-000000000001 --xpath //mac", 0,
                        "<mac address=\"52:54:00:00:00:01\"/>\n\n", ""),
                Arguments.of("net-port-delete default a1b3c5d7-0000-4000-8000-000000000001", 0,
                        "Network port a1b3c5d7-0000-4000-8000-000000000001 deleted\n\n", ""),
                Arguments.of("net-port-delete default 00000000-0000-4000-8000-000000000009", 1, "\n", """
                        error: failed to get network port '00000000-0000-4000-8000-000000000009'
                        error: Network port not found: no network port with matching uuid '00000000-0000-4000-8000-000000000009'
                        """),
                Arguments.of("net-start isolated", 0, "Network isolated started\n\n", ""),
                Arguments.of("net-start default", 1, "\n", """
                        error: Failed to start network default
                        error: Requested operation is not valid: network is already active
                        """),
                Arguments.of("net-start nosuch", 1, "\n", """
                        error: failed to get network 'nosuch'
                        error: Network not found: no network with matching name 'nosuch'
                        """),
                Arguments.of("net-destroy default", 0, "Network default destroyed\n\n", ""),
                Arguments.of("net-destroy isolated", 1, "\n", """
                        error: Failed to destroy network isolated
                        error: Requested operation is not valid: network 'isolated' is not active
                        """),
                Arguments.of("net-undefine isolated", 0, "Network isolated has been undefined\n\n", ""),
                Arguments.of("net-autostart isolated", 0, "Network isolated marked as autostarted\n\n", ""),
                Arguments.of("net-autostart --disable default", 0, "Network default unmarked as autostarted\n\n", ""),
                Arguments.of("-q net-start isolated", 0, "", ""),
                Arguments.of("net-update default add ip-dhcp-host <host/>", 0,
                        "Updated network default live state\n", ""),
                Arguments.of("net-update isolated add ip-dhcp-host <host/>", 0,
                        "Updated network isolated persistent config\n", ""),
                Arguments.of("net-update default delete ip-dhcp-host <host/> --live --config", 0,
                        "Updated network default persistent config and live state\n", ""),
                Arguments.of("net-update default modify dns-host <host/> --config", 0,
                        "Updated network default persistent config\n", ""),
                Arguments.of("net-update default add ip-dhcp-host /nonexistent.xml", 1, "\n",
                        "error: Failed to open file '/nonexistent.xml': No such file or directory\n"),
                Arguments.of("net-desc isolated --title", 0, "Lab net\n", ""),
                Arguments.of("net-desc default", 0, "No description for network: default\n", ""),
                Arguments.of("net-desc default new text here", 0, "Network description updated successfully\n", ""),
                Arguments.of("net-metadata default http://example.org/x", 1, "\n",
                        "error: metadata not found: Requested metadata element is not present\n"),
                Arguments.of("net-metadata default http://example.org/x --set <a/>", 1, "\n",
                        "error: namespace key is required when modifying metadata\n"),
                Arguments.of("net-metadata default http://example.org/x --key ex --set <a/>", 0,
                        "Metadata modified\n\n", ""),
                Arguments.of("net-metadata default http://example.org/x --remove", 0, "Metadata removed\n\n", ""),
                Arguments.of("net-event --list", 0, "lifecycle\nmetadata-change\n\n", ""),
                Arguments.of("firewall-reload", 0, "Firewall rules reloaded\n\n", ""),
                Arguments.of("import-libvirt --takeover --dry-run --config /etc/libvirt/qemu/networks", 0, """
                        Dry run: nothing was changed.
                        Network default (0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01, bridge virbr0): to import, to take over
                          define it as libvirt keeps it
                          configDir /etc/libvirt/qemu/networks
                        Network tr (0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c04, bridge virbr3): skipped
                          transient and running in libvirt: not imported (only --takeover moves it)

                        """, ""),
                Arguments.of("import-libvirt --config /etc/../etc/libvirt/qemu/networks", 0, """
                        Network default (0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01, bridge virbr0): imported
                          define it as libvirt keeps it
                          configDir /etc/libvirt/qemu/networks
                        Network tr (0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c04, bridge virbr3): skipped
                          transient and running in libvirt: not imported (only --takeover moves it)

                        """, ""),
                Arguments.of("net-define /nonexistent.xml", 1, "\n",
                        "error: Failed to open file '/nonexistent.xml': No such file or directory\n"),
                Arguments.of("help network", 0, """
                         Networking (help keyword 'network'):
                            net-autostart                  autostart a network
                            net-create                     create a network from an XML file
                            net-define                     define an inactive persistent virtual network or modify an existing persistent one from an XML file
                            net-desc                       show or set network's description or title
                            net-destroy                    destroy (stop) a network
                            net-dhcp-leases                print lease info for a given network
                            net-dumpxml                    network information in XML
                            net-edit                       edit XML configuration for a network
                            net-event                      Network Events
                            net-info                       network information
                            net-list                       list networks
                            net-metadata                   show or set network's custom XML metadata
                            net-name                       convert a network UUID to network name
                            net-start                      start a (previously defined) inactive network
                            net-undefine                   undefine a persistent network
                            net-update                     update parts of an existing network's configuration
                            net-uuid                       convert a network name to network UUID
                            net-port-list                  list network ports
                            net-port-create                create a network port from an XML file
                            net-port-dumpxml               network port information in XML
                            net-port-delete                delete the specified network port

                        """, ""),
                Arguments.of("help net-list", 0, """
                          NAME
                            net-list - list networks

                          SYNOPSIS
                            net-list [--inactive] [--all] [--persistent] [--transient] [--autostart] [--no-autostart] [--uuid] [--name] [--table] [--title]

                          DESCRIPTION
                            Returns list of networks.

                          OPTIONS
                            --inactive       list inactive networks
                            --all            list inactive & active networks
                            --persistent     list persistent networks
                            --transient      list transient networks
                            --autostart      list networks with autostart enabled
                            --no-autostart   list networks with autostart disabled
                            --uuid           list uuid's only
                            --name           list network names only
                            --table          list table (default)
                            --title          show network title


                        """, ""));
    }

    @Test
    void netInfoOfADegradedNetworkSaysWhyAfterActive() {
        daemon.networks.get("default").put("degraded", "DHCP: lease log cannot be written (No space left on device)");
        Cli.Result r = cli.run("net-info", "default");
        assertEquals("""
                Name:           default
                UUID:           dd8fe884-6c02-601e-7551-cca97df1c5df
                Active:         yes
                Degraded:       DHCP: lease log cannot be written (No space left on device)
                Persistent:     yes
                Autostart:      yes
                Bridge:         virbr0

                """, r.out());
        assertEquals(0, r.status());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void output(String line, int status, String out, String err) {
        Cli.Result r = cli.run(line.split(" (?=(?:[^<]*<[^>]*>)*[^>]*$)"));
        assertEquals(out, r.out(), "stdout of " + line);
        assertEquals(err, r.err(), "stderr of " + line);
        assertEquals(status, r.status(), "exit status of " + line);
    }

    @Test
    void defineAndCreateNameTheNetworkAndTheFile() throws IOException {
        Path file = dir.resolve("net.xml");
        Files.writeString(file, "<network><name>lab</name></network>");
        Cli.Result r = cli.run("net-define", file.toString());
        assertEquals("Network lab defined from " + file + "\n\n", r.out());
        assertEquals(0, r.status());
        Files.writeString(file, "<network><name>tmp</name></network>");
        r = cli.run("net-create", file.toString());
        assertEquals("Network tmp created from " + file + "\n\n", r.out());
        Files.writeString(file, "<network/>");
        r = cli.run("net-define", file.toString());
        assertEquals(1, r.status());
        assertEquals("error: Failed to define network from " + file + "\n"
                + "error: XML error: missing <name> in network definition\n", r.err());
    }

    @Test
    void portCreateSendsTheMacFromTheNetworkportXml() throws IOException {
        Path file = dir.resolve("port.xml");
        Files.writeString(file, "<networkport><mac address='52:54:00:12:34:56'/><group>eng</group></networkport>");
        Cli.Result r = cli.run("net-port-create", "default", file.toString());
        assertEquals("Network port c0ffee00-0000-4000-8000-000000000003 created from " + file + "\n\n", r.out());
        var params = daemon.requests.getLast().path("params");
        assertEquals("52:54:00:12:34:56", params.path("mac").asText());
        assertEquals("eng", params.path("portgroup").asText());
    }

    @Test
    void jsonListsAreMachineReadable() {
        Cli.Result r = cli.run("--json", "net-list", "--all");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("[ {"), r.out());
        assertTrue(r.out().contains("\"name\" : \"isolated\""), r.out());
        assertTrue(r.out().endsWith("} ]\n"), r.out());
        r = cli.run("--json", "net-dhcp-leases", "default");
        assertTrue(r.out().contains("\"ipAddress\" : \"192.168.122.10\""), r.out());
    }

    @Test
    void eventsArePrintedOneShotOrInALoop() {
        daemon.eventsOnSubscribe.add(Map.of("network", "default", "uuid", FakeVnetd.DEFAULT_UUID,
                "event", "lifecycle", "detail", "Started", "timestamp", 1764000000123L));
        daemon.eventsOnSubscribe.add(Map.of("network", "default", "uuid", FakeVnetd.DEFAULT_UUID,
                "event", "lifecycle", "detail", "Stopped", "timestamp", 1764000001000L));
        Cli.Result r = cli.run("net-event", "--event", "lifecycle");
        assertEquals("event 'lifecycle' for network default: Started\nevents received: 1\n\n", r.out());
        assertEquals(0, r.status());
        r = cli.run("net-event", "default", "lifecycle", "--loop", "--timeout", "1", "--timestamp");
        assertEquals("2025-11-24 16:00:00.123+0000: event 'lifecycle' for network default: Started\n"
                + "2025-11-24 16:00:01.000+0000: event 'lifecycle' for network default: Stopped\n"
                + "event loop timed out\nevents received: 2\n\n", r.out());
        daemon.eventsOnSubscribe.clear();
        r = cli.run("net-event", "--event", "lifecycle", "--timeout", "1");
        assertEquals("event loop timed out\nevents received: 0\n\n", r.out());
        assertEquals(1, r.status());
    }

    @Test
    void aCommandStringRunsSeveralCommands() {
        Cli.Result r = cli.run("net-uuid default; net-name " + FakeVnetd.ISOLATED_UUID);
        assertEquals(FakeVnetd.DEFAULT_UUID + "\n\nisolated\n\n", r.out());
    }
}
