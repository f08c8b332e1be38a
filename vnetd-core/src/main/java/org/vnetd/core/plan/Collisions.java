package org.vnetd.core.plan;

import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.pool.ForwardPool;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * What a start must not collide with in the {@link ObservedState} (netavark validates every driver before any
 * setup): the bridge name must be free, no subnet may overlap another running network or a host route, and the
 * forward device (every host interface of a device pool) must exist. A {@link VnetException} of {@link ErrorCode#CONFLICT} names the collision.
 */
public final class Collisions {
    private Collisions() {
    }

    public static void check(NetworkDef def, ObservedState observed) {
        check(def, observed, false);
    }

    /**
     * @param takeover the network runs already, made by libvirt, and vnetd takes it over: its bridge must
     *                 exist (and be a bridge) instead of being free
     */
    public static void check(NetworkDef def, ObservedState observed, boolean takeover) {
        String name = def.name();
        KernelView kernel = observed.kernel();
        if (!def.forwardMode().hasBridge()) {
            // libvirt makes nothing at the start of a pool's network and finds a missing device only when a guest
            // starts; vnetd says so at once
            for (String dev : ForwardPool.hostInterfaces(def)) {
                if (!kernel.hasLink(dev)) {
                    throw VnetException.of(ErrorCode.CONFLICT, "forward device '%s' of network '%s' does not exist", dev, name);
                }
            }
            return;
        }
        String bridge = def.bridgeName().orElse(null);
        if (bridge != null) {
            for (ObservedState.RunningNetwork other : observed.running()) {
                if (bridge.equals(other.bridge())) {
                    throw VnetException.of(ErrorCode.CONFLICT, "bridge '%s' of network '%s' is already used by network '%s'",
                            bridge, name, other.name());
                }
            }
            if (takeover) {
                String kind = kernel.links().get(bridge);
                if (kind == null) {
                    throw VnetException.of(ErrorCode.CONFLICT, "cannot take over network '%s': its bridge '%s' does not exist", name, bridge);
                }
                if (!kind.equals("bridge")) {
                    throw VnetException.of(ErrorCode.CONFLICT, "cannot take over network '%s': '%s' is not a bridge (kind %s)",
                            name, bridge, kind.isEmpty() ? "none" : kind);
                }
            } else if (kernel.hasLink(bridge)) {
                String kind = kernel.links().get(bridge);
                throw VnetException.of(ErrorCode.CONFLICT,
                        "bridge name '%s' of network '%s' is already in use by an interface vnetd does not manage%s",
                        bridge, name, kind == null || kind.isEmpty() ? "" : " (kind " + kind + ")");
            }
        }
        Optional<String> dev = def.forwardDev();
        if (dev.isPresent() && !kernel.hasLink(dev.get())) {
            throw VnetException.of(ErrorCode.CONFLICT, "forward device '%s' of network '%s' does not exist", dev.get(), name);
        }
        for (IpDef ip : def.ips()) {
            IpPrefix subnet = ip.prefix().networkPrefix();
            for (ObservedState.RunningNetwork other : observed.running()) {
                for (IpPrefix o : other.subnets()) {
                    if (o.overlaps(subnet)) {
                        throw VnetException.of(ErrorCode.CONFLICT, "subnet %s of network '%s' overlaps %s of running network '%s'",
                                subnet, name, o, other.name());
                    }
                }
            }
            for (KernelView.Route r : kernel.routes()) {
                if (r.destination().length() == 0 || (bridge != null && bridge.equals(r.device()))) {
                    continue; // a default route overlaps everything and says nothing about this subnet
                }
                if (r.destination().overlaps(subnet)) {
                    throw VnetException.of(ErrorCode.CONFLICT,
                            "Network is already in use by interface %s: subnet %s of network '%s' overlaps the host route %s",
                            r.device() == null ? "?" : r.device(), subnet, name, r.destination());
                }
            }
        }
    }
}
