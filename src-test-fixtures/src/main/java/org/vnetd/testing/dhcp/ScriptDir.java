package org.vnetd.testing.dhcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.vnetd.testing.Await;

/**
 * A private temp dir for one client: its hook script writes each event's environment to
 * {@code <n>-<event>.env} (numbered, so repeated events are all kept), and the driver waits for files.
 */
final class ScriptDir implements AutoCloseable {
    private final Path dir;

    ScriptDir(String prefix) {
        try {
            dir = Files.createTempDirectory("vnetd-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * Writes an executable sh script that records {@code eventExpr}'s environment, runs {@code body}, then
     * publishes the record: a test that sees the event finds the interface configured as the body left it
     * (an address it adds is there before the test routes through it).
     */
    Path script(String eventExpr, String body) {
        String text = "#!/bin/sh\n"
                + "ev=" + eventExpr + "; export ev" + "\n"
                + "n=$(ls " + dir + " | grep -c '\\.env$')\n"
                + "env > " + dir + "/tmp.$$\n"
                + body + "\n"
                + "mv " + dir + "/tmp.$$ " + dir + "/$n-$ev.env\n"
                + "exit 0\n";
        Path p = dir.resolve("hook.sh");
        try {
            Files.writeString(p, text);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Waits for the next event named one of {@code events} after the first {@code skip} env files. */
    Map<String, String> await(Duration timeout, int skip, String... events) {
        String what = "a " + String.join("/", events) + " event (env file) in " + dir;
        Path found = Await.value(timeout, Duration.ofMillis(50), what, () -> {
            try (Stream<Path> s = Files.list(dir)) {
                return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".env"))
                        .filter(f -> Integer.parseInt(f.substring(0, f.indexOf('-'))) >= skip)
                        .filter(f -> {
                            String ev = f.substring(f.indexOf('-') + 1, f.length() - 4);
                            for (String e : events) {
                                if (e.equals(ev)) {
                                    return true;
                                }
                            }
                            return false;
                        })
                        .min(Comparator.comparingInt(f -> Integer.parseInt(f.substring(0, f.indexOf('-')))))
                        .map(dir::resolve);
            }
        });
        return read(found);
    }

    int count() {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".env")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> read(Path p) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(p)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temp dir is harmless
        }
    }
}
