package org.vnetd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An Open vSwitch of a test's own, inside a {@link TestNetns}: a fresh database made with {@code ovsdb-tool}
 * from Debian's schema, {@code ovsdb-server} on a private unix socket and {@code ovs-vswitchd}, every pid,
 * control socket, log and database file under one temporary directory ({@code OVS_RUNDIR}, {@code OVS_DBDIR},
 * {@code OVS_LOGDIR} and {@code OVS_SYSCONFDIR} all point there). The root namespace's
 * {@code /run/openvswitch} is never used. Bridges use the userspace datapath ({@code datapath_type=netdev}):
 * these kernels have no openvswitch module.
 *
 * <p>A process that should talk to this switch with OVS's own tools (the daemon under test, say) gets
 * {@link #environment()}: with {@code OVS_RUNDIR} set, {@code ovs-vsctl} finds {@code db.sock} there.
 *
 * <pre>{@code
 * try (var ns = TestNetns.create("ovs"); var ovs = PrivateOpenVswitch.start(ns)) {
 *     ovs.addBridge("ovsbr0");
 *     ovs.vsctl("add-port", "ovsbr0", "veth0");
 * }
 * }</pre>
 */
public final class PrivateOpenVswitch implements AutoCloseable {
    public static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    /** What the fixture runs; with {@code CI=true} a missing one fails the test (scripts/setup installs them). */
    public static final String[] COMMANDS = {"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl"};
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** ovs-vsctl's own bound for one command: it then gives up instead of waiting for ovs-vswitchd forever. */
    private static final int VSCTL_TIMEOUT_S = 20;

    private final TestNetns ns;
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private boolean closed;

    private PrivateOpenVswitch(TestNetns ns, Path dir) {
        this.ns = ns;
        this.dir = dir;
    }

    /**
     * Creates the database and starts both daemons in {@code ns}; returns once ovs-vswitchd has applied a
     * configuration change (so it serves bridges). Requires root and the OVS binaries ({@link NetnsSupport}).
     */
    public static PrivateOpenVswitch start(TestNetns ns) {
        NetnsSupport.require(COMMANDS);
        if (!Files.isReadable(SCHEMA)) {
            NetnsSupport.unavailable(SCHEMA + " is missing (openvswitch-common; scripts/setup installs it)");
        }
        Path dir;
        try {
            // short: the unix socket paths under it must stay below 108 bytes
            dir = Files.createTempDirectory(Path.of("/tmp"), "vnt-ovs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrivateOpenVswitch ovs = new PrivateOpenVswitch(ns, dir);
        try {
            ovs.boot();
            return ovs;
        } catch (RuntimeException | Error e) {
            ovs.close();
            throw e;
        }
    }

    private void boot() {
        Exec.run("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA.toString()).orThrow();
        spawn("ovsdb-server", dir.resolve("conf.db").toString(), "--remote=punix:" + dbSocket(),
                "--pidfile=" + dir.resolve("ovsdb-server.pid"), "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
                "--log-file=" + dir.resolve("ovsdb-server.log"));
        Await.until(READY_TIMEOUT, Duration.ofMillis(50), "ovsdb-server of " + ns + " to answer on " + dbSocket(),
                () -> processAlive(0) && vsctl("--no-wait", "init").ok());
        spawn("ovs-vswitchd", "unix:" + dbSocket(), "--pidfile=" + dir.resolve("ovs-vswitchd.pid"),
                "--unixctl=" + dir.resolve("ovs-vswitchd.ctl"), "--log-file=" + dir.resolve("ovs-vswitchd.log"));
        // without --no-wait, ovs-vsctl returns only once ovs-vswitchd has applied the change: it is serving
        Await.until(READY_TIMEOUT, Duration.ofMillis(100), "ovs-vswitchd of " + ns + " to apply its configuration",
                () -> processAlive(1) && vsctl("set", "Open_vSwitch", ".", "external-ids:vnetd-test=" + ns.name()).ok());
    }

    private boolean processAlive(int index) {
        Process p = processes.get(index);
        if (!p.isAlive()) {
            throw new AssertionError(p.info().command().orElse("OVS daemon") + " exited with " + p.exitValue()
                    + "; its output is in " + dir);
        }
        return true;
    }

    private void spawn(String... command) {
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve(command[0] + ".out").toFile());
        pb.environment().putAll(environment());
        try {
            processes.add(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command[0], e);
        }
    }

    /** OVS's directory variables, all pointing at this switch's directory (for a process using OVS's tools). */
    public Map<String, String> environment() {
        String d = dir.toString();
        return Map.of("OVS_RUNDIR", d, "OVS_DBDIR", d, "OVS_LOGDIR", d, "OVS_SYSCONFDIR", d);
    }

    public TestNetns ns() {
        return ns;
    }

    /** Where the database, sockets, pid files and logs are; deleted by {@link #close()}. */
    public Path dir() {
        return dir;
    }

    /** ovsdb-server's socket (OVSDB's JSON-RPC, RFC 7047), for {@code --db=unix:…} or an OVSDB client. */
    public Path dbSocket() {
        return dir.resolve("db.sock");
    }

    /** {@code ovs-vsctl --db=unix:… --timeout=… ARGS} in the namespace. */
    public Exec.Result vsctl(String... args) {
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(List.of("env", "OVS_RUNDIR=" + dir, "ovs-vsctl", "--db=unix:" + dbSocket(),
                "--timeout=" + VSCTL_TIMEOUT_S));
        argv.addAll(List.of(args));
        return Exec.run(Duration.ofSeconds(VSCTL_TIMEOUT_S + 10), null, argv);
    }

    /** As {@link #vsctl}, failing on a non-zero exit; returns the output without its last line break. */
    public String vsctlOk(String... args) {
        return vsctl(args).orThrow().stdout().strip();
    }

    /** Adds bridge {@code name} with the userspace datapath and sets its internal interface up. */
    public void addBridge(String name) {
        vsctlOk("add-br", name, "--", "set", "Bridge", name, "datapath_type=netdev");
        ns.execOk("ip", "link", "set", name, "up");
    }

    /** One column of one record, as ovs-vsctl prints it ({@code get Interface vnet0 external_ids:iface-id}). */
    public String get(String table, String record, String column) {
        return vsctlOk("--if-exists", "get", table, record, column);
    }

    /** The ports of {@code bridge}, in ovs-vsctl's order. */
    public List<String> ports(String bridge) {
        String out = vsctlOk("list-ports", bridge);
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    /** Stops ovs-vswitchd, then ovsdb-server ({@code ovs-appctl exit}, then a kill), and deletes the directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        String[] ctls = {"ovsdb-server.ctl", "ovs-vswitchd.ctl"};
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            if (p.isAlive()) {
                List<String> argv = new ArrayList<>(ns.prefix());
                argv.addAll(List.of("ovs-appctl", "--timeout=5", "-t", dir.resolve(ctls[i]).toString(), "exit"));
                Exec.run(Duration.ofSeconds(10), null, argv);
            }
            try {
                if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        deleteDirectory();
    }

    private void deleteDirectory() {
        if (System.getenv("VNETD_KEEP_OVS") != null) {
            System.err.println("PrivateOpenVswitch: kept " + dir + " (VNETD_KEEP_OVS)");
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("warning: could not delete " + dir + ": " + e);
        }
    }
}
