package org.vnetd.daemon.port;

/** The notes a port carries about what of its definition vnetd does not apply (listed with the port). */
final class PortNotes {
    /** Carried by ports stored by daemons before vnetd applied bandwidth; a new bandwidth drops it. */
    static final String LEGACY_BANDWIDTH = "bandwidth is not applied yet";
    static final String VLAN = "vlan is not applied yet";
    static final String CLIENT_TAP = "its client makes, plugs and removes the tap";
    /** macTableManager='libvirt' on a kernel built without CONFIG_BRIDGE_VLAN_FILTERING (libvirt's network start fails there). */
    static final String NO_VLAN_FILTERING = "the kernel has no bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING): "
            + "the bridge's MAC table is programmed, but the kernel keeps its other ports promiscuous";

    private PortNotes() {
    }
}
