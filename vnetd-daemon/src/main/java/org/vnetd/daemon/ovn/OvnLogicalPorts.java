package org.vnetd.daemon.ovn;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.ovn.OvnNetworkMapper;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.port.PortOvn;

/** Ports' logical switch ports in the northbound database their network names, tagged with this host. */
public final class OvnLogicalPorts implements PortOvn {
    private static final Logger LOG = LoggerFactory.getLogger(OvnLogicalPorts.class);

    private final OvnConnections connections;

    public OvnLogicalPorts(OvnConnections connections) {
        this.connections = connections;
    }

    private OvnNorthbound northbound(NetworkDef def) {
        return new OvnNorthbound(connections.northbound(def.ovn().orElseThrow().getNorthbound()), connections.chassis());
    }

    @Override
    public String integrationBridge() {
        return connections.integrationBridge();
    }

    @Override
    public void addPort(NetworkDef network, String name, MacAddress mac, Optional<String> address) {
        northbound(network).addPort(OvnNetworkMapper.map(network), name, mac.toString(), address);
        LOG.info("network {}: logical switch port {} ({}) added in OVN", network.name(), name, mac);
    }

    @Override
    public void ensurePort(NetworkDef network, String name, MacAddress mac, Optional<String> address) {
        northbound(network).ensurePort(OvnNetworkMapper.map(network), name, mac.toString(), address);
    }

    @Override
    public void removePort(NetworkDef network, String name) {
        if (northbound(network).removePortIfPresent(OvnNetworkMapper.map(network), name)) {
            LOG.info("network {}: logical switch port {} removed from OVN", network.name(), name);
        }
    }
}
