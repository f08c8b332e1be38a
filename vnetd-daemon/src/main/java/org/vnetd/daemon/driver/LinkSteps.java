package org.vnetd.daemon.driver;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkStep;
import org.vnetd.core.link.AddressInfo;
import org.vnetd.core.link.AddressSpec;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.RouteSpec;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.NetworkDef;

/** The kernel steps of a start (libvirt's networkStartNetworkVirtual): bridge, addresses, link up, routes. */
final class LinkSteps {
    private static final Logger LOG = LoggerFactory.getLogger(LinkSteps.class);

    private LinkSteps() {
    }

    static BridgeSpec bridgeSpec(NetworkDef def) {
        String name = def.bridgeName().orElseThrow();
        BridgeDef b = def.getBridge();
        boolean stp = b == null || b.getStp() == null || !"off".equals(b.getStp());
        long delaySeconds = b == null || b.getDelay() == null ? 0 : Long.parseLong(b.getDelay());
        BridgeSpec spec = new BridgeSpec(name, stp, Duration.ofSeconds(delaySeconds), Optional.empty(), OptionalInt.empty());
        if (def.macAddress().isPresent()) {
            spec = spec.withMac(MacAddress.parse(def.macAddress().get()));
        }
        if (def.mtu().isPresent()) {
            spec = spec.withMtu(def.mtu().get());
        }
        return spec;
    }

    /** Creates the bridge; undo deletes it (and with it its addresses and device routes). */
    record Bridge(LinkBackend links, BridgeSpec spec) implements NetworkStep {
        public String id() {
            return "bridge " + spec.name();
        }

        public Map<String, String> apply() {
            links.createBridge(spec);
            return Map.of();
        }

        public void undo(Map<String, String> record) {
            if (links.getLink(spec.name()).isPresent()) {
                links.deleteLink(spec.name());
            }
        }
    }

    /** One {@code <ip>} address on the bridge; adoption puts it back if someone removed it. */
    record Address(LinkBackend links, String bridge, IpPrefix prefix) implements NetworkStep {
        public String id() {
            return "address " + prefix + " on " + bridge;
        }

        public Map<String, String> apply() {
            links.addAddress(AddressSpec.of(bridge, prefix));
            return Map.of();
        }

        public void undo(Map<String, String> record) {
            if (present()) {
                links.deleteAddress(bridge, prefix);
            }
        }

        public Map<String, String> adopt(Map<String, String> record) {
            if (!present()) {
                LOG.warn("address {} of {} was removed behind our back; adding it again", prefix, bridge);
                links.addAddress(AddressSpec.of(bridge, prefix));
            }
            return record;
        }

        private boolean present() {
            for (AddressInfo a : links.listAddresses()) {
                if (a.ifname().equals(bridge) && a.prefix().equals(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Brings the bridge up; adoption brings it up again if it was set down. */
    record Up(LinkBackend links, String bridge) implements NetworkStep {
        public String id() {
            return "up " + bridge;
        }

        public Map<String, String> apply() {
            links.setUp(bridge);
            return Map.of();
        }

        public void undo(Map<String, String> record) {
            if (links.getLink(bridge).isPresent()) {
                links.setDown(bridge);
            }
        }

        public Map<String, String> adopt(Map<String, String> record) {
            Optional<LinkInfo> l = links.getLink(bridge);
            if (l.isPresent() && !l.get().up()) {
                LOG.warn("bridge {} was set down behind our back; setting it up", bridge);
                links.setUp(bridge);
            }
            return record;
        }
    }

    /** A static {@code <route>} of the network. */
    record Route(LinkBackend links, RouteSpec spec) implements NetworkStep {
        public String id() {
            return "route " + spec.destination() + spec.gateway().map(g -> " via " + g.getHostAddress()).orElse("");
        }

        public Map<String, String> apply() {
            links.addRoute(spec);
            return Map.of();
        }

        public void undo(Map<String, String> record) {
            try {
                links.deleteRoute(spec);
            } catch (KernelException e) {
                if (!e.errnoName().equals("ESRCH") && !e.errnoName().equals("ENODEV")) {
                    throw e;
                }
            }
        }
    }
}
