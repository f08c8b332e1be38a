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
 * A firewalld of a test's own, inside a {@link TestNetns}: Debian's firewalld on a private system bus (a
 * {@code dbus-daemon} with a configuration written here, listening on a socket under a temporary directory)
 * and in a private mount namespace where {@code /run} is a fresh tmpfs and {@code /etc/firewalld} a copy of the
 * host's. Its nftables table is the test namespace's; the root namespace's firewall, bus and files are never
 * touched. A process that should talk to it (the daemon under test, {@code busctl --system}) gets
 * {@link #environment()}: {@code DBUS_SYSTEM_BUS_ADDRESS} pointing at the private bus.
 *
 * <pre>{@code
 * try (var ns = TestNetns.create("fwd"); var fwd = PrivateFirewalld.start(ns)) {
 *     fwd.zoneOfInterface("virbr0");
 * }
 * }</pre>
 */
public final class PrivateFirewalld implements AutoCloseable {
    /** What the fixture runs; with {@code CI=true} a missing one fails the test (scripts/setup installs them). */
    public static final String[] COMMANDS = {"firewalld", "dbus-daemon", "busctl", "unshare"};
    private static final Path HOST_CONFIG = Path.of("/etc/firewalld");
    /** Generous: firewalld is a Python program, and a loaded two-core machine starts it slowly. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final String SERVICE = "org.fedoraproject.FirewallD1";
    private static final String PATH = "/org/fedoraproject/FirewallD1";

    private final TestNetns ns;
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private boolean closed;

    private PrivateFirewalld(TestNetns ns, Path dir) {
        this.ns = ns;
        this.dir = dir;
    }

    /** Starts the bus and firewalld in {@code ns}; returns once firewalld reports itself RUNNING on the bus. */
    public static PrivateFirewalld start(TestNetns ns) {
        NetnsSupport.require(COMMANDS);
        if (!Files.isDirectory(HOST_CONFIG)) {
            NetnsSupport.unavailable(HOST_CONFIG + " is missing (firewalld; scripts/setup installs it)");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "vnt-fwd-"); // short: the bus socket's path must stay below 108 bytes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrivateFirewalld fwd = new PrivateFirewalld(ns, dir);
        try {
            fwd.boot();
            return fwd;
        } catch (RuntimeException | Error e) {
            fwd.close();
            throw e;
        }
    }

    private void boot() {
        Exec.run("cp", "-a", HOST_CONFIG.toString(), dir.resolve("etc").toString()).orThrow();
        try {
            Files.writeString(dir.resolve("bus.conf"), busConfig());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        spawn("dbus-daemon", List.of("dbus-daemon", "--config-file=" + dir.resolve("bus.conf"), "--nofork", "--nopidfile"));
        Await.until(READY_TIMEOUT, Duration.ofMillis(50), "the private system bus of " + ns + " at " + busSocket(),
                () -> alive(0) && Files.exists(busSocket()));
        // a private /run and the copy of /etc/firewalld, in a mount namespace of firewalld's own
        String script = "mount -t tmpfs -o size=16m,mode=0755 vnt-fwd-run /run && mount --bind " + dir.resolve("etc")
                + " /etc/firewalld && exec firewalld --nofork --nopid --log-target console";
        spawn("firewalld", List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script));
        Await.until(READY_TIMEOUT, Duration.ofMillis(100), "firewalld of " + ns + " to report RUNNING on its bus",
                () -> alive(1) && busctl("get-property", SERVICE, PATH, SERVICE, "state").stdout().contains("RUNNING"));
    }

    private String busConfig() {
        return """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="root"/>
                    <allow own="*"/>
                    <allow send_type="method_call"/>
                    <allow send_type="signal"/>
                    <allow send_requested_reply="true" send_type="method_return"/>
                    <allow send_requested_reply="true" send_type="error"/>
                    <allow receive_type="method_call"/>
                    <allow receive_type="method_return"/>
                    <allow receive_type="error"/>
                    <allow receive_type="signal"/>
                  </policy>
                </busconfig>
                """.formatted(busSocket());
    }

    private boolean alive(int index) {
        Process p = processes.get(index);
        if (!p.isAlive()) {
            throw new AssertionError(p.info().command().orElse("process") + " of " + ns + " exited with " + p.exitValue()
                    + ": " + log(index == 0 ? "dbus-daemon" : "firewalld"));
        }
        return true;
    }

    private void spawn(String name, List<String> command) {
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile());
        pb.environment().putAll(environment());
        try {
            processes.add(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** What {@code name} printed so far (firewalld logs to its console here). */
    public String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".out"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    public Path busSocket() {
        return dir.resolve("bus.sock");
    }

    /** {@code DBUS_SYSTEM_BUS_ADDRESS} of the private bus, for a process that should find this firewalld. */
    public Map<String, String> environment() {
        return Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + busSocket());
    }

    /** {@code busctl --system ARGS} on the private bus, in the namespace. */
    public Exec.Result busctl(String... args) {
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(List.of("env", "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + busSocket(), "busctl", "--system", "--timeout=20s"));
        argv.addAll(List.of(args));
        return Exec.run(Duration.ofSeconds(30), null, argv);
    }

    /** The zone firewalld has {@code iface} in at runtime; "" when none. */
    public String zoneOfInterface(String iface) {
        String out = busctl("call", SERVICE, PATH, SERVICE + ".zone", "getZoneOfInterface", "s", iface).orThrow().stdout().strip();
        return out.replaceFirst("^s ", "").replace("\"", ""); // busctl prints: s "libvirt"
    }

    /** Puts {@code iface} in {@code zone} behind the daemon's back (an administrator's firewall-cmd --change-interface). */
    public void changeZoneOfInterface(String zone, String iface) {
        busctl("call", SERVICE, PATH, SERVICE + ".zone", "changeZoneOfInterface", "ss", zone, iface).orThrow();
    }

    /** {@code firewall-cmd --reload}: firewalld forgets the runtime zones of interfaces. */
    public void reload() {
        busctl("call", SERVICE, PATH, SERVICE, "reload").orThrow();
        Await.until(READY_TIMEOUT, Duration.ofMillis(100), "firewalld of " + ns + " to be RUNNING after its reload",
                () -> busctl("get-property", SERVICE, PATH, SERVICE, "state").stdout().contains("RUNNING"));
    }

    /** Stops firewalld (SIGTERM: it removes its table), then the bus, and deletes the directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            // ip netns exec, unshare and sh exec their command: the process is the daemon itself, or its parent
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
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
        if (System.getenv("VNETD_KEEP_FIREWALLD") != null) {
            System.err.println("PrivateFirewalld: kept " + dir + " (VNETD_KEEP_FIREWALLD)");
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
