package org.vnetd.daemon.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.testing.Exec;

/** {@code systemd/vnetd.service} passes {@code systemd-analyze verify} (where systemd is installed). */
class SystemdUnitTest {
    @TempDir
    Path dir;

    private static final List<String> UNITS = List.of("vnetd.service", "vnetd.socket", "vnetd-ro.socket", "vnetd-libvirt.socket",
            "vnetd-libvirt-ro.socket");

    private static Path unit() {
        return unit("vnetd.service");
    }

    private static Path unit(String name) {
        return Path.of(System.getenv().getOrDefault("VNETD_ROOT", "..")).resolve("systemd").resolve(name);
    }

    @Test
    void unitVerifies() throws Exception {
        boolean have = Exec.run("sh", "-c", "command -v systemd-analyze").ok();
        Assumptions.assumeTrue(have, "systemd-analyze is not installed");
        // verify checks that ExecStart exists; /usr/bin/vnetd exists only once installed, so the copy
        // points at an executable that does, and everything else is verified as written
        List<String> argv = new java.util.ArrayList<>(List.of("systemd-analyze", "verify"));
        for (String name : UNITS) {
            String text = Files.readString(unit(name)).replace("ExecStart=/usr/bin/vnetd", "ExecStart=/bin/true");
            Path copy = dir.resolve(name);
            Files.writeString(copy, text);
            argv.add(copy.toString());
        }
        Exec.Result r = Exec.run(Duration.ofSeconds(60), null, argv);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().isBlank(), "no warnings: " + r.stderr());
    }

    @Test
    void unitKeepsItsPromises() throws Exception {
        String text = Files.readString(unit());
        for (String line : List.of("Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "KillMode=mixed", "RuntimeDirectoryPreserve=yes",
                "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE CAP_KILL", "ProtectSystem=strict",
                // what a takeover from libvirt needs under the unit (docs/architecture.md)
                "ReadWritePaths=-/run/libvirt/network", "SuccessExitStatus=143",
                "FileDescriptorStoreMax=4096", "Requires=vnetd.socket vnetd-ro.socket")) {
            assertTrue(text.lines().anyMatch(line::equals), "missing: " + line);
        }
    }

    /** Each socket unit passes its socket under the name the daemon looks for (activation/SocketNames). */
    @Test
    void socketUnitsNameTheirSockets() throws Exception {
        for (List<String> unit : List.of(
                List.of("vnetd.socket", "/run/vnetd/vnetd.sock", org.vnetd.daemon.activation.SocketNames.RPC, "0600"),
                List.of("vnetd-ro.socket", "/run/vnetd/vnetd-ro.sock", org.vnetd.daemon.activation.SocketNames.RPC_READ_ONLY, "0666"),
                List.of("vnetd-libvirt.socket", "/run/libvirt/virtnetworkd-sock", org.vnetd.daemon.activation.SocketNames.LIBVIRT, "0600"),
                List.of("vnetd-libvirt-ro.socket", "/run/libvirt/virtnetworkd-sock-ro",
                        org.vnetd.daemon.activation.SocketNames.LIBVIRT_READ_ONLY, "0666"))) {
            String text = Files.readString(unit(unit.get(0)));
            for (String line : List.of("ListenStream=" + unit.get(1), "FileDescriptorName=" + unit.get(2), "SocketMode=" + unit.get(3),
                    "Service=vnetd.service")) {
                assertTrue(text.lines().anyMatch(line::equals), unit.get(0) + " lacks " + line);
            }
        }
    }
}
