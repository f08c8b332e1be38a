package org.vnetd.core.ovn;

/**
 * The {@code external_ids} keys vnetd writes into OVN's northbound database. Shared rows (switch,
 * router, DHCP and DNS rows) carry the network's uuid; the switch also carries one key per host that
 * has the network started; a guest's port carries the network and the host that made it, so that a
 * host only ever removes its own ports.
 */
public final class OvnKeys {
    /** On every shared row: the network's uuid (the same on every host that defines the network). */
    public static final String NETWORK = "vnetd:network";
    public static final String NETWORK_NAME = "vnetd:network-name";
    /**
     * On the uplink switch of a router (its provider network side) instead of {@link #NETWORK}, so that
     * "the network's switch" is always one row.
     */
    public static final String UPLINK_OF = "vnetd:uplink-of";
    /** On the switch, {@code vnetd:host:<host id>=started} while that host has the network started. */
    public static final String HOST_PREFIX = "vnetd:host:";
    public static final String STARTED = "started";
    /** On a guest's logical switch port: the network's uuid. */
    public static final String PORT_NETWORK = "vnetd:port-network";
    /** On a guest's logical switch port: the host (its OVN chassis name) that created it. */
    public static final String PORT_HOST = "vnetd:port-host";

    private OvnKeys() {
    }

    public static String hostKey(String hostId) {
        return HOST_PREFIX + hostId;
    }
}
