package org.vnetd.core.libvirtimport;

import java.util.Comparator;
import java.util.List;

/** The networks of libvirt's network driver on this host, read from its files (sorted by name). */
public record LibvirtHost(List<LibvirtNetwork> networks) {
    public LibvirtHost {
        networks = networks.stream().sorted(Comparator.comparing(LibvirtNetwork::name)).toList();
    }
}
