package org.vnetd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private mount namespace held open by a {@code unshare -m --propagation slave sleep} process, in
 * which a test mounts small tmpfs file systems (to fill them: a full disk) that the host never sees
 * (slave: the host's later mounts, such as a new {@code /run/netns/NAME}, still show up inside).
 * Commands run inside it with {@link #prefix()} (nsenter); the test itself reaches its files through
 * {@link #view} ({@code /proc/PID/root/…}). Closing kills the holder; the mounts go with the last
 * process that uses them.
 */
public final class PrivateMounts implements AutoCloseable {
    private final Process holder;

    private PrivateMounts(Process holder) {
        this.holder = holder;
    }

    public static PrivateMounts create() {
        try {
            // without --fork unshare execs sleep: the holder's pid is the process's
            Process p = new ProcessBuilder("unshare", "-m", "--propagation", "slave", "sleep", "1800")
                    .redirectErrorStream(true).start();
            PrivateMounts m = new PrivateMounts(p);
            try {
                Await.until(Duration.ofSeconds(10), "unshare -m to make a mount namespace", () -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("unshare -m exited with " + p.exitValue());
                    }
                    return !m.sameMountNamespaceAsUs();
                });
            } catch (AssertionError e) {
                m.close();
                throw e;
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean sameMountNamespaceAsUs() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"))
                .equals(Files.readSymbolicLink(Path.of("/proc/" + holder.pid() + "/ns/mnt")));
    }

    /** The argv prefix that runs a command in this mount namespace. */
    public List<String> prefix() {
        return List.of("nsenter", "-t", Long.toString(holder.pid()), "-m", "--");
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 4m}) on {@code dir} (created here if missing). */
    public void tmpfs(Path dir, String size) {
        run("mkdir", "-p", dir.toString());
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "vnt-tmpfs", dir.toString());
    }

    /** Bind-mounts {@code from} on {@code to} (both created if missing). */
    public void bind(Path from, Path to) {
        run("mkdir", "-p", from.toString(), to.toString());
        run("mount", "--bind", from.toString(), to.toString());
    }

    /** Where the test reaches {@code path} as this namespace sees it. */
    public Path view(Path path) {
        return Path.of("/proc/" + holder.pid() + "/root").resolve(Path.of("/").relativize(path.toAbsolutePath()));
    }

    /** Fills the file system of {@code dir} (as seen here) with {@code dir/.fill} until no byte fits. */
    public void fill(Path dir) {
        Path f = view(dir).resolve(".fill");
        ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (int i = 0; i < 1 << 16; i++) { // bounded: 4 GiB
                try {
                    ch.write(chunk.clear());
                } catch (IOException full) {
                    break;
                }
            }
            // the last pages: smaller writes until not even one byte goes in
            for (int size = 32 << 10; size >= 1; size /= 2) {
                ByteBuffer small = ByteBuffer.allocate(size);
                for (int i = 0; i < 64; i++) {
                    try {
                        ch.write(small.clear());
                    } catch (IOException full) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frees what {@link #fill} took. */
    public void free(Path dir) {
        try {
            Files.deleteIfExists(view(dir).resolve(".fill"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(String... command) {
        List<String> argv = new ArrayList<>(prefix());
        argv.addAll(List.of(command));
        Exec.run(Exec.DEFAULT_TIMEOUT, null, argv).orThrow();
    }

    @Override
    public void close() {
        holder.destroyForcibly();
        try {
            holder.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
