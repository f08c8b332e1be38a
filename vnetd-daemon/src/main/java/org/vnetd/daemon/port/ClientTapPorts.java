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
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.ovs.VirtualPorts;
import org.vnetd.core.plan.Applied;
import org.vnetd.core.pool.ForwardPool;
import org.vnetd.core.pool.PoolDevice;
import org.vnetd.core.pool.VirtualFunctions;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.Plug;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.core.qos.FloorCheck;
import org.vnetd.core.qos.TcObject;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.qos.FloorPlug;
import org.vnetd.daemon.qos.PortQos;

/**
 * Ports whose tap their client makes and plugs (libvirt's virtqemud, through virNetworkPortCreateXML):
 * nothing is created in the kernel; the port is recorded under the client's uuid.
 */
final class ClientTapPorts {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTapPorts.class);

    private final NetworkDriver driver;
    private final PortStore store;
    private final PortRegistry registry;
    private final PortQos qos;
    private final VirtualFunctions vfs;
    private final LinkBackend links;
    private final PortOvn ovn;

    ClientTapPorts(NetworkDriver driver, PortStore store, PortRegistry registry, PortQos qos, VirtualFunctions vfs, LinkBackend links,
            PortOvn ovn) {
        this.ovn = ovn;
        this.vfs = vfs;
        this.links = links;
        this.qos = qos;
        this.driver = driver;
        this.store = store;
        this.registry = registry;
    }

    /** See {@link PortManager#register}. */
    PortDef register(String network, PortDef requested, boolean reclaim) {
        NetworkSummary net = driver.lookup(network);
        if (!net.active()) {
            throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not active", net.name());
        }
        boolean plugged = !(requested.plug() instanceof Plug.None);
        if (reclaim && !plugged) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "invalid argument: Port reclaim requested but plug type is none");
        }
        if (!reclaim && plugged) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "invalid argument: Port reclaim not requested but plug type is not none");
        }
        NetworkDef def = driver.definition(net.name(), false);
        PortTarget target = PortTarget.of(def, requested.group(), vfs, ovn);
        String uuid = requested.uuid().toString();
        PortDef port;
        PortRecord r;
        registry.mutations.lock();
        try {
            PortRecord old = registry.get(uuid);
            if (old != null && !(reclaim && old.clientTap())) {
                throw VnetException.of(ErrorCode.PORT_EXISTS, "Network port with UUID %s already exists", uuid);
            }
            // under the lock: two clients asking at once must not both get a pool's last free device
            port = reclaim ? claim(net, target, requested) : new PortDef(requested.uuid(), requested.ownerName(), requested.ownerUuid(),
                    requested.group(), requested.mac(),
                    target.pool().isPresent() ? requested.virtualPort() : target.virtualPort(requested.virtualPort()),
                    requested.bandwidth().or(target::bandwidth),
                    requested.vlan().or(target::vlan),
                    requested.isolated().or(() -> target.isolatedDefault() ? Optional.of(true) : Optional.empty()),
                    requested.trustGuestRxFilters().or(target::trustGuestRxFilters), plug(net, target, requested));
            if (!reclaim && target.pool().isPresent()) {
                // networkCheckBandwidth: a pool's port has no bridge to hold a floor; refused with libvirt's error
                FloorCheck.check(net.name(), "", def.forwardMode(), Optional.empty(), port.bandwidth(), Optional.empty(), port.mac(), 0);
            }
            // the network's part of macTableManager='libvirt' (its client turns learning and flooding off on its tap
            // and programs the FDB, as virtqemud does for a port whose plug says so)
            boolean noVlanFiltering = !reclaim && target.pool().isEmpty() && target.libvirtManagesMacTable()
                    && !VirtualPorts.isOpenvswitch(port.virtualPort()) && !PortEffects.filterVlans(links, target.bridge());
            // networkPlugBandwidth: a floor gets its class on the bridge (a reclaimed port has it already); a class id
            // the client wrote is replaced by ours
            Optional<FloorPlug> plug = reclaim || target.pool().isPresent() ? Optional.empty()
                    : qos.planPlug(def, registry.floorShares(net.name(), net.uuid(), uuid), port.mac(), port.bandwidth());
            List<Applied<TcObject>> made = plug.isPresent() ? qos.plug(plug.get()) : List.of();
            if (!reclaim && port.bandwidth().isPresent()) {
                port = withClassId(port, plug.map(FloorPlug::classId).orElse(0));
            }
            List<String> notes = new ArrayList<>();
            notes.add(PortNotes.CLIENT_TAP);
            if (noVlanFiltering) {
                notes.add(PortNotes.NO_VLAN_FILTERING);
            }
            if (!VirtualPorts.isOpenvswitch(port.virtualPort())) {
                port.vlan().ifPresent(v -> notes.add(PortNotes.VLAN));
            }
            r = new PortRecord(uuid, net.name(), net.uuid(), null, null, port.mac().toString(),
                    port.bridge().orElse(target.bridge()), port.plug().type(), null, null, false, false, 1, false,
                    port.group().orElse(null), null, port.isolated().orElse(false), target.mtu().orElse(null), notes,
                    PortXml.format(port), null);
            // the logical port its client's tap will name as iface-id (a reclaimed port's is there: ensured, not doubled)
            Optional<String> logicalPort = target.onOvn() ? port.virtualPort().flatMap(vp -> VirtualPorts.parameter(vp, "interfaceid"))
                    : Optional.empty();
            if (logicalPort.isPresent() && !reclaim) {
                ovn.addPort(def, logicalPort.get(), port.mac(), Optional.empty());
            } else if (logicalPort.isPresent()) {
                try {
                    ovn.ensurePort(def, logicalPort.get(), port.mac(), Optional.empty());
                } catch (VnetException e) {
                    // the port is its client's and stays; its logical port, if lost, is what the log says
                    LOG.warn("port {}: cannot check its logical switch port {} in OVN: {}", uuid, logicalPort.get(), e.getMessage());
                }
            }
            try {
                store.save(r);
            } catch (RuntimeException e) {
                if (logicalPort.isPresent() && !reclaim) {
                    try {
                        ovn.removePort(def, logicalPort.get());
                    } catch (RuntimeException undo) {
                        e.addSuppressed(undo);
                    }
                }
                if (plug.isPresent()) {
                    try {
                        qos.unplug(plug.get(), made);
                    } catch (RuntimeException undo) {
                        e.addSuppressed(undo);
                    }
                }
                throw e;
            }
            registry.put(r);
        } finally {
            registry.mutations.unlock();
        }
        LOG.info("port {} {} for its client's tap on {} of network {}", uuid, reclaim ? "reclaimed" : "registered",
                r.bridge() != null ? r.bridge() : PortXml.format(port).lines().filter(l -> l.contains("<plug")).findFirst().orElse("").strip(),
                r.network());
        return port;
    }

    /**
     * The plug of a new port (networkAllocatePort): the network's bridge, or a device of its pool by libvirt's rules,
     * counted against the devices the network's other ports hold.
     */
    private Plug plug(NetworkSummary net, PortTarget target, PortDef requested) {
        if (target.pool().isEmpty()) {
            return target.bridgePlug();
        }
        ForwardPool pool = target.pool().get();
        return pool.plug(pool.allocate(registry.poolConnections(net.name(), net.uuid(), null), requested.virtualPort()));
    }

    /** A reclaimed port keeps its plug; one holding a pool's device must hold one of this pool's (networkNotifyPort). */
    private PortDef claim(NetworkSummary net, PortTarget target, PortDef requested) {
        if (target.pool().isPresent()) {
            ForwardPool pool = target.pool().get();
            PoolDevice wanted = PoolDevice.of(requested.plug()).orElseThrow(() -> VnetException.of(ErrorCode.INVALID_ARGUMENT,
                    "invalid argument: network '%s' gives its ports %s plugs, not '%s'", net.name(), target.plugType(),
                    requested.plug().type()));
            String uuid = requested.uuid().toString();
            pool.claim(wanted, uuid, registry.poolConnections(net.name(), net.uuid(), uuid), requested.virtualPort());
        }
        return requested;
    }

    /** The port with the class id of its floor in its {@code <bandwidth classID>}, as libvirt keeps it in the port's status. */
    static PortDef withClassId(PortDef p, int classId) {
        Bandwidth b = p.bandwidth().orElseThrow();
        return new PortDef(p.uuid(), p.ownerName(), p.ownerUuid(), p.group(), p.mac(), p.virtualPort(),
                Optional.of(new Bandwidth(classId == 0 ? OptionalLong.empty() : OptionalLong.of(classId), b.inbound(), b.outbound())),
                p.vlan(), p.isolated(), p.trustGuestRxFilters(), p.plug());
    }
}
