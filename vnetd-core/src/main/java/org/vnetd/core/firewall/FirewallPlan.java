package org.vnetd.core.firewall;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.vnetd.core.net.IpPrefix;

/**
 * The firewall of one network as data. {@link #rules()} is in evaluation order within each phase;
 * phases themselves are evaluated in {@link Phase} order (see there). Renderers turn a plan into an
 * nft script or iptables rules; backends apply them.
 */
public record FirewallPlan(String network, String bridge, List<FirewallRule> rules) {
    public FirewallPlan {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(bridge, "bridge");
        rules = List.copyOf(rules);
    }

    public List<FirewallRule> rules(Phase phase) {
        return rules.stream().filter(r -> r.phase() == phase).toList();
    }

    public Set<Phase> phases() {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        rules.forEach(r -> phases.add(r.phase()));
        return phases;
    }

    public Set<Family> families() {
        Set<Family> families = EnumSet.noneOf(Family.class);
        rules.forEach(r -> families.add(r.family()));
        return families;
    }

    /** The host addresses the {@link Phase#HOST_GUARD} phase guards, in rule order, without duplicates. */
    public Set<IpPrefix> guardedAddresses(Family family) {
        Set<IpPrefix> addresses = new LinkedHashSet<>();
        for (FirewallRule r : rules(Phase.HOST_GUARD)) {
            if (r.family() != family) {
                continue;
            }
            for (Match m : r.matches()) {
                if (m instanceof Match.Destination d) {
                    addresses.add(d.subnet());
                }
            }
        }
        return addresses;
    }

    /** The source subnets the NAT phase handles, in rule order, without duplicates. */
    public Set<IpPrefix> natSubnets(Family family) {
        Set<IpPrefix> subnets = new LinkedHashSet<>();
        for (FirewallRule r : rules(Phase.NAT)) {
            if (r.family() != family) {
                continue;
            }
            for (Match m : r.matches()) {
                if (m instanceof Match.Source s) {
                    subnets.add(s.subnet());
                }
            }
        }
        return subnets;
    }
}
