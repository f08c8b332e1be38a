package org.vnetd.daemon.port;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.alloc.TapNames;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.BridgePortOptions;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkRef;
import org.vnetd.core.link.TapHandle;
import org.vnetd.core.link.TapSpec;
import org.vnetd.core.plan.Effects;
import org.vnetd.daemon.ovs.OpenVswitch;
import org.vnetd.daemon.qos.PortQos;

/**
 * What one port creation's {@link PortAction}s do in the kernel and the DHCP service. One instance per
 * creation, used under {@link PortRegistry#mutations}: it keeps the tap it made (its name is chosen
 * here, and a passFd tap's descriptors are not data) for the actions after it and for the caller.
 */
final class PortEffects implements Effects<PortAction> {
    private static final Logger LOG = LoggerFactory.getLogger(PortEffects.class);
    /** EXFULL from errno.h: the bridge has no free port number (the kernel allows 1023 ports per bridge). */
    static final int EXFULL = 54;
    /** EBUSY from errno.h: TUNSETIFF's answer for a name that exists (it is exclusive). */
    static final int EBUSY = 16;
    /** EEXIST from errno.h: RTM_NEWLINK's answer for a name that exists. */
    static final int EEXIST = 17;
    /** Generated names tried when each turns out taken between our check and TUNSETIFF. */
    static final int NAME_ATTEMPTS = 16;

    private final LinkBackend links;
    private final TapReaper reaper;
    private final PortDhcp dhcp;
    private final PortRegistry registry;
    private final TapNames tapNames;
    private final TapNames macvtapNames;
    private final Duration reapWait;
    private final PortQos qos;
    private final OpenVswitch ovs;
    private final PortOvn ovn;
    private String tap;
    private final List<String> notes = new java.util.ArrayList<>();
    private TapHandle handle;
    private LinkRef plugged;

    PortEffects(LinkBackend links, TapReaper reaper, PortDhcp dhcp, PortRegistry registry, TapNames tapNames, TapNames macvtapNames,
            Duration reapWait, PortQos qos, OpenVswitch ovs, PortOvn ovn) {
        this.ovn = ovn;
        this.macvtapNames = macvtapNames;
        this.qos = qos;
        this.ovs = ovs;
        this.links = links;
        this.reaper = reaper;
        this.dhcp = dhcp;
        this.registry = registry;
        this.tapNames = tapNames;
        this.reapWait = reapWait;
    }

    String tap() {
        return tap;
    }

    /** What the actions could not do as asked and said instead (for the port's notes). */
    List<String> notes() {
        return notes;
    }

    /** The passFd tap's (or macvtap's) descriptors, or null for a persistent one. */
    TapHandle handle() {
        return handle;
    }

    LinkRef plugged() {
        return plugged;
    }

    @Override
    public Map<String, String> apply(PortAction action) {
        switch (action) {
            case PortAction.MakeTap t -> {
                if (t.passFd()) {
                    handle = makeTap(t, s -> links.openTap(s, t.queues()));
                    tap = handle.name();
                } else {
                    tap = makeTap(t, links::createTap);
                }
            }
            case PortAction.MakeMacvtap m -> {
                plugged = makeMacvtap(m);
                tap = plugged.name();
                if (m.passFd()) {
                    handle = links.openMacvtap(plugged, m.queues(), m.vnetHdr());
                }
            }
            case PortAction.Plug p -> plugged = attach(p);
            case PortAction.OvsPlug o -> {
                links.setMac(tap, o.mac());
                links.setMtu(tap, o.mtu());
                ovs.addPort(o.port().withIfname(tap));
                links.setUp(tap);
                plugged = links.linkRef(tap).orElseThrow(() -> VnetException.of(ErrorCode.KERNEL, "tap '%s' vanished", tap));
            }
            case PortAction.OvnPort o -> ovn.addPort(o.network(), o.name(), o.mac(), o.address());
            case PortAction.Isolate i -> links.setBridgePort(tap, BridgePortOptions.DEFAULTS.withIsolated(true));
            case PortAction.ManageMacTable m -> {
                if (!filterVlans(links, m.bridge())) {
                    notes.add(PortNotes.NO_VLAN_FILTERING);
                }
                links.setBridgePort(tap, BridgePortOptions.libvirtManaged().withIsolated(m.isolated()));
                links.addBridgeFdb(tap, m.guestMac());
            }
            case PortAction.ShapeTap s -> qos.shapeTap(tap, Optional.of(s.bandwidth()));
            case PortAction.Reserve r -> {
                List<DhcpConfig.StaticHost> hosts = registry.reservations(r.network(), null);
                hosts.add(r.host());
                dhcp.setReservations(r.network(), hosts);
            }
        }
        return Map.of();
    }

    /** Plug, isolation and the tap's qdiscs go with the tap; the tap and the reservation are undone. */
    @Override
    public void undo(PortAction action, Map<String, String> record) {
        switch (action) {
            case PortAction.MakeTap t -> {
                if (handle != null) {
                    handle.close();
                } else {
                    links.deleteLink(tap);
                }
            }
            case PortAction.MakeMacvtap m -> {
                if (handle != null) {
                    handle.close();
                }
                links.deleteLink(tap);
            }
            case PortAction.Plug p -> {
            }
            case PortAction.OvsPlug o -> ovs.removePort(tap);
            case PortAction.OvnPort o -> ovn.removePort(o.network(), o.name());
            case PortAction.Isolate i -> {
            }
            case PortAction.ManageMacTable m -> links.deleteBridgeFdb(tap, m.guestMac());
            case PortAction.ShapeTap s -> {
            }
            case PortAction.Reserve r -> dhcp.setReservations(r.network(), registry.reservations(r.network(), null));
        }
    }

    /** EOPNOTSUPP from errno.h: a kernel built without CONFIG_BRIDGE_VLAN_FILTERING. */
    static final int EOPNOTSUPP = 95;

    /**
     * Turns VLAN filtering on for {@code macTableManager='libvirt'} (it lets the kernel take the bridge's other ports
     * out of promiscuous mode); false when the kernel has none, which libvirt would fail the network's start for. The
     * MAC table is what the user asked for and is still programmed, so vnetd goes on and says so in the port's notes.
     */
    static boolean filterVlans(LinkBackend links, String bridge) {
        try {
            links.setBridgeVlanFiltering(bridge, true);
            return true;
        } catch (KernelException e) {
            if (e.errno() != EOPNOTSUPP) {
                throw e;
            }
            LOG.warn("bridge {}: {}", bridge, PortNotes.NO_VLAN_FILTERING);
            return false;
        }
    }

    /**
     * Creates the tap under the name asked for, or under the next {@code vnetN} of our counter (as
     * libvirt's virNetDevGenerateName does: names move forward, a just-deleted tap's name is not handed
     * out again at once). TUNSETIFF is exclusive, so a name taken meanwhile is an EBUSY: an asked-for
     * name is then refused, a generated one skipped.
     */
    private <T> T makeTap(PortAction.MakeTap t, Function<TapSpec, T> create) {
        if (t.named()) {
            try {
                return create.apply(t.spec());
            } catch (KernelException e) {
                if (e.errno() == EBUSY) {
                    throw VnetException.of(ErrorCode.CONFLICT, "interface '%s' already exists", t.spec().name());
                }
                throw e;
            }
        }
        for (int attempt = 1; ; attempt++) {
            String name = tapNames.next(n -> reaper.pending(n) || links.linkRef(n).isPresent());
            try {
                return create.apply(t.spec().withName(name));
            } catch (KernelException e) {
                if (e.errno() != EBUSY || attempt == NAME_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("tap name {} was taken meanwhile; trying the next", name);
            }
        }
    }

    /** The macvtap under the name asked for, or the next free {@code macvtapN} (libvirt's names for them). */
    private LinkRef makeMacvtap(PortAction.MakeMacvtap m) {
        if (m.named()) {
            try {
                return links.createMacvtap(m.name(), m.lower(), m.mode(), m.mac());
            } catch (KernelException e) {
                if (e.errno() == EEXIST) {
                    throw VnetException.of(ErrorCode.CONFLICT, "interface '%s' already exists", m.name());
                }
                throw e;
            }
        }
        for (int attempt = 1; ; attempt++) {
            String name = macvtapNames.next(n -> reaper.pending(n) || links.linkRef(n).isPresent());
            try {
                return links.createMacvtap(name, m.lower(), m.mode(), m.mac());
            } catch (KernelException e) {
                if (e.errno() != EEXIST || attempt == NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Plugs by the bridge's ifindex from the lookup just made (one kernel request, no second lookup). */
    private LinkRef attach(PortAction.Plug p) {
        LinkRef bridge = p.bridge();
        try {
            try {
                return links.plugIntoBridge(tap, p.mac(), p.mtu(), bridge);
            } catch (KernelException e) {
                // deleted ports' taps stay (disabled) bridge ports until reaped: make room, then try once more
                if (e.errno() != EXFULL || !reaper.flush(reapWait)) {
                    throw e;
                }
                return links.plugIntoBridge(tap, p.mac(), p.mtu(), bridge);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VnetException.of(ErrorCode.INTERNAL, "interrupted while making room on bridge '%s'", bridge.name());
        } catch (KernelException e) {
            if (e.errno() == EXFULL) {
                throw VnetException.of(ErrorCode.CONFLICT,
                        "bridge '%s' is full: Linux allows at most 1023 ports on one bridge (EXFULL); delete a port first", bridge.name());
            }
            throw e;
        }
    }
}
