package org.vnetd.core.driver;

import java.util.Map;
import java.util.UUID;

/**
 * How many ports a running network has: libvirt shows it as the live XML's {@code <network connections='N'>}.
 * The daemon's port manager counts them; it is made after the driver (it needs the driver), so it is
 * registered with {@link NetworkDriver#countPortsWith}.
 */
@FunctionalInterface
public interface PortCounter {
    int ports(String network, UUID uuid);

    /**
     * How many ports hold each host interface of the running network's device pool: libvirt shows it as
     * {@code <interface dev connections='N'>} in the live XML.
     */
    default Map<String, Integer> interfaceConnections(String network, UUID uuid) {
        return Map.of();
    }
}
