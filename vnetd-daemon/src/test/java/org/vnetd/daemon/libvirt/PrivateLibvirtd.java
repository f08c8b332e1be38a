package org.vnetd.daemon.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.vnetd.testing.Await;
import org.vnetd.testing.TestNetns;

/**
 * Debian's real libvirtd, run by a test in a network namespace and a mount namespace of its own
 * ({@code libvirtd-private.sh}: private /etc/libvirt, /run, /var/lib/libvirt, /var/log), its sockets in
 * {@code dir/sock} where the test's virsh reaches them. Nothing outside the namespaces is touched.
 */
final class PrivateLibvirtd implements AutoCloseable {
    private final Path dir;
    private final Process process;

    private PrivateLibvirtd(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    static PrivateLibvirtd start(TestNetns ns, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve("libvirtd-private.sh");
        try (InputStream in = PrivateLibvirtd.class.getResourceAsStream("libvirtd-private.sh")) {
            Files.copy(in, script);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(List.of("unshare", "-m", "--propagation", "private", script.toString(), dir.toString()));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("libvirtd.log").toFile()).start();
        PrivateLibvirtd d = new PrivateLibvirtd(dir, p);
        try {
            Await.until(Duration.ofSeconds(60), "libvirtd listens on " + d.socket(), () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("libvirtd exited with " + p.exitValue() + ":\n" + d.log());
                }
                return Files.exists(d.socket());
            });
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
        return d;
    }

    Path socket() {
        return dir.resolve("sock").resolve("libvirt-sock");
    }

    String log() {
        try {
            return Files.readString(dir.resolve("libvirtd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
