package org.vnetd.daemon.libvirtimport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

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
 * Applies {@link Action.ReleaseFromLibvirt}: libvirt's firewall rules of the network go, its dnsmasq and
 * radvd stop, their leases (read now, after dnsmasq wrote its last) go into vnetd's lease store, and
 * libvirt's status file is moved aside. vnetd's own rules are in already, so forwarding goes on.
 */
public final class LibvirtRelease {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtRelease.class);
    /** What libvirt's status file of a taken-over network is renamed to: libvirtd reads only {@code *.xml}. */
    static final String ASIDE_SUFFIX = ".vnetd";

    private final LibvirtFirewallRules firewall;
    private final LeaseImporter leases;

    public LibvirtRelease(CommandRunner commands, LeaseImporter leases) {
        this.firewall = new LibvirtFirewallRules(commands);
        this.leases = leases;
    }

    public Map<String, String> release(Action.ReleaseFromLibvirt r, NetworkDef live) {
        List<IpPrefix> subnets = live.ips().stream().map(IpDef::prefix).map(IpPrefix::networkPrefix).toList();
        int rules = r.bridge().isEmpty() ? 0 : firewall.remove(r.bridge(), subnets);
        boolean dnsmasq = r.dnsmasqPid().isPresent()
                && LibvirtDaemons.stop(r.dnsmasqPid().getAsLong(), "dnsmasq", "/" + r.network() + ".conf");
        boolean radvd = r.radvdPid().isPresent()
                && LibvirtDaemons.stop(r.radvdPid().getAsLong(), "radvd", "/" + r.network() + "-radvd.");
        int imported = 0;
        if (r.leaseFile().isPresent() && !r.bridge().isEmpty()) {
            Path file = Path.of(r.leaseFile().get());
            if (Files.exists(file)) {
                List<DhcpLease> read = LibvirtLeaseImport.read(file);
                leases.importLeases(r.bridge(), read);
                imported = read.size();
            }
        }
        r.statusFile().ifPresent(LibvirtRelease::setAside);
        LOG.info("network '{}': libvirt let go ({} rule(s) removed, dnsmasq {}, radvd {}, {} lease(s) imported)", r.network(), rules,
                dnsmasq ? "stopped" : "not running", radvd ? "stopped" : "not running", imported);
        return Map.of("libvirtRules", Integer.toString(rules), "leases", Integer.toString(imported));
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
}
