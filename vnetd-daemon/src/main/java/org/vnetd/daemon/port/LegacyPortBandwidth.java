package org.vnetd.daemon.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.core.qos.Bandwidths;
import org.vnetd.daemon.qos.FloorPlug;
import org.vnetd.daemon.qos.PortQos;

/**
 * Ports stored by a daemon from before vnetd applied bandwidth carry it in their XML with the note
 * {@link PortNotes#LEGACY_BANDWIDTH}. A restarted daemon applies it (a vnetd tap's rates, a floor's class on
 * the bridge) and drops the note; what cannot be applied any more is not refused after the fact but said in
 * the port's notes ("bandwidth not applied: …"), never left silent.
 */
final class LegacyPortBandwidth {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyPortBandwidth.class);
    static final String NOT_APPLIED = "bandwidth not applied: ";

    private final PortRegistry registry;
    private final PortStore store;
    private final NetworkDriver driver;
    private final PortQos qos;

    LegacyPortBandwidth(PortRegistry registry, PortStore store, NetworkDriver driver, PortQos qos) {
        this.registry = registry;
        this.store = store;
        this.driver = driver;
        this.qos = qos;
    }

    /** Applies the bandwidth of each such port whose network runs; the caller holds the ports' lock. */
    void apply(List<PortRecord> stored) {
        for (PortRecord r : stored) {
            if (r.notes().contains(PortNotes.LEGACY_BANDWIDTH) && registry.state(r).equals("ok")) {
                apply(r);
            }
        }
    }

    private void apply(PortRecord r) {
        PortDef d = registry.definition(r);
        Optional<Bandwidth> bw = d.bandwidth();
        List<String> notes = new ArrayList<>(r.notes());
        notes.remove(PortNotes.LEGACY_BANDWIDTH);
        PortDef applied = d;
        try {
            if (!r.clientTap() && PortQos.shapesTap(bw)) {
                qos.reshapeTap(r.tap(), Optional.empty(), bw);
            }
            if (Bandwidths.floor(bw) > 0 && PortBandwidth.classId(bw) == 0) {
                Optional<FloorPlug> plug = qos.planPlug(driver.definition(r.network(), false),
                        registry.floorShares(r.network(), r.networkUuid(), r.uuid()), MacAddress.parse(r.mac()), bw);
                if (plug.isPresent()) {
                    qos.plug(plug.get());
                    applied = ClientTapPorts.withClassId(d, plug.get().classId());
                }
            }
            LOG.info("port {}: its bandwidth, stored by an earlier vnetd, is applied now", r.uuid());
        } catch (RuntimeException e) {
            notes.add(NOT_APPLIED + e.getMessage());
            LOG.warn("port {}: its bandwidth, stored by an earlier vnetd, cannot be applied: {}", r.uuid(), e.getMessage());
        }
        PortRecord updated = new PortRecord(r.uuid(), r.network(), r.networkUuid(), r.tap(), r.tapMac(), r.mac(), r.bridge(), r.plugType(),
                r.ownerUid(), r.ownerGid(), r.vnetHdr(), r.multiQueue(), r.queues(), r.passFd(), r.portgroup(), r.ip(), r.isolated(),
                r.mtu(), notes, PortXml.format(applied), r.ifindex());
        store.save(updated);
        registry.put(updated);
    }
}
