package org.vnetd.core.driver;

import java.util.List;

import org.vnetd.core.rpc.Lease;

/** The DHCP leases of a running network (the DHCP service in the daemon). */
@FunctionalInterface
public interface LeaseSource {
    List<Lease> leases(String network);
}
