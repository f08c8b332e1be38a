package org.vnetd.daemon.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.vnetd.core.dhcp.DhcpConfig;

/** The DHCP reservations of VM ports (port.create's ip), per network, merged into its DHCP configuration. */
final class PortReservations {
    private final Map<String, List<DhcpConfig.StaticHost>> byNetwork = new ConcurrentHashMap<>();

    /** Replaces {@code network}'s reservations; returns the ones it had (null: none), for {@link #restore}. */
    List<DhcpConfig.StaticHost> set(String network, List<DhcpConfig.StaticHost> hosts) {
        return hosts.isEmpty() ? byNetwork.remove(network) : byNetwork.put(network, List.copyOf(hosts));
    }

    /** Puts back what {@link #set} returned, when the new reservations could not be applied. */
    void restore(String network, List<DhcpConfig.StaticHost> before) {
        if (before == null) {
            byNetwork.remove(network);
        } else {
            byNetwork.put(network, before);
        }
    }

    /** {@code config} with {@code network}'s reservations added to its hosts. */
    DhcpConfig merged(String network, DhcpConfig config) {
        List<DhcpConfig.StaticHost> extra = byNetwork.get(network);
        if (extra == null || extra.isEmpty()) {
            return config;
        }
        List<DhcpConfig.StaticHost> all = new ArrayList<>(config.hosts());
        all.addAll(extra);
        return config.withHosts(all);
    }
}
