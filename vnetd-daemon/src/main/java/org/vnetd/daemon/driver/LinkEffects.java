package org.vnetd.daemon.driver;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.AddressInfo;
import org.vnetd.core.link.AddressSpec;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.RouteSpec;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.plan.Action;

/**
 * The kernel actions of a start (libvirt's networkStartNetworkVirtual): bridge, addresses, link up,
 * routes. Undo tolerates what is already gone; adoption repairs an address or link state that drifted.
 */
final class LinkEffects {
    private static final Logger LOG = LoggerFactory.getLogger(LinkEffects.class);

    private final LinkBackend links;

    LinkEffects(LinkBackend links) {
        this.links = links;
    }

    static BridgeSpec spec(Action.CreateBridge b) {
        BridgeSpec spec = new BridgeSpec(b.bridge(), b.stp(), Duration.ofSeconds(b.delaySeconds()), Optional.empty(),
                java.util.OptionalInt.empty());
        if (b.mac().isPresent()) {
            spec = spec.withMac(MacAddress.parse(b.mac().get()));
        }
        if (b.mtu().isPresent()) {
            spec = spec.withMtu(b.mtu().getAsInt());
        }
        return spec;
    }

    Map<String, String> create(Action.CreateBridge b) {
        links.createBridge(spec(b));
        return Map.of();
    }

    /** A bridge made by someone else, taken over: it must be there, and be a bridge. */
    void requireBridge(Action.CreateBridge b) {
        Optional<LinkInfo> l = links.getLink(b.bridge());
        if (l.isEmpty() || !l.get().kind().orElse("").equals("bridge")) {
            throw VnetException.of(ErrorCode.CONFLICT, "cannot take over bridge '%s': %s", b.bridge(),
                    l.isEmpty() ? "it does not exist" : "it is not a bridge (kind " + l.get().kind().orElse("none") + ")");
        }
    }

    /** Deleting the bridge takes its addresses and device routes with it. */
    void delete(Action.CreateBridge b) {
        if (links.getLink(b.bridge()).isPresent()) {
            links.deleteLink(b.bridge());
        }
    }

    Map<String, String> add(Action.AddAddress a) {
        links.addAddress(AddressSpec.of(a.device(), a.address()));
        return Map.of();
    }

    void delete(Action.AddAddress a) {
        if (present(a)) {
            links.deleteAddress(a.device(), a.address());
        }
    }

    void repair(Action.AddAddress a) {
        if (!present(a)) {
            LOG.warn("address {} of {} was removed behind our back; adding it again", a.address(), a.device());
            links.addAddress(AddressSpec.of(a.device(), a.address()));
        }
    }

    private boolean present(Action.AddAddress a) {
        for (AddressInfo i : links.listAddresses()) {
            if (i.ifname().equals(a.device()) && i.prefix().equals(a.address())) {
                return true;
            }
        }
        return false;
    }

    Map<String, String> up(Action.LinkUp u) {
        links.setUp(u.device());
        return Map.of();
    }

    void down(Action.LinkUp u) {
        if (links.getLink(u.device()).isPresent()) {
            links.setDown(u.device());
        }
    }

    void repair(Action.LinkUp u) {
        Optional<LinkInfo> l = links.getLink(u.device());
        if (l.isPresent() && !l.get().up()) {
            LOG.warn("bridge {} was set down behind our back; setting it up", u.device());
            links.setUp(u.device());
        }
    }

    private static RouteSpec spec(Action.AddRoute r) {
        RouteSpec spec = RouteSpec.viaGateway(r.destination(), r.gateway());
        return r.metric().isPresent() ? spec.withMetric(r.metric().getAsInt()) : spec;
    }

    Map<String, String> add(Action.AddRoute r) {
        links.addRoute(spec(r));
        return Map.of();
    }

    void delete(Action.AddRoute r) {
        try {
            links.deleteRoute(spec(r));
        } catch (KernelException e) {
            if (!e.errnoName().equals("ESRCH") && !e.errnoName().equals("ENODEV")) {
                throw e;
            }
        }
    }
}
