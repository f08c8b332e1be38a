package org.vnetd.core.driver;

import java.util.Collection;
import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * The checks made before a start touches anything (netavark validates every driver before any
 * setup): the bridge name must be free, no subnet may overlap another running network or a host
 * route, and the forward device must exist.
 */
final class Conflicts {
    private Conflicts() {
    }

    static void check(NetworkDef def, KernelView kernel, Collection<NetworkDef> otherActive) {
        check(def, kernel, otherActive, false);
    }

    /**
     * @param takeover the network runs already, made by libvirt, and vnetd takes it over: its bridge must
     *                 exist (and be a bridge) instead of being free
     */
    static void check(NetworkDef def, KernelView kernel, Collection<NetworkDef> otherActive, boolean takeover) {
        String name = def.name();
        if (!def.forwardMode().hasBridge()) {
            return;
        }
        String bridge = def.bridgeName().orElse(null);
        if (bridge != null) {
            for (NetworkDef other : otherActive) {
                if (bridge.equals(other.bridgeName().orElse(null))) {
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
            for (NetworkDef other : otherActive) {
                for (IpDef oip : other.ips()) {
                    IpPrefix o = oip.prefix().networkPrefix();
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
