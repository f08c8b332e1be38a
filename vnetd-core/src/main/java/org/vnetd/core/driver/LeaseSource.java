package org.vnetd.core.driver;

import java.util.List;

import org.vnetd.core.rpc.Lease;
import org.vnetd.core.xml.model.NetworkDef;

/** The DHCP leases of a running network (the DHCP service in the daemon). */
@FunctionalInterface
public interface LeaseSource {
    List<Lease> leases(String network);

    /**
     * The leases of the running network {@code live}: by default its DHCP service's; a source that knows networks
     * served elsewhere (OVN's DHCP) answers for those from their definition.
     */
    default List<Lease> leases(NetworkDef live) {
        return leases(live.name());
    }
}
