package org.vnetd.core.libvirtimport;

import java.util.List;

import org.vnetd.core.dhcp.DhcpLease;

/** Puts leases into the lease store a network's DHCP server starts from (the daemon's durable store). */
@FunctionalInterface
public interface LeaseImporter {
    void importLeases(String bridge, List<DhcpLease> leases);
}
