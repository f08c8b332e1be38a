package org.vnetd.daemon.driver;

import java.util.Map;

import org.vnetd.core.driver.NetworkStep;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallPlan;

/**
 * The network's firewall rules, applied as one transaction. Adoption and reload apply the plan
 * again, which is idempotent in the backends and puts back a rule someone deleted.
 */
record FirewallStep(FirewallBackend backend, FirewallPlan plan) implements NetworkStep {
    public String id() {
        return "firewall " + plan.network();
    }

    public Map<String, String> apply() {
        backend.apply(plan);
        return Map.of("backend", backend.name());
    }

    public void undo(Map<String, String> record) {
        backend.remove(plan);
    }

    public Map<String, String> adopt(Map<String, String> record) {
        backend.apply(plan);
        return Map.of("backend", backend.name());
    }

    public Map<String, String> reload(Map<String, String> record) {
        return adopt(record);
    }
}
