package org.vnetd.testing.ovn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;

/**
 * An {@code ovsdb-server} of the test's own: its database file, unix socket, control socket and log
 * in a directory the test gives (never /run/openvswitch or /var/lib/ovn), run as a child process
 * (not {@code --detach}) so that closing it stops exactly this process. The database survives
 * {@link #restart()}, as a real one survives a service restart.
 */
public final class PrivateOvsdbServer implements AutoCloseable {
    public static final Path OVN_NB_SCHEMA = Path.of("/usr/share/ovn/ovn-nb.ovsschema");
    public static final Path OVN_SB_SCHEMA = Path.of("/usr/share/ovn/ovn-sb.ovsschema");

    private final Path dir;
    private final Path db;
    private final List<String> extraArgs;
    private final List<String> prefix;
    private Process process;

    /**
     * @param prefix a command prefix (e.g. {@code ip netns exec NS}) or empty
     * @param extraArgs more ovsdb-server arguments (e.g. {@code --remote=ptcp:6641:10.0.0.1})
     */
    public PrivateOvsdbServer(Path dir, Path schema, List<String> prefix, List<String> extraArgs) {
        this.dir = dir;
        this.db = dir.resolve("db");
        this.prefix = List.copyOf(prefix);
        this.extraArgs = List.copyOf(extraArgs);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Exec.run("ovsdb-tool", "create", db.toString(), schema.toString()).orThrow();
        start();
    }

    public static PrivateOvsdbServer start(Path dir, Path schema) {
        return new PrivateOvsdbServer(dir, schema, List.of(), List.of());
    }

    /** The database's unix socket, as an OVSDB remote without the {@code unix:} prefix. */
    public Path socket() {
        return dir.resolve("db.sock");
    }

    public String remote() {
        return "unix:" + socket();
    }

    public Path controlSocket() {
        return dir.resolve("ctl");
    }

    public Path log() {
        return dir.resolve("ovsdb-server.log");
    }

    public long pid() {
        return process.pid();
    }

    private void start() {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("ovsdb-server", db.toString(), "--remote=punix:" + socket(), "--unixctl=" + controlSocket(),
                "--log-file=" + log(), "-vconsole:off", "--no-chdir"));
        cmd.addAll(extraArgs);
        try {
            Files.deleteIfExists(socket());
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        Await.until(Duration.ofSeconds(10), "ovsdb-server listening on " + socket(),
                () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("ovsdb-server exited " + process.exitValue() + ": " + Files.readString(dir.resolve("stdout")));
                    }
                    return Files.exists(socket());
                });
    }

    /** Stops the server (its clients see the connection close) and starts it again on the same database. */
    public void restart() {
        stop();
        start();
    }

    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Runs an {@code ovsdb-client}-style command against this server, e.g. {@code ovn-nbctl --db=<remote> show}. */
    public Exec.Result ctl(String... command) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(command));
        return Exec.run(Exec.DEFAULT_TIMEOUT, null, cmd);
    }

    @Override
    public void close() {
        stop();
    }
}
