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
import java.util.concurrent.ConcurrentHashMap;

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

/**
 * Applies {@link Action.ReleaseFromLibvirt}: libvirt's status file is moved aside, its firewall rules of the
 * network go, its dnsmasq and radvd stop, and their leases (read now, after dnsmasq wrote its last) go into
 * vnetd's lease store. vnetd's own rules are in already, so forwarding goes on.
 *
 * <p>A takeover that fails after this ({@link #restore}) gives the network back to libvirt as it ran it:
 * the rules are put back where they were, dnsmasq and radvd start again as libvirt started them (how, is
 * taken before they stop: {@link LibvirtDaemonRun}), and the status file is moved back; libvirt's dnsmasq
 * then takes up its leases again from its own lease file, which the release only read. A release that fails
 * part way undoes its own part the same way before it throws.
 */
public final class LibvirtRelease {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtRelease.class);
    /** What libvirt's status file of a taken-over network is renamed to: libvirtd reads only {@code *.xml}. */
    static final String ASIDE_SUFFIX = ".vnetd";
    /** Record keys of the scripts putting libvirt's rules back, one per tool. */
    static final String RESTORE_PREFIX = "restore.";

    private final LibvirtFirewallRules firewall;
    private final CommandRunner commands;
    private final LeaseImporter leases;
    private final LibvirtDaemonLauncher launcher;
    /** Per network, how libvirt ran its daemons, until the takeover is given back or the network is released again. */
    private final Map<String, List<LibvirtDaemonRun>> runs = new ConcurrentHashMap<>();

    /** @param launcher how libvirt's daemons are started again when a network is given back */
    public LibvirtRelease(CommandRunner commands, LeaseImporter leases, LibvirtDaemonLauncher launcher) {
        this.firewall = new LibvirtFirewallRules(commands);
        this.commands = commands;
        this.leases = leases;
        this.launcher = launcher;
    }

    /** Starting libvirt's daemons again as {@link LibvirtDaemonLauncher#detect} finds fit where this process runs. */
    public static LibvirtRelease forThisProcess(CommandRunner commands, LeaseImporter leases) {
        return new LibvirtRelease(commands, leases, LibvirtDaemonLauncher.detect(System.getenv(), LibvirtDaemonLauncher.SYSTEMD_RUNTIME));
    }

    public Map<String, String> release(Action.ReleaseFromLibvirt r, NetworkDef live) {
        List<IpPrefix> subnets = live.ips().stream().map(IpDef::prefix).map(IpPrefix::networkPrefix).toList();
        List<LibvirtDaemonRun> ran = new ArrayList<>();
        // libvirt 9 gives its dnsmasq only this variable (for its lease helper); radvd none
        r.dnsmasqPid().ifPresent(pid -> LibvirtDaemonRun.of(pid, "dnsmasq", "/" + r.network() + ".conf",
                Map.of("VIR_BRIDGE_NAME", r.bridge())).ifPresent(ran::add));
        r.radvdPid().ifPresent(pid -> LibvirtDaemonRun.of(pid, "radvd", "/" + r.network() + "-radvd.", Map.of()).ifPresent(ran::add));
        closeRuns(runs.put(r.network(), ran));
        Map<String, String> record = new LinkedHashMap<>();
        try {
            // first what is most likely to fail (a read-only /run/libvirt) and costs nothing to undo
            r.statusFile().ifPresent(LibvirtRelease::setAside);
            record.put("statusSetAside", Boolean.toString(r.statusFile().isPresent()));
            int rules = 0;
            if (!r.bridge().isEmpty()) {
                LibvirtFirewallRules.Removed removed = firewall.remove(r.bridge(), subnets);
                rules = removed.rules();
                removed.restore().forEach((tool, script) -> record.put(RESTORE_PREFIX + tool, script));
            }
            record.put("libvirtRules", Integer.toString(rules));
            boolean dnsmasq = r.dnsmasqPid().isPresent()
                    && LibvirtDaemons.stop(r.dnsmasqPid().getAsLong(), "dnsmasq", "/" + r.network() + ".conf");
            record.put("stopped", dnsmasq ? "dnsmasq" : "");
            boolean radvd = r.radvdPid().isPresent()
                    && LibvirtDaemons.stop(r.radvdPid().getAsLong(), "radvd", "/" + r.network() + "-radvd.");
            record.put("stopped", (dnsmasq ? "dnsmasq " : "") + (radvd ? "radvd" : ""));
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
            return Map.copyOf(record);
        } catch (RuntimeException e) {
            try {
                restore(r, record);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /**
     * Gives the network back to libvirt after {@link #release} ({@code record} is what it returned, or what it
     * had done when it failed): its rules, its daemons as they ran, its status file. Goes on past failures and
     * throws the first. Afterwards the network is libvirt's as before the takeover: a libvirtd started again
     * finds it running, and {@code import-libvirt --takeover} can be run again.
     */
    public void restore(Action.ReleaseFromLibvirt r, Map<String, String> record) {
        List<RuntimeException> errors = new ArrayList<>();
        Map<String, String> scripts = new LinkedHashMap<>();
        record.forEach((k, v) -> {
            if (k.startsWith(RESTORE_PREFIX) && !v.isEmpty()) {
                scripts.put(k.substring(RESTORE_PREFIX.length()), v);
            }
        });
        run(errors, () -> firewall.restore(scripts));
        List<LibvirtDaemonRun> ran = runs.remove(r.network());
        String stopped = record.getOrDefault("stopped", "");
        if (ran != null) {
            for (LibvirtDaemonRun d : ran) {
                if (stopped.contains(d.program())) {
                    run(errors, () -> d.start(commands, launcher, r.network()));
                }
            }
            closeRuns(ran);
        } else if (!stopped.isBlank()) {
            errors.add(VnetException.of(ErrorCode.INTERNAL, "libvirt's %s for network '%s' cannot be started again: how it ran is not known "
                    + "(vnetd restarted since); restart libvirt's network driver", stopped.trim(), r.network()));
        }
        if (Boolean.parseBoolean(record.getOrDefault("statusSetAside", "false"))) {
            r.statusFile().ifPresent(f -> run(errors, () -> putBack(f)));
        }
        if (!errors.isEmpty()) {
            RuntimeException first = errors.getFirst();
            errors.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
        LOG.info("network '{}': given back to libvirt ({} rule script(s) re-applied, {} started again)", r.network(), scripts.size(),
                stopped.isBlank() ? "nothing" : stopped.trim());
    }

    private static void run(List<RuntimeException> errors, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    private static void closeRuns(List<LibvirtDaemonRun> ran) {
        if (ran != null) {
            ran.forEach(LibvirtDaemonRun::close);
        }
    }

    private static void setAside(String statusFile) {
        Path p = Path.of(statusFile);
        try {
            Files.move(p, p.resolveSibling(p.getFileName() + ASIDE_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // libvirt removed it already
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot move libvirt's status file " + p + " aside: " + e.getMessage(), e);
        }
    }

    private static void putBack(String statusFile) {
        Path p = Path.of(statusFile);
        try {
            Files.move(p.resolveSibling(p.getFileName() + ASIDE_SUFFIX), p, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // it was not there to set aside
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot move libvirt's status file " + p + " back: " + e.getMessage(), e);
        }
    }
}
