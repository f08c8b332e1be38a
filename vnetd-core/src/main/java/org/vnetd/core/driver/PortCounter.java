package org.vnetd.core.driver;

import java.util.UUID;

/**
 * How many ports a running network has: libvirt shows it as the live XML's {@code <network connections='N'>}.
 * The daemon's port manager counts them; it is made after the driver (it needs the driver), so it is
 * registered with {@link NetworkDriver#countPortsWith}.
 */
@FunctionalInterface
public interface PortCounter {
    int ports(String network, UUID uuid);
}
