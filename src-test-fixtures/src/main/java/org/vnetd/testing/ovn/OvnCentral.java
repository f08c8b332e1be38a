package org.vnetd.testing.ovn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * OVN's central node of a test's own, in a namespace: the northbound and southbound
 * {@code ovsdb-server}s (unix sockets under a temp dir, and TCP on {@code address} ports 6641/6642
 * for the chassis) and {@code ovn-northd} between them. Nothing of /run/ovn or /var/lib/ovn is used.
 */
public final class OvnCentral implements AutoCloseable {
    public static final String[] COMMANDS = {"ovsdb-server", "ovsdb-tool", "ovn-northd", "ovn-nbctl", "ovn-sbctl"};

    private final TestNetns ns;
    private final Path dir;
    private final String address;
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final OvnProcesses processes = new OvnProcesses();
    private PrivateOvsdbServer nb;
    private PrivateOvsdbServer sb;
    private Process northd;

    private OvnCentral(TestNetns ns, Path dir, String address) {
        this.ns = ns;
        this.dir = dir;
        this.address = address;
    }

    /** Starts the databases and ovn-northd in {@code ns}, listening on {@code address} (already on one of its links). */
    public static OvnCentral start(TestNetns ns, String address) {
        NetnsSupport.require(COMMANDS);
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "vnt-ovn-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OvnCentral c = new OvnCentral(ns, dir, address);
        try {
            c.nb = new PrivateOvsdbServer(dir.resolve("nb"), PrivateOvsdbServer.OVN_NB_SCHEMA, ns.prefix(),
                    List.of("--remote=ptcp:6641:" + address));
            c.parts.add(c.nb);
            c.sb = new PrivateOvsdbServer(dir.resolve("sb"), PrivateOvsdbServer.OVN_SB_SCHEMA, ns.prefix(),
                    List.of("--remote=ptcp:6642:" + address));
            c.parts.add(c.sb);
            c.startNorthd();
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private void startNorthd() {
        northd = processes.spawn(ns, dir, Map.of("OVN_RUNDIR", dir.toString()), "ovn-northd", "--ovnnb-db=" + nb.remote(),
                "--ovnsb-db=" + sb.remote(), "--unixctl=" + dir.resolve("northd.ctl"), "--log-file=" + dir.resolve("northd.log"),
                "-vconsole:off");
        // northd writes SB_Global.nb_cfg... simplest sign of life: ovn-nbctl --wait=sb sync returns
        Await.until(Duration.ofSeconds(30), "ovn-northd of " + ns + " to sync the southbound database",
                () -> {
                    if (!northd.isAlive()) {
                        throw new AssertionError("ovn-northd exited " + northd.exitValue() + "; see " + dir);
                    }
                    return nbctl("--timeout=5", "--wait=sb", "sync").ok();
                });
    }

    /** Stops ovn-northd and starts it again (the databases keep everything). */
    public void restartNorthd() {
        OvnProcesses.stop(northd);
        startNorthd();
    }

    public PrivateOvsdbServer northbound() {
        return nb;
    }

    public PrivateOvsdbServer southbound() {
        return sb;
    }

    /** The northbound database as the chassis' vnetd reach it. */
    public String northboundTcp() {
        return "tcp:" + address + ":6641";
    }

    public String southboundTcp() {
        return "tcp:" + address + ":6642";
    }

    public Path dir() {
        return dir;
    }

    public Exec.Result nbctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovn-nbctl", "--db=" + nb.remote()));
        cmd.addAll(List.of(args));
        return Exec.run(Exec.DEFAULT_TIMEOUT, null, cmd);
    }

    public Exec.Result sbctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovn-sbctl", "--db=" + sb.remote()));
        cmd.addAll(List.of(args));
        return Exec.run(Exec.DEFAULT_TIMEOUT, null, cmd);
    }

    @Override
    public void close() {
        processes.close();
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                // the others still stop
            }
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is only litter
        }
    }
}
