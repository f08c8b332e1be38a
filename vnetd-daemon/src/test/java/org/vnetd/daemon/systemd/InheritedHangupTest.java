package org.vnetd.daemon.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A daemon started with SIGHUP ignored (under {@code nohup}, or by a runner that ignores it) still reloads on
 * SIGHUP: the JVM alone would keep the inherited "ignore" and never call the handler.
 */
class InheritedHangupTest {
    @Test
    void aHangupInheritedIgnoredStillReloads() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder("nohup", java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), HangupProbe.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                seen.append(line).append('\n');
            }
            assertEquals("ready", line, "the probe never got ready:\n" + seen);
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(probe.pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -HUP");
            assertTrue(probe.waitFor(70, TimeUnit.SECONDS), "the probe did not exit");
            assertEquals(0, probe.exitValue(), "SIGHUP did not reach the reload; the probe said:\n" + seen + new String(
                    probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            probe.destroyForcibly();
        }
    }
}
