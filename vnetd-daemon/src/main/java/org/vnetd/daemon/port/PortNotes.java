package org.vnetd.daemon.port;

/** The notes a port carries about what of its definition vnetd does not apply (listed with the port). */
final class PortNotes {
    static final String BANDWIDTH = "bandwidth is not applied yet";
    static final String VLAN = "vlan is not applied yet";
    static final String CLIENT_TAP = "its client makes, plugs and removes the tap";

    private PortNotes() {
    }
}
