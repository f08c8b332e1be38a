package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

/**
 * The same virsh commands against vnetd and against Debian's real libvirtd (each in namespaces of its
 * own, holding the same networks) give byte-identical output, error messages and exit status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LibvirtParityNetnsTest {
    static final String DEFAULT = LibvirtHostNetns.DEFAULT;
    static final String TRANSIENT = """
            <network>
              <name>tr</name>
              <uuid>0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c02</uuid>
              <forward mode='route'/>
              <bridge name='virbr5' stp='on' delay='0'/>
              <mac address='52:54:00:0a:0b:0d'/>
              <ip address='10.55.0.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='10.55.0.10' end='10.55.0.20'/>
                  <host mac='52:54:00:00:00:07' name='fixed' ip='10.55.0.7'/>
                </dhcp>
              </ip>
            </network>
            """;
    /** A port as virtqemud creates it: no plug (the daemon gives it one), bandwidth of its own. */
    static final String PORT = """
            <networkport>
              <uuid>7a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d</uuid>
              <owner>
                <name>guest1</name>
                <uuid>c0ffee00-0000-4000-8000-000000000001</uuid>
              </owner>
              <mac address='52:54:00:6b:00:01'/>
              <bandwidth>
                <inbound average='1000' peak='2000' burst='1024'/>
              </bandwidth>
            </networkport>
            """;
    static final String HOST = "<host mac='52:54:00:00:00:01' name='g1' ip='192.168.122.11'/>";
    /** Documents that are not well formed, each with one error people make by hand: libxml2's words for them. */
    static final Map<String, String> MALFORMED = Map.of(
            "mismatch.xml", "<network>\n  <name>bad</name>\n  <bridge name='virbr9'>\n</network>\n",
            "unquoted.xml", "<network>\n  <name>bad</name>\n  <bridge name=virbr9/>\n</network>\n",
            "premature.xml", "<network>\n  <name>bad</name>\n  <ip address='10.1.1.1'>\n",
            "extra.xml", "<network><name>bad</name></network>\n<network/>\n",
            "entity.xml", "<network>\n  <name>a&b</name>\n</network>\n",
            "notxml.xml", "name: bad\n");

    private TestNetns vnetdNs;
    private VnetdProcess vnetd;
    private LibvirtHostNetns libvirt;
    private Path dir;
    private String vnetdUri;
    private String libvirtUri;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        NetnsSupport.require("nft", "virsh", "libvirtd", "unshare", "dnsmasq");
        dir = tmp;
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        vnetdNs = TestNetns.create("parityv");
        vnetd = new VnetdProcess(vnetdNs, dir.resolve("vnetd"), "INFO").start(() -> DaemonRpc.answers(dir.resolve("vnetd/run"))
                && Files.exists(dir.resolve("vnetd/run/libvirt").resolve(LibvirtServer.READ_ONLY_SOCKET)), "--no-default-network");
        libvirt = LibvirtHostNetns.start("parityl", dir);
        vnetdUri = "network:///system?socket=" + vnetd.runDir().resolve("libvirt").resolve(LibvirtServer.SOCKET);
        libvirtUri = libvirt.uri();
        Files.writeString(dir.resolve("default.xml"), DEFAULT);
        Files.writeString(dir.resolve("tr.xml"), TRANSIENT);
        Files.writeString(dir.resolve("port.xml"), PORT);
        Files.writeString(dir.resolve("port-plugged.xml"), PORT.replace("</networkport>",
                "  <plug type='network' bridge='virbr0'/>\n</networkport>"));
        Files.writeString(dir.resolve("port-malformed.xml"), PORT.replace("</owner>", "</ownr>"));
        Files.writeString(dir.resolve("badforward.xml"), TRANSIENT.replace("<name>tr</name>", "<name>bf</name>")
                .replace("mode='route'", "mode='tunnel'"));
        for (Map.Entry<String, String> m : MALFORMED.entrySet()) {
            Files.writeString(dir.resolve(m.getKey()), m.getValue());
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (libvirt != null) {
            libvirt.close();
        }
        if (vnetd != null) {
            vnetd.close();
        }
        if (vnetdNs != null) {
            vnetdNs.close();
        }
    }

    @Test
    void netEventPrintsTheSameLifecycleEvents() throws Exception {
        Path probe = dir.resolve("probe.xml");
        Files.writeString(probe, "<network><name>probe</name><uuid>0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c09</uuid>"
                + "<bridge name='virbr7'/></network>");
        Path ev = dir.resolve("ev.xml");
        Files.writeString(ev, TRANSIENT.replace("<name>tr</name>", "<name>ev</name>").replace("1c02", "1c08").replace("virbr5", "virbr6")
                .replace("0d'", "0e'"));
        List<String> libvirt = eventsSeen(libvirtUri, probe, ev);
        assertEquals(List.of("event 'lifecycle' for network ev: Defined", "event 'lifecycle' for network ev: Started",
                "event 'lifecycle' for network ev: Stopped", "event 'lifecycle' for network ev: Undefined",
                "event 'lifecycle' for network ev: Started", "event 'lifecycle' for network ev: Stopped"), libvirt, "libvirtd's events");
        assertEquals(libvirt, eventsSeen(vnetdUri, probe, ev));
    }

    /** The lifecycle events `virsh net-event --loop` prints for define, start, destroy, create, destroy, undefine. */
    private static List<String> eventsSeen(String uri, Path probe, Path ev) throws Exception {
        Process watch = new ProcessBuilder("virsh", "-c", uri, "net-event", "--loop", "--event", "lifecycle").redirectErrorStream(true)
                .start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = watch.inputReader()) {
                for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                lines.add(e.toString());
            }
        });
        try {
            // the watcher is registered once it sees an event: define and undefine a probe network until it does
            org.vnetd.testing.Await.until(java.time.Duration.ofSeconds(30), "virsh net-event on " + uri + " sees events", () -> {
                run(uri, List.of("net-define", probe.toString()));
                run(uri, List.of("net-undefine", "probe"));
                return lines.stream().anyMatch(l -> l.contains("probe"));
            });
            for (List<String> c : List.of(List.of("net-define", ev.toString()), List.of("net-start", "ev"), List.of("net-destroy", "ev"),
                    List.of("net-undefine", "ev"), List.of("net-create", ev.toString()), List.of("net-destroy", "ev"))) {
                run(uri, c);
            }
            // events of one connection come in order: once the marker's is printed, every event of 'ev' was
            Path marker = probe.resolveSibling("marker.xml");
            Files.writeString(marker, Files.readString(probe).replace("probe", "marker").replace("1c09", "1c0a"));
            run(uri, List.of("net-define", marker.toString()));
            org.vnetd.testing.Await.until(java.time.Duration.ofSeconds(30), "the marker's event",
                    () -> lines.stream().anyMatch(l -> l.contains("network marker: Defined")));
            run(uri, List.of("net-undefine", "marker"));
            return lines.stream().filter(l -> !l.contains("probe") && !l.contains("marker")).toList();
        } finally {
            watch.destroyForcibly();
            watch.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
        }
    }

    private static String run(String uri, List<String> command) {
        // net-edit's editor: "EDITOR=…" as the command's first word
        List<String> argv = new ArrayList<>(List.of("env"));
        if (command.get(0).startsWith("EDITOR=")) {
            argv.add(command.get(0));
            command = command.subList(1, command.size());
        }
        argv.addAll(List.of("virsh", "-c", uri));
        argv.addAll(command);
        Exec.Result r = Exec.run(argv.toArray(String[]::new));
        return "stdout:\n" + r.stdout() + "stderr:\n" + r.stderr() + "exit " + r.exitCode() + "\n";
    }

    @Test
    void virshPrintsTheSameAgainstVnetdAndLibvirtd() {
        String d = dir.resolve("default.xml").toString();
        String t = dir.resolve("tr.xml").toString();
        List<List<String>> commands = List.of(
                List.of("net-list", "--all"),
                List.of("net-define", d),
                List.of("net-list", "--all"),
                List.of("net-list", "--inactive"),
                List.of("net-info", "default"),
                List.of("net-dumpxml", "default"),
                List.of("net-dumpxml", "--inactive", "default"),
                List.of("net-autostart", "default"),
                List.of("net-start", "default"),
                List.of("net-start", "default"),
                List.of("net-list"),
                List.of("net-list", "--all", "--uuid"),
                List.of("net-list", "--all", "--name"),
                List.of("net-list", "--all", "--table"),
                List.of("net-list", "--all", "--autostart"),
                List.of("net-list", "--all", "--no-autostart"),
                List.of("net-list", "--all", "--persistent"),
                List.of("net-list", "--all", "--transient"),
                List.of("net-info", "default"),
                List.of("net-uuid", "default"),
                List.of("net-name", "0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01"),
                List.of("net-info", "0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01"),
                List.of("net-dumpxml", "default"),
                List.of("net-update", "default", "add", "ip-dhcp-host", HOST, "--live", "--config"),
                List.of("net-update", "default", "add", "ip-dhcp-host", HOST, "--live"),
                List.of("net-dumpxml", "default"),
                List.of("net-dumpxml", "--inactive", "default"),
                List.of("net-update", "default", "delete", "ip-dhcp-host", HOST),
                List.of("net-update", "default", "modify", "bridge", "<bridge name='virbr9'/>"),
                List.of("net-update", "default", "add-last", "dns-host", "<host ip='192.168.122.5'><hostname>h5</hostname></host>",
                        "--config"),
                List.of("net-dumpxml", "--inactive", "default"),
                List.of("net-dhcp-leases", "default"),
                List.of("net-dhcp-leases", "default", "--mac", "52:54:00:00:00:01"),
                List.of("EDITOR=true", "net-edit", "default"),
                List.of("EDITOR=sed -i s/192.168.122.254/192.168.122.200/", "net-edit", "default"),
                List.of("net-dumpxml", "--inactive", "default"),
                List.of("net-port-list", "default"),
                List.of("net-port-create", "default", dir.resolve("port.xml").toString()),
                List.of("net-port-create", "default", dir.resolve("port.xml").toString()),
                List.of("net-port-create", "default", dir.resolve("port-plugged.xml").toString()),
                List.of("net-port-list", "default"),
                List.of("net-port-list", "default", "--uuid"),
                List.of("net-port-list", "default", "--table"),
                List.of("net-dumpxml", "default"), // connections='N': the ports made above
                List.of("net-port-dumpxml", "default", "7a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"),
                List.of("net-port-delete", "default", "7a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"),
                List.of("net-port-list", "default"),
                List.of("net-dumpxml", "default"),
                List.of("net-port-delete", "default", "7a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"),
                List.of("net-port-create", "default", dir.resolve("port-malformed.xml").toString()),
                List.of("net-create", t),
                List.of("net-list", "--all"),
                List.of("net-list", "--transient"),
                List.of("net-autostart", "tr"),
                List.of("net-info", "tr"),
                List.of("net-undefine", "tr"),
                List.of("net-destroy", "tr"),
                List.of("net-list", "--all"),
                List.of("net-autostart", "--disable", "default"),
                List.of("net-destroy", "default"),
                List.of("net-destroy", "default"),
                List.of("net-info", "default"),
                List.of("net-dumpxml", "default"),
                List.of("net-info", "nope"),
                List.of("net-dumpxml", "nope"),
                List.of("net-start", "nope"),
                List.of("net-define", dir.resolve("badforward.xml").toString()),
                List.of("net-define", dir.resolve("mismatch.xml").toString()),
                List.of("net-define", dir.resolve("unquoted.xml").toString()),
                List.of("net-create", dir.resolve("premature.xml").toString()),
                List.of("net-define", dir.resolve("extra.xml").toString()),
                List.of("net-define", dir.resolve("entity.xml").toString()),
                List.of("net-define", dir.resolve("notxml.xml").toString()),
                List.of("net-undefine", "default"),
                List.of("net-undefine", "default"),
                List.of("net-list", "--all"));
        StringBuilder vnetdOut = new StringBuilder();
        StringBuilder libvirtOut = new StringBuilder();
        for (List<String> c : commands) {
            String head = "$ virsh " + String.join(" ", c) + "\n";
            vnetdOut.append(head).append(run(vnetdUri, c));
            libvirtOut.append(head).append(run(libvirtUri, c));
        }
        // equal failures would prove nothing: both really served the commands
        for (String done : List.of("Network default defined from", "Network default started", "Network tr created from",
                "Updated network default persistent config and live state", "Network default XML configuration edited.",
                "<range start='192.168.122.2' end='192.168.122.200'/>", "Network default has been undefined",
                "can't undefine transient network", "unknown forwarding type 'tunnel'", "Opening and ending tag mismatch",
                "AttValue: \" or ' expected", "Premature end of data in tag ip line 3", "Extra content at the end",
                "EntityRef: expecting ';'", "Start tag expected", "(networkport_definition):")) {
            assertTrue(vnetdOut.toString().contains(done), () -> "vnetd did not say '" + done + "':\n" + vnetdOut);
        }
        assertEquals(libvirtOut.toString(), vnetdOut.toString());
    }
}
