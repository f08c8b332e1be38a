package org.vnetd.daemon.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.qos.FloorCheck;
import org.vnetd.core.qos.FloorLedger;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.qos.FloorPlug;
import org.vnetd.daemon.qos.PortQos;

/**
 * A port's new bandwidth (libvirt's networkPortSetParameters): the floor accounted and its class plugged,
 * changed or unplugged on the bridge (networkUpdatePortBandwidth), and for a tap vnetd made, its rates made
 * again on the tap (what libvirt's hypervisor driver does); then the port's XML, with its class id, is stored.
 * What cannot be applied fails the call and changes nothing.
 */
final class PortBandwidth {
    private static final Logger LOG = LoggerFactory.getLogger(PortBandwidth.class);

    private final NetworkDriver driver;
    private final PortStore store;
    private final PortRegistry registry;
    private final PortQos qos;

    PortBandwidth(NetworkDriver driver, PortStore store, PortRegistry registry, PortQos qos) {
        this.driver = driver;
        this.store = store;
        this.registry = registry;
        this.qos = qos;
    }

    /** The new values replace the old ones as a whole; empty removes it. */
    void set(String network, String uuid, Optional<Bandwidth> wanted) {
        registry.mutations.lock();
        try {
            PortRecord r = registry.find(network, uuid);
            String state = registry.state(r);
            if (!state.equals("ok") && !state.equals("tap-gone")) {
                throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not active", r.network());
            }
            NetworkDef def = driver.definition(r.network(), false);
            PortDef d = registry.definition(r);
            Optional<Bandwidth> old = d.bandwidth();
            boolean onTap = !r.clientTap() && state.equals("ok") && (PortQos.shapesTap(old) || PortQos.shapesTap(wanted));
            if (onTap) {
                qos.reshapeTap(r.tap(), old, wanted);
            }
            try {
                int classId = updateFloor(r, def, d, old, wanted);
                Optional<Bandwidth> stored = wanted.map(b -> new Bandwidth(classId == 0 ? OptionalLong.empty() : OptionalLong.of(classId),
                        b.inbound(), b.outbound()));
                PortDef changed = new PortDef(d.uuid(), d.ownerName(), d.ownerUuid(), d.group(), d.mac(), d.virtualPort(), stored,
                        d.vlan(), d.isolated(), d.trustGuestRxFilters(), d.plug());
                List<String> notes = new ArrayList<>(r.notes());
                notes.remove(PortNotes.LEGACY_BANDWIDTH);
                PortRecord updated = new PortRecord(r.uuid(), r.network(), r.networkUuid(), r.tap(), r.tapMac(), r.mac(), r.bridge(),
                        r.plugType(), r.ownerUid(), r.ownerGid(), r.vnetHdr(), r.multiQueue(), r.queues(), r.passFd(), r.portgroup(),
                        r.ip(), r.isolated(), r.mtu(), notes, PortXml.format(changed), r.ifindex());
                try {
                    store.save(updated);
                } catch (RuntimeException e) {
                    restoreFloor(r, def, d, old, stored, e);
                    throw e;
                }
                registry.put(updated);
                LOG.info("port {}: bandwidth {}{}", uuid, wanted.isPresent() ? "set" : "removed",
                        classId > 0 ? " (floor class 1:" + Integer.toHexString(classId) + ")" : "");
            } catch (RuntimeException e) {
                if (onTap) {
                    try {
                        qos.reshapeTap(r.tap(), wanted, old);
                    } catch (RuntimeException again) {
                        e.addSuppressed(again);
                    }
                }
                throw e;
            }
        } finally {
            registry.mutations.unlock();
        }
    }

    /** networkUpdatePortBandwidth; returns the port's class id afterwards (0: none). */
    private int updateFloor(PortRecord r, NetworkDef def, PortDef d, Optional<Bandwidth> old, Optional<Bandwidth> wanted) {
        int classId = classId(old);
        long oldFloor = Bandwidths.floor(old);
        long newFloor = Bandwidths.floor(wanted);
        if (oldFloor == newFloor) {
            return classId;
        }
        List<FloorLedger.Share> others = registry.floorShares(r.network(), r.networkUuid(), r.uuid());
        OptionalLong base = FloorCheck.check(def.name(), def.bridgeName().orElse(""), def.forwardMode(),
                Bandwidths.of(def.getBandwidth()), wanted, old, d.mac(), new FloorLedger(others).floorSum() + (classId > 0 ? oldFloor : 0));
        if (base.isEmpty()) {
            return classId;
        }
        if (oldFloor > 0 && newFloor > 0 && classId > 0) {
            qos.changeFloor(def, classId, newFloor, others);
            return classId;
        }
        if (newFloor > 0) {
            FloorPlug plug = qos.planPlug(def, others, d.mac(), wanted).orElseThrow();
            qos.plug(plug);
            return plug.classId();
        }
        if (classId > 0) {
            qos.unplug(def, classId, oldFloor, d.mac(), others);
        }
        return 0;
    }

    /** Puts the floor back as it was after the port's new record could not be stored. */
    private void restoreFloor(PortRecord r, NetworkDef def, PortDef d, Optional<Bandwidth> old, Optional<Bandwidth> stored,
            RuntimeException e) {
        try {
            List<FloorLedger.Share> others = registry.floorShares(r.network(), r.networkUuid(), r.uuid());
            int oldClass = classId(old);
            int newClass = classId(stored);
            if (newClass > 0 && oldClass == newClass) {
                qos.changeFloor(def, oldClass, Bandwidths.floor(old), others);
            } else {
                if (newClass > 0) {
                    qos.unplug(def, newClass, Bandwidths.floor(stored), d.mac(), others);
                }
                if (oldClass > 0) {
                    qos.replug(def, oldClass, old.get(), d.mac(), others);
                }
            }
        } catch (RuntimeException undo) {
            e.addSuppressed(undo);
        }
    }

    static int classId(Optional<Bandwidth> b) {
        return b.map(x -> (int) x.classId().orElse(0)).orElse(0);
    }
}
