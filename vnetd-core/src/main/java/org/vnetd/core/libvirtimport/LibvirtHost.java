package org.vnetd.core.libvirtimport;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The networks of libvirt's network driver on this host, read from its files (sorted by name).
 *
 * @param firewalldZones the interfaces firewalld has in one of its zones, and the zone (libvirt's firewalld
 *                       backend puts its bridges in zone {@code libvirt}); empty when firewalld does not run
 */
public record LibvirtHost(List<LibvirtNetwork> networks, Map<String, String> firewalldZones) {
    public LibvirtHost {
        networks = networks.stream().sorted(Comparator.comparing(LibvirtNetwork::name)).toList();
        firewalldZones = Map.copyOf(firewalldZones);
    }

    /** A host where firewalld does not run. */
    public LibvirtHost(List<LibvirtNetwork> networks) {
        this(networks, Map.of());
    }
}
