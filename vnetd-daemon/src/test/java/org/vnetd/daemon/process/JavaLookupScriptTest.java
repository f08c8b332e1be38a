package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.testing.Exec;

/**
 * {@code scripts/lib/java.sh}, which every launcher sources: it reads a runtime's version from its {@code release}
 * file, so the daemon's start does not pay for a second JVM, and runs {@code java} only when there is no such file.
 */
class JavaLookupScriptTest {
    @TempDir
    Path dir;

    private static Path javaSh() {
        return Path.of(System.getenv().getOrDefault("VNETD_ROOT", "..")).resolve("scripts/lib/java.sh").toAbsolutePath();
    }

    /** A runtime whose java binary only records that it ran and reports {@code specVersion}. */
    private Path fakeRuntime(String name, String release, int specVersion) throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\ntouch \"" + home.resolve("ran") + "\"\necho '    java.specification.version = "
                + specVersion + "' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (release != null) {
            Files.writeString(home.resolve("release"), release);
        }
        return home;
    }

    private static Exec.Result run(String script) {
        return Exec.run(Duration.ofSeconds(30), null, List.of("bash", "-c", ". \"$0\"; " + script, javaSh().toString()));
    }

    private static String lookup(String script) {
        Exec.Result r = run(script);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return r.stdout().strip();
    }

    @Test
    void readsTheVersionFromTheReleaseFileWithoutRunningJava() throws Exception {
        Path home = fakeRuntime("jdk", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n", 17);
        assertEquals("25", lookup("vnetd_java_major " + home.resolve("bin/java")));
        assertFalse(Files.exists(home.resolve("ran")), "java was started");
    }

    @Test
    void runsJavaWhenThereIsNoReleaseFile() throws Exception {
        Path home = fakeRuntime("jdk", null, 26);
        assertEquals("26", lookup("vnetd_java_major " + home.resolve("bin/java")));
        assertTrue(Files.exists(home.resolve("ran")));
    }

    @Test
    void javaHomeWinsWhenItIsRecentEnough() throws Exception {
        Path home = fakeRuntime("jdk", "JAVA_VERSION=\"25\"\n", 25);
        assertEquals(home.toString(), lookup("JAVA_HOME=" + home + " vnetd_find_java && echo \"$VNETD_JAVA_HOME\""));
        Path old = fakeRuntime("old", "JAVA_VERSION=\"17.0.15\"\n", 17);
        // passed over: another JDK 25 on this machine, or none and the message saying so
        Exec.Result r = run("JAVA_HOME=" + old + " vnetd_find_java && echo \"$VNETD_JAVA_HOME\"");
        assertFalse(r.stdout().strip().equals(old.toString()), "a JDK 17 was accepted");
        assertFalse(Files.exists(old.resolve("ran")), "its java was started");
    }
}
