package org.vnetd.daemon.ovn;

import java.util.Map;

import org.vnetd.core.ovn.OvnNetworkMapper;
import org.vnetd.core.plan.Action;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * The daemon's side of {@link Action.OvnSwitch}: the network's rows in OVN's northbound database, for
 * this host. Adoption after a daemon restart starts again, which joins what is there (nothing is lost:
 * the rows and ports live in the database, not in this process).
 */
public final class OvnEffects {
    private final OvnConnections connections;

    public OvnEffects(OvnConnections connections) {
        this.connections = connections;
    }

    private OvnNorthbound northbound(Action.OvnSwitch a) {
        return new OvnNorthbound(connections.northbound(a.northbound()), connections.chassis());
    }

    public Map<String, String> apply(Action.OvnSwitch a, NetworkDef live) {
        try {
            OvnNorthbound nb = northbound(a);
            nb.start(OvnNetworkMapper.map(live));
            connections.inUse(a.northbound(), a.network());
            return Map.of("chassis", nb.hostId());
        } catch (RuntimeException e) {
            connections.forgetUnconnected(a.northbound());
            throw e;
        }
    }

    public void undo(Action.OvnSwitch a, NetworkDef live, Map<String, String> record) {
        String host = record.getOrDefault("chassis", connections.chassis());
        try {
            new OvnNorthbound(connections.northbound(a.northbound()), host).stop(OvnNetworkMapper.map(live));
        } finally {
            // also when the stop failed: the connection is opened again by whatever uses the database next
            connections.released(a.northbound(), a.network());
        }
    }
}
