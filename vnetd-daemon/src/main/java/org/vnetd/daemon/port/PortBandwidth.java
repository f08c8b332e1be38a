package org.vnetd.daemon.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;

/**
 * A port's bandwidth (libvirt's networkPortSetParameters): recorded in the port's XML and kept across
 * restarts; not applied to the tap yet, as for every port (the port's notes say so).
 */
final class PortBandwidth {
    private static final Logger LOG = LoggerFactory.getLogger(PortBandwidth.class);

    private final PortStore store;
    private final PortRegistry registry;

    PortBandwidth(PortStore store, PortRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** The new values replace the old ones as a whole; empty removes it. */
    void set(String network, String uuid, Optional<Bandwidth> bandwidth) {
        registry.mutations.lock();
        try {
            PortRecord r = registry.find(network, uuid);
            PortDef d = PortXml.parse(r.xml());
            PortDef changed = new PortDef(d.uuid(), d.ownerName(), d.ownerUuid(), d.group(), d.mac(), d.virtualPort(), bandwidth,
                    d.vlan(), d.isolated(), d.trustGuestRxFilters(), d.plug());
            List<String> notes = new ArrayList<>(r.notes());
            notes.remove(PortNotes.BANDWIDTH);
            if (bandwidth.isPresent()) {
                notes.add(PortNotes.BANDWIDTH);
            }
            PortRecord updated = new PortRecord(r.uuid(), r.network(), r.networkUuid(), r.tap(), r.tapMac(), r.mac(), r.bridge(),
                    r.plugType(), r.ownerUid(), r.ownerGid(), r.vnetHdr(), r.multiQueue(), r.queues(), r.passFd(), r.portgroup(),
                    r.ip(), r.isolated(), r.mtu(), notes, PortXml.format(changed), r.ifindex());
            store.save(updated);
            registry.put(updated);
        } finally {
            registry.mutations.unlock();
        }
        LOG.info("port {}: bandwidth {}", uuid, bandwidth.isPresent() ? "set (recorded, not applied yet)" : "removed");
    }
}
