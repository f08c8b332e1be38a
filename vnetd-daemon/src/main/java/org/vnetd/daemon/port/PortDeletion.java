package org.vnetd.daemon.port;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.LinkRef;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.ovs.OvsPort;
import org.vnetd.core.ovs.VirtualPorts;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.qos.Bandwidths;
import org.vnetd.daemon.ovs.OpenVswitch;
import org.vnetd.daemon.qos.PortQos;

/**
 * Port deletion: the tap off its Open vSwitch bridge (when it is on one) and retired to the reaper (its qdiscs go with it), the floor's class off the bridge, the DHCP
 * reservation (and leases) gone, the record forgotten.
 */
final class PortDeletion {
    private static final Logger LOG = LoggerFactory.getLogger(PortDeletion.class);
    /** ENODEV from errno.h. */
    static final int ENODEV = 19;

    private final PortRegistry registry;
    private final LinkBackend links;
    private final PortStore store;
    private final PortDhcp dhcp;
    private final TapReaper reaper;
    private final NetworkDriver driver;
    private final PortQos qos;
    private final OpenVswitch ovs;
    private final PortOvn ovn;

    PortDeletion(PortRegistry registry, LinkBackend links, PortStore store, PortDhcp dhcp, TapReaper reaper, NetworkDriver driver,
            PortQos qos, OpenVswitch ovs, PortOvn ovn) {
        this.ovn = ovn;
        this.ovs = ovs;
        this.driver = driver;
        this.qos = qos;
        this.registry = registry;
        this.links = links;
        this.store = store;
        this.dhcp = dhcp;
        this.reaper = reaper;
    }

    /**
     * Retires the tap (if still there: down, queued for the reaper, in one kernel request),
     * removes the DHCP reservation and, when asked, the guest's leases. When this returns the port carries
     * no traffic and is forgotten; its net device is unregistered in the background (see {@link TapReaper}).
     * Returns the port deleted; the caller holds {@link PortRegistry#mutations}.
     */
    PortRecord delete(String network, String uuid, boolean releaseLease) {
        long t0 = System.nanoTime();
        PortRecord r = registry.find(network, uuid);
        String state = registry.state(r);
        boolean networkUp = state.equals("ok") || state.equals("tap-gone");
        long t1 = System.nanoTime();
        Optional<LinkRef> tap = ourTap(r);
        long t2 = System.nanoTime();
        if (tap.isPresent()) {
            unplugOvs(r);
            forgetMac(r);
            try {
                reaper.retire(tap.get());
            } catch (KernelException e) {
                if (e.errno() != ENODEV) { // ENODEV: its holder closed it meanwhile
                    throw e;
                }
            }
        }
        if (tap.isPresent() && r.bridge() == null) {
            awaitMacvtapGone(r);
        }
        long t3 = System.nanoTime();
        MacAddress mac = MacAddress.parse(r.mac());
        if (networkUp) {
            removeLogicalPort(r);
        }
        if (networkUp && !onOvn(r)) {
            if (r.ip() != null) {
                try {
                    dhcp.setReservations(r.network(), registry.reservations(r.network(), r.uuid()));
                } catch (VnetException e) {
                    LOG.warn("port {}: cannot remove the DHCP reservation {}: {}", uuid, r.ip(), e.getMessage());
                }
            }
            unplugFloor(r, mac);
            if (releaseLease) {
                int n = dhcp.release(r.network(), mac);
                LOG.info("port {}: released {} DHCP lease(s) of {}", uuid, n, mac);
            }
        }
        long t4 = System.nanoTime();
        store.delete(r.uuid());
        registry.remove(r.uuid());
        if (LOG.isDebugEnabled()) {
            LOG.debug("port.delete timing: state {} us, lookup {} us, retire {} us, dhcp {} us, store {} us", (t1 - t0) / 1000,
                    (t2 - t1) / 1000, (t3 - t2) / 1000, (t4 - t3) / 1000, (System.nanoTime() - t4) / 1000);
        }
        LOG.info("port {} deleted ({})", r.uuid(), r.tap());
        return r;
    }

    /**
     * A tap on an Open vSwitch bridge leaves it as libvirt's virNetDevOpenvswitchRemovePort takes it out (its
     * record in OVS's database would otherwise stay, an interface that no longer exists). The port is deleted
     * even when ovs-vsctl fails: what it left is the switch's, and is said in the log.
     */
    private void unplugOvs(PortRecord r) {
        if (OvsPort.of(registry.definition(r), r.tap()).isEmpty()) {
            return;
        }
        try {
            ovs.removePort(r.tap());
        } catch (VnetException e) {
            LOG.warn("port {}: {}", r.uuid(), e.getMessage());
        }
    }

    private boolean onOvn(PortRecord r) {
        return driver.definition(r.network(), false).ovn().isPresent();
    }

    /**
     * A port of a network on OVN: its logical switch port goes (a stopped network's went with this host's others).
     * Removed only by this host and only this host's: one another host made under the same name stays.
     */
    private void removeLogicalPort(PortRecord r) {
        NetworkDef def = driver.definition(r.network(), false);
        if (def.ovn().isEmpty()) {
            return;
        }
        Optional<String> name = registry.definition(r).virtualPort().flatMap(vp -> VirtualPorts.parameter(vp, "interfaceid"));
        if (name.isEmpty()) {
            return;
        }
        try {
            ovn.removePort(def, name.get());
        } catch (VnetException e) {
            // the port is forgotten here anyway; what is left in OVN is said, not hidden
            LOG.warn("port {}: cannot remove its logical switch port {} from OVN: {}", r.uuid(), name.get(), e.getMessage());
        }
    }

    /**
     * {@code macTableManager='libvirt'}: the guest's FDB entry goes with the port (libvirt's qemuInterfaceStopDevice).
     * The port is deleted even when the kernel refuses: the entry then goes with the tap.
     */
    private void forgetMac(PortRecord r) {
        PortDef def = registry.definition(r);
        if (!PortTarget.libvirtManaged(def.plug())) {
            return;
        }
        try {
            links.deleteBridgeFdb(r.tap(), def.mac());
        } catch (RuntimeException e) {
            LOG.warn("port {}: cannot remove the FDB entry {} of {}: {}", r.uuid(), def.mac(), r.tap(), e.getMessage());
        }
    }

    /**
     * A macvtap holds its host interface until it is unregistered (a passthrough interface takes no second one):
     * the device is free again when the delete returns, as libvirt's networkReleasePort frees it.
     */
    private void awaitMacvtapGone(PortRecord r) {
        try {
            if (!reaper.flush(PortCreation.REAP_WAIT)) {
                LOG.warn("port {}: macvtap {} is still being removed after {} s", r.uuid(), r.tap(), PortCreation.REAP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VnetException.of(ErrorCode.INTERNAL, "interrupted while removing macvtap '%s'", r.tap());
        }
    }

    /**
     * networkUnplugBandwidth: the port's floor class leaves the bridge and its share goes back to the network's
     * unguaranteed class. The port is deleted even when the kernel refuses (the share is given back with it).
     */
    private void unplugFloor(PortRecord r, MacAddress mac) {
        Optional<Bandwidth> bw = registry.definition(r).bandwidth();
        int classId = PortBandwidth.classId(bw);
        if (classId == 0) {
            return;
        }
        try {
            qos.unplug(driver.definition(r.network(), false), classId, Bandwidths.floor(bw), mac,
                    registry.floorShares(r.network(), r.networkUuid(), r.uuid()));
        } catch (RuntimeException e) {
            LOG.warn("port {}: cannot remove its floor class 1:{} from {}: {}", r.uuid(), Integer.toHexString(classId), r.bridge(),
                    e.getMessage());
        }
    }

    /**
     * The port's tap, if it may still be there: by the ifindex it was given at creation (a tap that took
     * the name since has another index, and retiring ours then answers ENODEV); a port stored without an
     * index is looked up by name and checked to be ours.
     */
    private Optional<LinkRef> ourTap(PortRecord r) {
        if (r.clientTap()) {
            return Optional.empty(); // its client made it and removes it
        }
        if (r.ifindex() != null) {
            return Optional.of(new LinkRef(r.ifindex(), r.tap(), r.mtu() == null ? 0 : r.mtu()));
        }
        Optional<LinkInfo> tap = links.lookupLink(r.tap());
        return tap.filter(t -> t.isKind("tun") && !claimedByAnother(r) && isOurs(r, t)).map(LinkInfo::ref);
    }

    /**
     * A passFd port's tap disappears with its holder's descriptors, and the kernel may give the name to a
     * later port: that tap is the other port's, not ours to remove.
     */
    private boolean claimedByAnother(PortRecord r) {
        for (PortRecord o : registry.all()) {
            if (!o.uuid().equals(r.uuid()) && r.tap().equals(o.tap())) {
                LOG.info("port {}: its tap {} is gone and the name now belongs to port {}; leaving it", r.uuid(), r.tap(), o.uuid());
                return true;
            }
        }
        return false;
    }

    /**
     * A passFd tap vanishes when its holder closes it, and another program (libvirt, a script) may then
     * create a tap of that name: ours carries the MAC we gave it.
     */
    private static boolean isOurs(PortRecord r, LinkInfo tap) {
        if (!r.passFd() || tap.mac().map(m -> m.toString().equalsIgnoreCase(r.tapMac())).orElse(false)) {
            return true;
        }
        LOG.warn("port {}: tap {} now has MAC {}, not the port's {}: another program's tap took the name; leaving it", r.uuid(),
                r.tap(), tap.mac().map(Object::toString).orElse("(none)"), r.tapMac());
        return false;
    }
}
