package org.vnetd.daemon.libvirtimport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.libvirtimport.ImportJournal;
import org.vnetd.core.libvirtimport.ImportPlanner;
import org.vnetd.core.libvirtimport.LeaseImporter;
import org.vnetd.core.libvirtimport.LibvirtHost;
import org.vnetd.core.libvirtimport.LibvirtImport;
import org.vnetd.core.libvirtimport.PortImporter;
import org.vnetd.core.plan.Planner;
import org.vnetd.core.rpc.ImportResult;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Request;
import org.vnetd.daemon.firewall.CommandRunner;
import org.vnetd.daemon.rpc.RpcMethod;

/**
 * {@code network.importLibvirt} (docs/rpc.md): reads libvirt's files where the daemon runs and hands them
 * to the driver's import ({@link LibvirtImport}). One import at a time.
 */
public final class LibvirtImportService {
    public static final Path CONFIG_DIR = Path.of("/etc/libvirt/qemu/networks");
    public static final Path STATUS_DIR = Path.of("/run/libvirt/network");
    public static final Path LEASE_DIR = Path.of("/var/lib/libvirt/dnsmasq");

    private final NetworkDriver driver;
    private final Planner planner;
    private final LeaseImporter leases;
    private final PortImporter ports;
    private final CommandRunner commands;
    private final ImportJournal journal;

    /**
     * @param commands runs {@code nft}, to see which bridges firewalld has in its zones ({@link FirewalldZones})
     * @param journal  where an import records the networks it defines until it ends
     */
    public LibvirtImportService(NetworkDriver driver, Planner planner, LeaseImporter leases, PortImporter ports, CommandRunner commands,
            ImportJournal journal) {
        this.driver = driver;
        this.planner = planner;
        this.leases = leases;
        this.ports = ports;
        this.commands = commands;
        this.journal = journal;
    }

    public List<RpcMethod> all() {
        return List.of(RpcMethod.onWorker(Methods.NETWORK_IMPORT_LIBVIRT, RpcMethod.Access.WRITE,
                Request.NetworkImportLibvirt.class, (r, c) -> run(r)));
    }

    private ImportResult run(Request.NetworkImportLibvirt r) {
        return run(dir(r.configDir(), "configDir", CONFIG_DIR), dir(r.statusDir(), "statusDir", STATUS_DIR),
                dir(r.leaseDir(), "leaseDir", LEASE_DIR), r.takeover(), r.dryRun());
    }

    public synchronized ImportResult run(Path configDir, Path statusDir, Path leaseDir, boolean takeover, boolean dryRun) {
        LibvirtHost host = new LibvirtHostReader(configDir, statusDir, leaseDir).read();
        // only a takeover meets firewalld: what runs stays libvirt's otherwise
        Map<String, String> zones = takeover ? FirewalldZones.read(commands) : Map.of();
        return new LibvirtImport(driver, new ImportPlanner(planner), leases, ports, journal).run(new LibvirtHost(host.networks(), zones), takeover,
                dryRun);
    }

    private static Path dir(String v, String name, Path dflt) {
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        Path d = Path.of(v);
        if (!d.isAbsolute()) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "%s must be an absolute path (the daemon's), not '%s'", name, v);
        }
        return d;
    }
}
