package org.vnetd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.vnetd.testing.Exec;

/**
 * The strongest format check: real {@code virsh} (Debian's libvirt-clients) against libvirt's built-in test
 * driver ({@code test:///path/node.xml}, no daemon needed), and vnetctl against {@link FakeVnetd} seeded with the
 * very XML and state virsh reports. Each command's stdout, stderr and exit status must be byte-identical.
 * Skipped (loudly) where virsh is not installed.
 */
class VirshDifferentialTest {
    static final String NODE = """
            <node>
              <network>
                <name>default</name>
                <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>
                <forward mode='nat'/>
                <bridge name='virbr0' stp='on' delay='0'/>
                <ip address='192.168.122.1' netmask='255.255.255.0'>
                  <dhcp>
                    <range start='192.168.122.2' end='192.168.122.254'/>
                  </dhcp>
                </ip>
              </network>
              <network>
                <name>Zeta-lab</name>
                <uuid>4f2c3a1e-0b6d-4e35-9a0c-2d1e5f6a7b8c</uuid>
                <bridge name='virbr7'/>
                <ip address='10.7.0.1' prefix='16'/>
              </network>
              <network>
                <name>alpha</name>
                <uuid>0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d</uuid>
                <forward mode='route'/>
                <bridge name='virbr3'/>
                <ip address='10.3.0.1' netmask='255.255.255.0'/>
              </network>
            </node>
            """;

    static Path dir;
    static Path node;
    static FakeVnetd daemon;

    @BeforeAll
    static void setUp() throws IOException {
        boolean haveVirsh = Exec.run("sh", "-c", "command -v virsh").ok();
        if (!haveVirsh) {
            System.err.println("!!! VIRSH DIFFERENTIAL TEST NOT RUN: virsh is not installed"
                    + " (apt-get install libvirt-clients) — skipping");
        }
        Assumptions.assumeTrue(haveVirsh, "virsh not installed");
        dir = Files.createTempDirectory("vnetctl-virsh");
        node = dir.resolve("node.xml");
        Files.writeString(node, NODE);
        daemon = new FakeVnetd(dir.resolve("vnetd.sock"));
        daemon.networks.clear();
        daemon.xml.clear();
        for (String name : List.of("default", "Zeta-lab", "alpha")) {
            String printed = virsh("net-dumpxml", name).stdout();
            String xml = printed.substring(0, printed.length() - 1); // virsh adds an empty line after the XML
            String info = virsh("net-info", name).stdout();
            daemon.addNetwork(name, field(info, "UUID:"), field(info, "Active:").equals("yes"),
                    field(info, "Persistent:").equals("yes"), field(info, "Autostart:").equals("yes"),
                    field(info, "Bridge:"), null, xml);
        }
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (daemon != null) {
            daemon.close();
        }
        if (dir != null) {
            Exec.run("rm", "-rf", dir.toString());
        }
    }

    static String field(String info, String label) {
        return info.lines().filter(l -> l.startsWith(label)).map(l -> l.substring(16)).findFirst().orElse(null);
    }

    static Exec.Result virsh(String... args) {
        List<String> argv = new ArrayList<>(List.of("virsh", "-c", "test://" + node));
        argv.addAll(List.of(args));
        return Exec.run(Exec.DEFAULT_TIMEOUT, null, argv);
    }

    static Stream<String> commands() {
        return Stream.of(
                "net-list", "net-list --all", "net-list --inactive", "net-list --name", "net-list --uuid",
                "net-list --all --persistent", "net-list --all --transient", "net-list --autostart",
                "net-list --no-autostart", "net-list --all --name --uuid",
                "net-info default", "net-info Zeta-lab", "net-info 4f2c3a1e-0b6d-4e35-9a0c-2d1e5f6a7b8c",
                "net-info nosuch", "net-uuid alpha", "net-uuid nosuch", "net-name default",
                "net-name 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "net-dumpxml default", "net-dumpxml Zeta-lab", "net-dumpxml default --xpath //range",
                "net-dumpxml default --xpath //ip --wrap", "net-dumpxml default --xpath //ip/@address",
                "net-dumpxml default --xpath //ip/@address --wrap", "net-dumpxml default --xpath //nothing",
                "net-dumpxml default --xpath //nothing --wrap", "net-dumpxml default --xpath",
                "foo", "net-info", "net-info a b", "net-list --foo", "net-list --all=3", "net-list -x",
                "net-info --network", "net-update default foo bar x", "net-update default add nosection x",
                "net-update default add ip-dhcp-host x --parent-index abc",
                "net-update default add ip-dhcp-host <x/> --current --live", "net-event",
                "net-event --event nosuch", "net-event --event lifecycle --timeout 0",
                "help net-info", "help net-uuid", "help net-name", "help net-dumpxml", "help net-update",
                "help net-autostart", "help net-start", "help net-destroy", "help net-undefine", "help net-define",
                "help net-create", "help net-dhcp-leases", "help net-edit", "help net-event", "help net-port-list",
                "help net-port-create", "help net-port-dumpxml", "help net-port-delete", "help nosuch",
                "net-info --help", "-q net-list --all", "-q net-info default", "-q net-list --all --name");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void sameAsVirsh(String line) {
        String[] words = line.split(" ");
        Exec.Result expected = virsh(words);
        Cli.Result actual = new Cli(daemon.socket()).run(words);
        assertEquals(expected.stdout(), actual.out(), "stdout of: " + line);
        assertEquals(expected.stderr(), actual.err(), "stderr of: " + line);
        assertEquals(expected.exitCode(), actual.status(), "exit status of: " + line);
    }
}
