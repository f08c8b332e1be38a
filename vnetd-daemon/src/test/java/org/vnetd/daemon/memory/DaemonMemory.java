package org.vnetd.daemon.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vnetd.testing.Exec;

/**
 * What the process tests of the daemon's memory need: the JVM options the launcher starts it with, its RSS, and
 * the committed size of its old generation as the JVM reports it from outside ({@code jcmd GC.heap_info}).
 */
public final class DaemonMemory {
    private static final Pattern TENURED = Pattern.compile("(?:Tenured|tenured generation)\\s+total (\\d+)K, used (\\d+)K");

    private DaemonMemory() {
    }

    /**
     * VNETD_DAEMON_JVM_OPTS, the options dist/bin/vnetd starts the daemon with, as bash sees them after sourcing
     * java.sh (the variable is built up over several lines).
     */
    public static List<String> launcherJvmOptions() {
        String root = System.getenv("VNETD_ROOT");
        Path javaSh = (root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent()).resolve("scripts/lib/java.sh");
        Exec.Result r = Exec.run(Duration.ofSeconds(10), null,
                List.of("bash", "-c", ". \"$1\" && printf %s \"$VNETD_DAEMON_JVM_OPTS\"", "java.sh", javaSh.toString()));
        assertEquals(0, r.exitCode(), "sourcing " + javaSh + ": " + r.stderr());
        assertTrue(r.stdout().contains("-XX:+UseSerialGC"), "no VNETD_DAEMON_JVM_OPTS in " + javaSh + ": " + r.stdout());
        return List.of(r.stdout().trim().split("\\s+"));
    }

    /** VmRSS of {@code pid} in bytes. */
    public static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("vnetd (pid " + pid + ") is gone: " + e);
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    /** The serial collector's old generation of JVM {@code pid}: committed and used bytes. */
    public record Tenured(long committed, long used) {
    }

    /** Asks the JVM (jcmd, which runs no collection for this) for its old generation's size. */
    public static Tenured tenured(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Exec.Result r = Exec.run(Duration.ofSeconds(60), null, List.of(jcmd.toString(), String.valueOf(pid), "GC.heap_info"));
        assertEquals(0, r.exitCode(), "jcmd " + pid + " GC.heap_info: " + r.stdout() + r.stderr());
        Matcher m = TENURED.matcher(r.stdout());
        assertTrue(m.find(), "no serial old generation in GC.heap_info: " + r.stdout());
        return new Tenured(Long.parseLong(m.group(1)) * 1024, Long.parseLong(m.group(2)) * 1024);
    }

    public static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
