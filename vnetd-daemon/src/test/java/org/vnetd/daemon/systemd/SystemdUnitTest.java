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

    private static Path unit() {
        return Path.of(System.getenv().getOrDefault("VNETD_ROOT", "..")).resolve("systemd/vnetd.service");
    }

    @Test
    void unitVerifies() throws Exception {
        boolean have = Exec.run("sh", "-c", "command -v systemd-analyze").ok();
        Assumptions.assumeTrue(have, "systemd-analyze is not installed");
        // verify checks that ExecStart exists; /usr/bin/vnetd exists only once installed, so the copy
        // points at an executable that does, and everything else is verified as written
        String text = Files.readString(unit()).replace("ExecStart=/usr/bin/vnetd", "ExecStart=/bin/true");
        Path copy = dir.resolve("vnetd.service");
        Files.writeString(copy, text);
        Exec.Result r = Exec.run(Duration.ofSeconds(60), null, List.of("systemd-analyze", "verify", copy.toString()));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().isBlank(), "no warnings: " + r.stderr());
    }

    @Test
    void unitKeepsItsPromises() throws Exception {
        String text = Files.readString(unit());
        for (String line : List.of("Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "KillMode=mixed", "RuntimeDirectoryPreserve=yes",
                "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE", "ProtectSystem=strict", "SuccessExitStatus=143")) {
            assertTrue(text.lines().anyMatch(line::equals), "missing: " + line);
        }
    }
}
