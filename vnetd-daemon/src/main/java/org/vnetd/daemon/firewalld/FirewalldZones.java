package org.vnetd.daemon.firewalld;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;

/**
 * The effects of {@link Action.FirewalldZone}: libvirt's zone handling (networkAddFirewallRules,
 * networkRemoveFirewallRules). The record names the zone set, so undo takes the bridge out only of a zone
 * vnetd put it in. Adoption and reload put the bridge back in its zone when firewalld lost it (a
 * {@code firewall-cmd --reload} forgets runtime bindings) or when firewalld started after the network did.
 */
public final class FirewalldZones {
    private static final Logger LOG = LoggerFactory.getLogger(FirewalldZones.class);
    static final String ZONE = "zone";

    private final Firewalld firewalld;

    public FirewalldZones(Firewalld firewalld) {
        this.firewalld = firewalld;
    }

    /** Sets the zone; without firewalld nothing, unless {@code <bridge zone>} asked for one (libvirt's error then). */
    public Map<String, String> apply(Action.FirewalldZone a) {
        if (!firewalld.running()) {
            if (a.zone().isPresent()) {
                throw VnetException.of(ErrorCode.FIREWALL, "zone %s requested for network %s but firewalld is not active",
                        a.zone().get(), a.network());
            }
            LOG.debug("network '{}': firewalld does not run, {} stays in no zone", a.network(), a.bridge());
            return Map.of();
        }
        String zone = zoneFor(a);
        firewalld.changeZoneOfInterface(zone, a.bridge());
        LOG.info("network '{}': {} in firewalld zone {}", a.network(), a.bridge(), zone);
        return Map.of(ZONE, zone);
    }

    private String zoneFor(Action.FirewalldZone a) {
        if (a.zone().isPresent()) {
            return a.zone().get();
        }
        Set<String> policies = a.routed() ? firewalld.policies() : Set.of();
        return a.zoneAmong(firewalld.zones(), policies);
    }

    /** Out of the zone this set; when firewalld has gone meanwhile it took its bindings with it. */
    public void undo(Action.FirewalldZone a, Map<String, String> record) {
        if (record.containsKey(ZONE) && firewalld.running()) {
            firewalld.removeInterface(a.bridge());
        }
    }

    /**
     * The bridge in its zone again if it is not (the recorded one; when none was recorded, the one a start
     * would choose now that firewalld runs). A firewalld that is not running, or that refuses, leaves the
     * network as it is and the failure in the log: its guests work as they did before.
     */
    public Map<String, String> ensure(Action.FirewalldZone a, Map<String, String> record) {
        try {
            if (!firewalld.running()) {
                return record;
            }
            String zone = Optional.ofNullable(record.get(ZONE)).orElseGet(() -> zoneFor(a));
            Optional<String> current = firewalld.zoneOfInterface(a.bridge());
            if (!current.equals(Optional.of(zone))) {
                firewalld.changeZoneOfInterface(zone, a.bridge());
                LOG.info("network '{}': {} back in firewalld zone {} (it was in {})", a.network(), a.bridge(), zone,
                        current.orElse("none"));
            }
            return Map.of(ZONE, zone);
        } catch (VnetException e) {
            LOG.warn("network '{}': cannot put {} in its firewalld zone: {}", a.network(), a.bridge(), e.getMessage());
            return record;
        }
    }
}
