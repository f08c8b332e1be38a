package org.vnetd.daemon.port;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.alloc.MacAddresses;
import org.vnetd.core.alloc.TapNames;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkRef;
import org.vnetd.core.link.TapSpec;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.plan.Applied;
import org.vnetd.core.plan.Executor;
import org.vnetd.core.ovs.OvsPort;
import org.vnetd.core.pool.ForwardPool;
import org.vnetd.core.pool.PoolDevice;
import org.vnetd.core.pool.VirtualFunctions;
import org.vnetd.core.port.Plug;
import org.vnetd.core.port.VirtualPort;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.Port;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.ovs.OpenVswitch;
import org.vnetd.daemon.qos.PortQos;

/**
 * Port creation (net-port-create with a tap vnetd makes): the tap, its plug into the network's bridge (or its
 * port on an Open vSwitch bridge, for {@code <virtualport type='openvswitch'>}),
 * isolation, the portgroup's rates on the tap and the DHCP reservation are {@link PortAction}s the plan {@link Executor} applies, undoing
 * the applied ones if a later one (or storing the port) fails.
 */
final class PortCreation {
    private static final Logger LOG = LoggerFactory.getLogger(PortCreation.class);
    /** How long a create asking for the name of a tap being reaped waits for the reaper (it takes ~20-100 ms). */
    static final Duration REAP_WAIT = Duration.ofSeconds(5);
    /** libvirt's names for the macvtaps it makes (virNetDevMacVLanCreateWithVPortProfile). */
    static final String MACVTAP_PREFIX = "macvtap";

    private final NetworkDriver driver;
    private final LinkBackend links;
    private final PortStore store;
    private final PortDhcp dhcp;
    private final TapReaper reaper;
    private final PortRegistry registry;
    private final FdHandoff fds;
    private final PortQos qos;
    private final VirtualFunctions vfs;
    private final OpenVswitch ovs;
    private final PortOvn ovn;
    /** Guarded by {@code registry.mutations}. */
    private TapNames tapNames = new TapNames();
    /** Guarded by {@code registry.mutations}. */
    private TapNames macvtapNames = new TapNames(MACVTAP_PREFIX, 0);

    PortCreation(NetworkDriver driver, LinkBackend links, PortStore store, PortDhcp dhcp, TapReaper reaper, PortRegistry registry,
            FdHandoff fds, PortQos qos, VirtualFunctions vfs, OpenVswitch ovs, PortOvn ovn) {
        this.ovn = ovn;
        this.vfs = vfs;
        this.qos = qos;
        this.ovs = ovs;
        this.driver = driver;
        this.links = links;
        this.store = store;
        this.dhcp = dhcp;
        this.reaper = reaper;
        this.registry = registry;
        this.fds = fds;
    }

    /** Generated tap names continue after those of the ports a restarted daemon loaded. */
    void resumeNamesAfter(List<String> taps) {
        registry.mutations.lock();
        try {
            tapNames = new TapNames(TapNames.PREFIX, TapNames.resumeAfter(TapNames.PREFIX, taps));
            macvtapNames = new TapNames(MACVTAP_PREFIX, TapNames.resumeAfter(MACVTAP_PREFIX, taps));
        } finally {
            registry.mutations.unlock();
        }
    }

    Port create(PortRequest req) {
        long t0 = System.nanoTime();
        NetworkSummary net = driver.lookup(req.network());
        if (!net.active()) {
            throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not active", net.name());
        }
        NetworkDef def = driver.definition(net.name(), false);
        PortTarget target = PortTarget.of(def, req.portgroup(), vfs, ovn);
        if (target.pool().isPresent()) {
            return createOnPool(req, net, target);
        }
        long t1 = System.nanoTime();
        String uuid = UUID.randomUUID().toString();
        MacAddress tapMac = MacAddresses.tapMacFor(req.mac());
        boolean isolated = req.isolated().orElse(target.isolatedDefault());
        Optional<VirtualPort> virtualPort = target.virtualPort(Optional.empty());
        UUID ownerUuid = req.ownerUuid().map(PortCreation::ownerUuid).orElse(UUID.fromString(uuid));
        Optional<OvsPort> ovsPort = virtualPort.flatMap(vp -> OvsPort.of(new PortDef(UUID.fromString(uuid), "", ownerUuid,
                target.portgroup(), req.mac(), virtualPort, Optional.empty(), target.vlan(), Optional.empty(), Optional.empty(),
                new Plug.Bridge(target.bridge(), Optional.empty())), ""));
        if (ovsPort.isPresent() && isolated) {
            // libvirt isolates only Linux bridge ports (virNetDevBridgePortSetIsolated) and says nothing on OVS
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "unsupported configuration: <port isolated='yes'> on network '%s': vnetd isolates ports of Linux bridges, and '%s' "
                            + "is an Open vSwitch bridge (<virtualport type='openvswitch'>)", target.network(), target.bridge());
        }
        List<String> notes = new ArrayList<>();
        if (ovsPort.isEmpty()) {
            target.vlan().ifPresent(v -> notes.add(PortNotes.VLAN));
        }
        TapSpec spec = new TapSpec(req.tap().orElse(TapNames.PREFIX + "%d"), req.ownerUid(), req.ownerGid(), req.vnetHdr(), req.multiQueue());

        registry.mutations.lock();
        try {
            LinkRef bridge = links.linkRef(target.bridge()).orElseThrow(() -> VnetException.of(ErrorCode.CONFLICT,
                    "bridge '%s' of network '%s' does not exist", target.bridge(), target.network()));
            if (req.tap().isPresent()) {
                awaitReaped(req.tap().get());
            }
            List<PortAction> actions = new ArrayList<>();
            actions.add(new PortAction.MakeTap(spec, req.tap().isPresent(), req.passFd(), req.queues()));
            int mtu = target.mtu().orElse(bridge.mtu());
            if (target.onOvn()) {
                // before the tap joins the integration bridge, so ovn-controller finds the logical port it names
                OvsPort o = ovsPort.orElseThrow();
                actions.add(new PortAction.OvnPort(def, o.interfaceId().toString(), req.mac(), req.ip().map(a -> a.getHostAddress())));
            }
            actions.add(ovsPort.<PortAction>map(o -> new PortAction.OvsPlug(tapMac, mtu, o))
                    .orElseGet(() -> new PortAction.Plug(tapMac, mtu, bridge)));
            if (isolated) {
                actions.add(new PortAction.Isolate());
            }
            if (target.libvirtManagesMacTable() && ovsPort.isEmpty()) {
                actions.add(new PortAction.ManageMacTable(target.bridge(), req.mac(), isolated));
            }
            if (PortQos.shapesTap(target.bandwidth())) {
                actions.add(new PortAction.ShapeTap(target.bandwidth().get()));
            }
            req.ip().filter(ip -> !target.onOvn()).ifPresent(ip -> actions.add(new PortAction.Reserve(target.network(), new DhcpConfig.StaticHost(req.mac(), null, ip))));
            PortEffects effects = new PortEffects(links, reaper, dhcp, registry, tapNames, macvtapNames, REAP_WAIT, qos, ovs, ovn);
            String subject = "port " + uuid;
            List<Applied<PortAction>> applied = Executor.applyAll(subject, actions, effects, PortAction::label);
            long t2 = System.nanoTime();
            try {
                String tap = effects.tap();
                notes.addAll(effects.notes());
                PortDef pd = new PortDef(UUID.fromString(uuid), req.ownerName().orElse(tap), ownerUuid, target.portgroup(), req.mac(),
                        virtualPort, target.bandwidth(), target.vlan(), isolated ? Optional.of(true) : Optional.empty(),
                        target.trustGuestRxFilters(), target.bridgePlug());
                PortRecord r = new PortRecord(uuid, target.network(), target.networkUuid(), tap, tapMac.toString(), req.mac().toString(),
                        target.bridge(), target.plugType(), box(req.ownerUid()), box(req.ownerGid()), req.vnetHdr(), req.multiQueue(),
                        req.queues(), req.passFd(), target.portgroup().orElse(null), req.ip().map(a -> a.getHostAddress()).orElse(null),
                        isolated, target.mtu().orElse(null), notes, PortXml.format(pd), effects.plugged().index());
                long t3 = System.nanoTime();
                store.save(r);
                registry.put(r);
                long t4 = System.nanoTime();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("port.create timing: network {} us, kernel {} us, xml {} us, store {} us", (t1 - t0) / 1000,
                            (t2 - t1) / 1000, (t3 - t2) / 1000, (t4 - t3) / 1000);
                }
                String token = effects.handle() == null ? null : fds.offer(uuid, effects.handle());
                LOG.info("port {} created: {} ({}) on {} of network {}", uuid, tap, tapMac, target.bridge(), target.network());
                return PortRegistry.port(r, Port.OK, token);
            } catch (RuntimeException | Error e) {
                Executor.rollbackAll(subject, applied, effects, PortAction::label).forEach(e::addSuppressed);
                throw e;
            }
        } finally {
            registry.mutations.unlock();
        }
    }

    /**
     * A port of a macvtap network (networkAllocatePort's type='direct'): a host interface of the pool by libvirt's
     * rules, and on it a macvtap with the guest's MAC, whose character device is passed like a tap's. A hostdev
     * network's ports are PCI devices a hypervisor assigns: vnetd has nothing to make for them.
     */
    private Port createOnPool(PortRequest req, NetworkSummary net, PortTarget target) {
        if (target.plugType().equals("hostdev-pci")) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "network '%s' uses <forward mode='hostdev'>: its ports are SR-IOV virtual functions a hypervisor assigns to a guest "
                            + "as PCI devices; register them through libvirt's protocol (virNetworkPortCreateXML), vnetd's port.create "
                            + "makes taps and macvtaps", net.name());
        }
        if (req.ip().isPresent()) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT,
                    "network '%s' uses <forward mode='%s'>: its guests are on the host interface's LAN, where vnetd serves no DHCP "
                            + "to reserve %s in", net.name(), target.pool().get().mode().xmlName(), req.ip().get().getHostAddress());
        }
        if (req.ownerUid().isPresent() || req.ownerGid().isPresent()) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT,
                    "network '%s' gives its ports macvtap devices, whose /dev/tapN vnetd does not hand to another owner: use passFd",
                    net.name());
        }
        if (req.isolated().orElse(false)) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT,
                    "network '%s' gives its ports macvtap devices, which are not bridge ports to isolate (mode='private' isolates them)",
                    net.name());
        }
        if (target.vlan().isPresent()) {
            // libvirt sets it on an SR-IOV VF in passthrough mode (virNetDevSetNetConfig): not done by vnetd
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "unsupported configuration: network '%s' gives its ports a <vlan>, which vnetd does not set on a passthrough "
                            + "device; a libvirt client (virtqemud) does, through virNetworkPortCreateXML", net.name());
        }
        ForwardPool pool = target.pool().get();
        String uuid = UUID.randomUUID().toString();
        registry.mutations.lock();
        try {
            if (req.tap().isPresent()) {
                awaitReaped(req.tap().get());
            }
            PoolDevice device = pool.allocate(registry.poolConnections(net.name(), net.uuid(), null), Optional.empty());
            Plug plug = pool.plug(device);
            String mode = pool.mode().xmlName();
            List<PortAction> actions = new ArrayList<>();
            actions.add(new PortAction.MakeMacvtap(req.tap().orElse(MACVTAP_PREFIX + "%d"), req.tap().isPresent(), device.toString(), mode,
                    req.mac(), req.passFd(), req.queues(), req.vnetHdr()));
            if (PortQos.shapesTap(target.bandwidth())) {
                actions.add(new PortAction.ShapeTap(target.bandwidth().get()));
            }
            PortEffects effects = new PortEffects(links, reaper, dhcp, registry, tapNames, macvtapNames, REAP_WAIT, qos, ovs, ovn);
            String subject = "port " + uuid;
            List<Applied<PortAction>> applied = Executor.applyAll(subject, actions, effects, PortAction::label);
            try {
                String macvtap = effects.tap();
                List<String> notes = new ArrayList<>();
                PortDef pd = new PortDef(UUID.fromString(uuid), req.ownerName().orElse(macvtap),
                        req.ownerUuid().map(PortCreation::ownerUuid).orElse(UUID.fromString(uuid)), target.portgroup(), req.mac(),
                        Optional.empty(), target.bandwidth(), target.vlan(), Optional.empty(), target.trustGuestRxFilters(), plug);
                PortRecord r = new PortRecord(uuid, target.network(), target.networkUuid(), macvtap, req.mac().toString(), req.mac().toString(),
                        null, plug.type(), null, null, req.vnetHdr(), req.multiQueue(), req.queues(), req.passFd(),
                        target.portgroup().orElse(null), null, false, null, notes, PortXml.format(pd), effects.plugged().index());
                store.save(r);
                registry.put(r);
                String token = effects.handle() == null ? null : fds.offer(uuid, effects.handle());
                LOG.info("port {} created: macvtap {} ({}, mode {}) on {} of network {}", uuid, macvtap, req.mac(), mode, device,
                        target.network());
                return PortRegistry.port(r, Port.OK, token);
            } catch (RuntimeException | Error e) {
                Executor.rollbackAll(subject, applied, effects, PortAction::label).forEach(e::addSuppressed);
                throw e;
            }
        } finally {
            registry.mutations.unlock();
        }
    }

    /** A name asked for explicitly may belong to a deleted port's tap that still awaits the reaper: wait for it. */
    private void awaitReaped(String tap) {
        try {
            if (reaper.pending(tap) && !reaper.awaitReaped(tap, REAP_WAIT)) {
                throw VnetException.of(ErrorCode.CONFLICT, "interface '%s' of a deleted port is still being removed after %d s",
                        tap, REAP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VnetException.of(ErrorCode.INTERNAL, "interrupted while waiting for interface '%s' to be removed", tap);
        }
    }

    private static UUID ownerUuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "ownerUuid '" + s + "' is not a UUID");
        }
    }

    private static Integer box(OptionalInt v) {
        return v.isPresent() ? v.getAsInt() : null;
    }
}
