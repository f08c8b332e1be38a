package org.vnetd.daemon.port;

import java.util.Optional;

import org.vnetd.core.net.MacAddress;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * What ports of networks on OVN ({@code <vnetd:ovn>}) need from OVN: a logical switch port of this host per port,
 * named by the interface id its tap carries on the integration bridge ({@code external_ids:iface-id}), which is
 * how ovn-controller binds the two.
 */
public interface PortOvn {
    /** The local bridge ovn-controller binds guests' interfaces on (br-int unless the host names another). */
    String integrationBridge();

    /** Adds this host's logical switch port {@code name} with {@code mac} (and {@code address}, else dynamic). */
    void addPort(NetworkDef network, String name, MacAddress mac, Optional<String> address);

    /** Adds it unless this host has it (a network started again after its stop removed this host's ports). */
    void ensurePort(NetworkDef network, String name, MacAddress mac, Optional<String> address);

    /** Removes this host's logical switch port {@code name}; one already gone is no error. */
    void removePort(NetworkDef network, String name);
}
