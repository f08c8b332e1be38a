package org.vnetd.daemon.libvirtimport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.libvirtimport.LeaseImporter;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.plan.Action;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.dhcp.LibvirtLeaseImport;
import org.vnetd.daemon.firewall.CommandRunner;
import org.vnetd.daemon.libvirtimport.ReleasePause.Step;

/**
 * Applies {@link Action.ReleaseFromLibvirt}: libvirt's status file is moved aside, its firewall rules of the
 * network go, its dnsmasq and radvd stop, and their leases (read now, after dnsmasq wrote its last) go into
 * vnetd's lease store. vnetd's own rules are in already, so forwarding goes on.
 *
 * <p>Before the first of these steps, what it takes to undo them (how libvirt ran its daemons, the scripts
 * putting its rules back) is on disk ({@link ReleaseJournal}), each step recorded before it runs. A takeover
 * that fails afterwards ({@link #restore}), or a daemon that died in the middle of one and restarted
 * ({@link #giveBack}, through the driver's rollback of the unfinished start, or {@link #giveBackLeftovers}),
 * gives the network back to libvirt as it ran it: the rules where they were, dnsmasq and radvd started again
 * as libvirt started them ({@link LibvirtDaemonRun}, {@link LibvirtDaemonLauncher}), the status file moved
 * back; libvirt's dnsmasq then takes up its leases again from its own lease file, which the release only read.
 * A release that fails part way gives back its own part the same way before it throws. Once the takeover is on
 * record as complete ({@link #committed}) the record goes.
 */
public final class LibvirtRelease {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtRelease.class);
    /** What libvirt's status file of a taken-over network is renamed to: libvirtd reads only {@code *.xml}. */
    static final String ASIDE_SUFFIX = ".vnetd";

    private final LibvirtFirewallRules firewall;
    private final CommandRunner commands;
    private final LeaseImporter leases;
    private final LibvirtDaemonLauncher launcher;
    private final ReleaseJournal journal;
    private final MountNamespaces namespaces = new MountNamespaces();
    private final ReleasePause pause;

    /**
     * @param runDir   where the release records go ({@code RUNDIR/libvirt-release})
     * @param launcher how libvirt's daemons are started again when a network is given back
     * @param pause    a test's fault-injection point, {@link ReleasePause#none()} otherwise
     */
    LibvirtRelease(CommandRunner commands, LeaseImporter leases, Path runDir, LibvirtDaemonLauncher launcher, ReleasePause pause) {
        this.firewall = new LibvirtFirewallRules(commands);
        this.commands = commands;
        this.leases = leases;
        this.journal = new ReleaseJournal(runDir);
        this.launcher = launcher;
        this.pause = pause;
    }

    /**
     * Starting libvirt's daemons again as {@link LibvirtDaemonLauncher#detect} finds fit where this process runs,
     * pausing where {@link ReleasePause#VARIABLE} says.
     */
    public static LibvirtRelease forThisProcess(CommandRunner commands, LeaseImporter leases, Path runDir) {
        Map<String, String> env = System.getenv();
        return new LibvirtRelease(commands, leases, runDir, LibvirtDaemonLauncher.detect(env, LibvirtDaemonLauncher.SYSTEMD_RUNTIME),
                ReleasePause.fromEnvironment(env));
    }

    public Map<String, String> release(Action.ReleaseFromLibvirt r, NetworkDef live) {
        List<IpPrefix> subnets = live.ips().stream().map(IpDef::prefix).map(IpPrefix::networkPrefix).toList();
        List<LibvirtDaemonRun> ran = new ArrayList<>();
        Path statusDir = r.statusFile().map(f -> Path.of(f).getParent()).orElse(null);
        // libvirt 9 gives its dnsmasq only this variable (for its lease helper); radvd none
        r.dnsmasqPid().ifPresent(pid -> LibvirtDaemonRun.of(pid, "dnsmasq", "/" + r.network() + ".conf",
                statusDir == null ? null : statusDir.resolve(r.network() + ".pid"), Map.of("VIR_BRIDGE_NAME", r.bridge())).ifPresent(ran::add));
        r.radvdPid().ifPresent(pid -> LibvirtDaemonRun.of(pid, "radvd", "/" + r.network() + "-radvd.",
                statusDir == null ? null : statusDir.resolve(r.network() + "-radvd.pid"), Map.of()).ifPresent(ran::add));
        // a record left by an earlier release of this network was given back or finished: this one replaces it
        journal.read(r.network()).ifPresent(this::letGo);
        ran.stream().filter(d -> d.mountNamespace() != null).forEach(d -> namespaces.hold(d.mountNamespace(), d.pid()));
        Progress step = new Progress(ReleaseJournal.Entry.begin(r, subnets.stream().map(IpPrefix::toString).toList(), ran));
        Map<String, String> record = new LinkedHashMap<>();
        try {
            step.record(UnaryOperator.identity()); // before the first step: what undoes them is on disk
            pause.after(Step.RECORDED, r.network());
            // first what is most likely to fail (a read-only /run/libvirt) and costs nothing to undo
            if (r.statusFile().isPresent()) {
                step.record(ReleaseJournal.Entry::settingStatusAside);
                setAside(r.statusFile().get());
                pause.after(Step.STATUS_SET_ASIDE, r.network());
            }
            record.put("statusSetAside", Boolean.toString(r.statusFile().isPresent()));
            int rules = 0;
            if (!r.bridge().isEmpty()) {
                rules = firewall.remove(r.bridge(), subnets, (tool, script) -> step.record(e -> e.removingRules(tool, script))).rules();
                pause.after(Step.RULES_REMOVED, r.network());
            }
            record.put("libvirtRules", Integer.toString(rules));
            boolean dnsmasq = stop(r, "dnsmasq", "/" + r.network() + ".conf", step);
            pause.after(Step.DNSMASQ_STOPPED, r.network());
            boolean radvd = stop(r, "radvd", "/" + r.network() + "-radvd.", step);
            pause.after(Step.RADVD_STOPPED, r.network());
            record.put("stopped", ((dnsmasq ? "dnsmasq " : "") + (radvd ? "radvd" : "")).trim());
            int imported = 0;
            if (r.leaseFile().isPresent() && !r.bridge().isEmpty()) {
                Path file = Path.of(r.leaseFile().get());
                if (Files.exists(file)) {
                    List<DhcpLease> read = LibvirtLeaseImport.read(file);
                    leases.importLeases(r.bridge(), read);
                    imported = read.size();
                }
            }
            record.put("leases", Integer.toString(imported));
            LOG.info("network '{}': libvirt let go ({} rule(s) removed, dnsmasq {}, radvd {}, {} lease(s) imported)", r.network(), rules,
                    dnsmasq ? "stopped" : "not running", radvd ? "stopped" : "not running", imported);
            pause.after(Step.RELEASED, r.network());
            return Map.copyOf(record);
        } catch (RuntimeException e) {
            try {
                giveBack(r.network());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** The release's record as its steps begin, each change on disk before the step runs. */
    private final class Progress {
        private ReleaseJournal.Entry entry;

        Progress(ReleaseJournal.Entry first) {
            entry = first;
        }

        void record(UnaryOperator<ReleaseJournal.Entry> change) {
            ReleaseJournal.Entry next = change.apply(entry);
            journal.save(next);
            entry = next;
        }
    }

    private boolean stop(Action.ReleaseFromLibvirt r, String program, String mark, Progress step) {
        var pid = program.equals("dnsmasq") ? r.dnsmasqPid() : r.radvdPid();
        if (pid.isEmpty()) {
            return false;
        }
        step.record(e -> e.stopping(program));
        return LibvirtDaemons.stop(pid.getAsLong(), program, mark);
    }

    /**
     * Gives the network back to libvirt after {@link #release} (the rollback of a takeover that failed, in this
     * daemon or in one that died in the middle of it); {@code record} is what the release returned, if it did:
     * what to give back is read from the release's record on disk.
     */
    public void restore(Action.ReleaseFromLibvirt r, Map<String, String> record) {
        giveBack(r.network());
    }

    /**
     * Gives {@code network} back to libvirt as its release record says libvirt ran it: each begun step is
     * checked and undone (libvirt's rules put back unless they are there, its daemons started unless they run,
     * its status file moved back unless libvirt has one), so a give-back interrupted and run again does each
     * once. Goes on past failures and throws the first; the record stays then, and the next start of vnetd tries
     * again. Afterwards the network is libvirt's as before the takeover: a libvirtd started again finds it
     * running, and {@code import-libvirt --takeover} can be run again. Nothing to do without a record.
     */
    public void giveBack(String network) {
        ReleaseJournal.Entry e = journal.read(network).orElse(null);
        if (e == null) {
            LOG.info("network '{}': nothing of libvirt's to give back (no release record)", network);
            return;
        }
        Action.ReleaseFromLibvirt r = e.release();
        List<IpPrefix> subnets = e.subnets().stream().map(IpPrefix::parse).toList();
        List<RuntimeException> errors = new ArrayList<>();
        List<String> done = new ArrayList<>();
        e.rulesRemoved().forEach((tool, script) -> run(errors, () -> {
            if (!firewall.present(tool, r.bridge(), subnets)) {
                firewall.restore(Map.of(tool, script));
                done.add(tool + " rules");
            }
        }));
        for (LibvirtDaemonRun d : e.daemons()) {
            if (e.stopping().contains(d.program())) {
                run(errors, () -> {
                    if (!d.running()) {
                        d.start(commands, launcher, network,
                                d.mountNamespace() == null ? Optional.empty() : namespaces.path(d.mountNamespace()));
                        done.add(d.program());
                    }
                });
            }
        }
        if (e.statusSetAside()) {
            r.statusFile().ifPresent(f -> run(errors, () -> {
                if (putBack(f)) {
                    done.add("status file");
                }
            }));
        }
        if (!errors.isEmpty()) {
            RuntimeException first = errors.getFirst();
            errors.stream().skip(1).forEach(first::addSuppressed);
            LOG.error("network '{}': not all of it could be given back to libvirt ({}); its release record stays and the next start of "
                    + "vnetd tries again; or restart libvirt's network driver", network, first.getMessage());
            throw first;
        }
        letGo(e);
        LOG.info("network '{}': given back to libvirt ({})", network, done.isEmpty() ? "all of it was libvirt's still" : String.join(", ", done));
    }

    /** The takeover of {@code network} is on record as complete (or its network ended): its release record goes. */
    public void committed(String network) {
        journal.read(network).ifPresent(this::letGo);
    }

    /**
     * At daemon start, after the driver's recovery: a release record left is a takeover neither finished nor
     * given back (a give-back that failed, or a crash between steps the recovery cannot see); its network is
     * given back unless {@code active} says vnetd runs it (then the takeover had finished and the record goes).
     * Failures are logged, never stop the start.
     */
    public void giveBackLeftovers(Predicate<String> active) {
        for (String network : journal.networks()) {
            try {
                if (active.test(network)) {
                    committed(network);
                } else {
                    LOG.warn("network '{}': a takeover from libvirt was neither finished nor given back; giving it back", network);
                    giveBack(network);
                }
            } catch (RuntimeException ex) {
                LOG.error("network '{}': cannot give it back to libvirt: {}", network, ex.getMessage());
            }
        }
    }

    private void letGo(ReleaseJournal.Entry e) {
        journal.delete(e.network());
        e.daemons().stream().filter(d -> d.mountNamespace() != null).forEach(d -> namespaces.release(d.mountNamespace()));
    }

    private static void run(List<RuntimeException> errors, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    private static void setAside(String statusFile) {
        Path p = Path.of(statusFile);
        try {
            Files.move(p, aside(p), StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // libvirt removed it already
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot move libvirt's status file " + p + " aside: " + e.getMessage(), e);
        }
    }

    /**
     * Moves the status file back unless libvirt has one there (the set-aside never ran, and a file aside is an
     * older takeover's); returns whether it moved one.
     */
    private static boolean putBack(String statusFile) {
        Path p = Path.of(statusFile);
        if (Files.exists(p)) {
            return false;
        }
        try {
            Files.move(aside(p), p);
            return true;
        } catch (NoSuchFileException e) {
            return false; // it was not there to set aside
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot move libvirt's status file " + p + " back: " + e.getMessage(), e);
        }
    }

    private static Path aside(Path statusFile) {
        return statusFile.resolveSibling(statusFile.getFileName() + ASIDE_SUFFIX);
    }
}
