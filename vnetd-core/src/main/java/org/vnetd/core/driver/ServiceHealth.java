package org.vnetd.core.driver;

import java.util.Optional;

/**
 * Whether a running network's in-process services (DHCP, DNS, TFTP) serve: one that could not be
 * started again when a restarted daemon adopted the network, or a DHCP server whose lease log cannot
 * be written, makes the network degraded, which listings say with the reason. Implemented in the daemon.
 */
@FunctionalInterface
public interface ServiceHealth {
    /** Why a service of the running network {@code network} does not serve now, or empty when all do. */
    Optional<String> problem(String network);

    static ServiceHealth none() {
        return network -> Optional.empty();
    }
}
