package org.vnetd.core.plan;

import org.vnetd.core.xml.model.NetworkDef;

/**
 * The system side of plans, implemented in the daemon (netlink, sysctl, firewall, in-process
 * services) and by recording fakes in tests.
 */
public interface ActionBackends {
    /** The effects of {@code live}'s actions; services take their configuration from {@code live}. */
    Effects<Action> forNetwork(NetworkDef live);

    /**
     * Applies a live {@code net-update} of {@code section} to a running network (e.g. reconfigures
     * DHCP hosts or DNS records in place, without restarting anything else).
     */
    default void liveUpdate(NetworkDef oldDef, NetworkDef newDef, String section) {
    }
}
