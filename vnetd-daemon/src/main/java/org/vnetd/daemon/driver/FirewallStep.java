package org.vnetd.daemon.driver;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.vnetd.core.driver.NetworkStep;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallPlan;

/**
 * The network's firewall rules, applied as one transaction. Adoption and reload apply the plan
 * again, which is idempotent in the backends and puts back a rule someone deleted. When the last
 * network's rules go, vnetd's table goes too, so a stopped vnetd leaves the ruleset as it found it.
 */
record FirewallStep(Rules rules, FirewallPlan plan) implements NetworkStep {
    /** The backend plus which networks have rules in it; firewall changes are serialized here. */
    static final class Rules {
        private final FirewallBackend backend;
        private final Set<String> networks = new HashSet<>();

        Rules(FirewallBackend backend) {
            this.backend = backend;
        }

        synchronized void apply(FirewallPlan plan) {
            backend.apply(plan);
            networks.add(plan.network());
        }

        synchronized void remove(FirewallPlan plan) {
            backend.remove(plan);
            networks.remove(plan.network());
            if (networks.isEmpty()) {
                backend.clear();
            }
        }

        String backendName() {
            return backend.name();
        }
    }

    public String id() {
        return "firewall " + plan.network();
    }

    public Map<String, String> apply() {
        rules.apply(plan);
        return Map.of("backend", rules.backendName());
    }

    public void undo(Map<String, String> record) {
        rules.remove(plan);
    }

    public Map<String, String> adopt(Map<String, String> record) {
        rules.apply(plan);
        return Map.of("backend", rules.backendName());
    }

    public Map<String, String> reload(Map<String, String> record) {
        return adopt(record);
    }
}
