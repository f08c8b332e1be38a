package org.vnetd.daemon.ovn;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.ovn.OvnNetwork;
import org.vnetd.core.ovn.OvnNorthboundPlan;
import org.vnetd.core.ovsdb.OvsdbJson;
import org.vnetd.core.ovsdb.OvsdbValue;
import org.vnetd.core.ovsdb.TransactionAborted;
import org.vnetd.daemon.ovsdb.OvsdbClient;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Applies a network's northbound transactions ({@link OvnNorthboundPlan}) for this host
 * ({@code hostId}, its OVN chassis name): start creates the shared rows or joins them, stop removes
 * this host's ports and, on the last host, the shared rows. Where hosts race, the plan's guards make
 * the loser's transaction abort whole and this class takes the other path, a bounded number of times.
 */
public final class OvnNorthbound {
    private static final Logger LOG = LoggerFactory.getLogger(OvnNorthbound.class);
    /** create/join (or leave/leave-as-last) alternate at most this often before the race is reported. */
    static final int ATTEMPTS = 4;

    private final OvsdbClient nb;
    private final String hostId;

    public OvnNorthbound(OvsdbClient nb, String hostId) {
        this.nb = nb;
        this.hostId = hostId;
    }

    public String hostId() {
        return hostId;
    }

    /** Creates the network's switch (and DHCP, DNS, router) or, when another host made it, joins it. */
    public void start(OvnNetwork n) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                nb.transact(OvnNorthboundPlan.create(n, hostId));
                LOG.info("network {}: created logical switch {} in OVN", n.name(), n.switchName());
                return;
            } catch (TransactionAborted e) {
                if (!e.guardFailed(0)) {
                    throw e.wrap("cannot create network '" + n.name() + "' in OVN");
                }
            }
            try {
                nb.transact(OvnNorthboundPlan.join(n.uuid(), hostId));
                LOG.info("network {}: joined logical switch {} in OVN", n.name(), n.switchName());
                warnIfDefinedOtherwise(n);
                return;
            } catch (TransactionAborted e) {
                if (!e.guardFailed(0)) {
                    throw e.wrap("cannot join network '" + n.name() + "' in OVN");
                }
            }
        }
        throw new VnetException(ErrorCode.OVN, "network '" + n.name() + "': the switch was created and removed by other hosts "
                + ATTEMPTS + " times while this host started it; start again");
    }

    /**
     * A host that joins with a definition mapping to other rows than the switch was made from does not rewrite them
     * (the first host's DHCP, DNS and router stay): said in the log, and by {@code vnetctl doctor}.
     */
    private void warnIfDefinedOtherwise(OvnNetwork n) {
        String mine = OvnNorthboundPlan.digest(n);
        definitionInOvn(n).filter(d -> !d.equals(mine)).ifPresent(d -> LOG.warn("network {}: this host's definition maps to other OVN "
                + "rows than the ones the switch was made from (definition {} here, {} in OVN); OVN keeps those: define the same "
                + "network on every host", n.name(), mine, d));
    }

    /** The {@link OvnNorthboundPlan#digest} of the definition the network's switch was made from, if it carries one. */
    public Optional<String> definitionInOvn(OvnNetwork n) {
        List<Map<String, OvsdbValue>> switches = OvsdbJson.rows(nb.transact(OvnNorthboundPlan.readShared(n.uuid())).get(0));
        if (!switches.isEmpty() && switches.getFirst().get("other_config") instanceof OvsdbValue.MapOf config
                && config.entries().get(OvsdbValue.of(OvnNorthboundPlan.DEFINITION)) instanceof OvsdbValue.Atom a) {
            return Optional.of(a.value().toString());
        }
        return Optional.empty();
    }

    /**
     * Removes this host's ports and its mark on the switch; the last host removes the shared rows too.
     * The caller holds the network's lock, so this host's ports do not change meanwhile.
     */
    public void stop(OvnNetwork n) {
        List<String> mine = List.copyOf(hostPorts(n).values());
        try {
            nb.transact(OvnNorthboundPlan.leaveAsLast(n, hostId, mine));
            LOG.info("network {}: last host, removed logical switch {} from OVN", n.name(), n.switchName());
            return;
        } catch (TransactionAborted e) {
            if (!e.guardFailed(OvnNorthboundPlan.LAST_HOST_GUARD)) {
                throw e.wrap("cannot remove network '" + n.name() + "' from OVN");
            }
        }
        nb.transact(OvnNorthboundPlan.leave(n.uuid(), hostId, mine));
        LOG.info("network {}: removed this host's {} port(s); other hosts keep the switch", n.name(), mine.size());
    }

    /** Adds a guest's port; returns its row's uuid. */
    public String addPort(OvnNetwork n, String portName, String mac) {
        return addPort(n, portName, mac, Optional.empty());
    }

    /**
     * Adds a guest's port with {@code mac}: the network's reservation of the MAC, else {@code address}, else the
     * address OVN gave a port of the same MAC on the network (of any host: the guest migrating here while its
     * old port still exists keeps its dynamic address), else {@code dynamic}. Returns the row's uuid.
     */
    public String addPort(OvnNetwork n, String portName, String mac, Optional<String> address) {
        List<JsonNode> shared = nb.transact(OvnNorthboundPlan.readShared(n.uuid()));
        List<Map<String, OvsdbValue>> switches = OvsdbJson.rows(shared.get(0));
        if (switches.isEmpty()) {
            throw new VnetException(ErrorCode.NETWORK_INACTIVE, "network '" + n.name() + "' has no logical switch in OVN (not started)");
        }
        String switchUuid = uuidOf(switches.getFirst());
        Optional<String> dhcp = OvsdbJson.rows(shared.get(1)).stream().findFirst().map(OvnNorthbound::uuidOf);
        Optional<String> kept = address.isPresent() ? address : givenAddress(n, mac);
        kept.ifPresent(a -> LOG.info("network {}: port {} of {} takes {}", n.name(), portName, mac, a));
        List<JsonNode> r = nb.transact(OvnNorthboundPlan.addPort(n, switchUuid, dhcp, hostId, portName, mac, kept));
        return OvsdbJson.insertedUuid(r.get(0));
    }

    /** The address OVN gave (or a port was given) for {@code mac} on another of the network's ports. */
    Optional<String> givenAddress(OvnNetwork n, String mac) {
        String m = mac.toLowerCase(java.util.Locale.ROOT);
        for (OvnPortRow p : ports(n)) {
            if (p.mac().equals(m) && p.address().isPresent()) {
                return p.address();
            }
        }
        return Optional.empty();
    }

    /** Every guest port of the network in OVN, of every host. */
    public List<OvnPortRow> ports(OvnNetwork n) {
        List<JsonNode> r = nb.transact(OvnNorthboundPlan.readNetworkPorts(n.uuid()));
        return OvsdbJson.rows(r.get(0)).stream().map(OvnPortRow::of).toList();
    }

    /** Adds this host's port {@code portName} unless it is there (a network started again lost it on stop). */
    public void ensurePort(OvnNetwork n, String portName, String mac, Optional<String> address) {
        if (!hostPorts(n).containsKey(portName)) {
            addPort(n, portName, mac, address);
        }
    }

    /** Removes this host's port {@code portName}; false if it has none of that name (removed already). */
    public boolean removePortIfPresent(OvnNetwork n, String portName) {
        String uuid = hostPorts(n).get(portName);
        if (uuid == null) {
            return false;
        }
        nb.transact(OvnNorthboundPlan.removePort(n.uuid(), uuid));
        return true;
    }

    /** Removes one of this host's ports by name; a port of another host is not touched. */
    public void removePort(OvnNetwork n, String portName) {
        String uuid = hostPorts(n).get(portName);
        if (uuid == null) {
            throw new VnetException(ErrorCode.NO_SUCH_PORT, "network '" + n.name() + "' has no port '" + portName + "' of host '"
                    + hostId + "' in OVN");
        }
        nb.transact(OvnNorthboundPlan.removePort(n.uuid(), uuid));
    }

    /** This host's ports of the network: name to row uuid. */
    public Map<String, String> hostPorts(OvnNetwork n) {
        List<JsonNode> r = nb.transact(OvnNorthboundPlan.readHostPorts(n.uuid(), hostId));
        Map<String, String> ports = new java.util.TreeMap<>();
        for (Map<String, OvsdbValue> row : OvsdbJson.rows(r.get(0))) {
            ports.put(((OvsdbValue.Atom) row.get("name")).value().toString(), uuidOf(row));
        }
        return ports;
    }

    private static String uuidOf(Map<String, OvsdbValue> row) {
        return ((OvsdbValue.Ref) row.get("_uuid")).id();
    }
}
