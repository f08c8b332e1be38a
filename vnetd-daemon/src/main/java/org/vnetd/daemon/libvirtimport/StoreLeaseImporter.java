package org.vnetd.daemon.libvirtimport;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.libvirtimport.LeaseImporter;
import org.vnetd.daemon.dhcp.DurableLeaseStore;

/**
 * Imported leases go into the durable lease store of the bridge ({@code leaseDir/BRIDGE.leases}), which
 * the network's DHCP server loads when it starts; call it before that server starts.
 */
public final class StoreLeaseImporter implements LeaseImporter {
    private final Path leaseDir;
    private final Clock clock;

    public StoreLeaseImporter(Path leaseDir, Clock clock) {
        this.leaseDir = leaseDir;
        this.clock = clock;
    }

    @Override
    public void importLeases(String bridge, List<DhcpLease> leases) {
        try (DurableLeaseStore s = DurableLeaseStore.open(leaseDir, bridge, clock)) {
            s.importLeases(leases);
        }
    }
}
