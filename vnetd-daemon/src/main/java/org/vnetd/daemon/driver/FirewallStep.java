package org.vnetd.daemon.driver;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkStep;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallPlan;

/**
 * The network's firewall rules, applied as one transaction. Adoption by a restarted daemon asks the
 * backend whether the rules are in place and re-applies only on drift (a deleted or changed rule, a
 * missing chain or jump), so rules and their counters are left alone when nothing changed. Reload
 * (SIGHUP) always applies the plan again, which is idempotent in the backends. When the last network's rules go, vnetd's table goes too, so
 * a stopped vnetd leaves the ruleset as it found it.
 */
record FirewallStep(Rules rules, FirewallPlan plan) implements NetworkStep {
    private static final Logger LOG = LoggerFactory.getLogger(FirewallStep.class);
    private static final String BACKEND = "backend";
    private static final String CREATED_TABLE = "createdTable";

    /** The backend plus which networks have rules in it; firewall changes are serialized here. */
    static final class Rules {
        private final FirewallBackend backend;
        private final Set<String> networks = new HashSet<>();
        /** Whether vnetd's table exists; null until first needed (asked of the kernel once). */
        private Boolean installed;

        Rules(FirewallBackend backend) {
            this.backend = backend;
        }

        /** Applies the plan; returns whether this created vnetd's table (a rollback then removes it). */
        synchronized boolean apply(FirewallPlan plan) {
            boolean created = !installed();
            backend.apply(plan);
            networks.add(plan.network());
            installed = true;
            return created;
        }

        /** Takes over rules a previous daemon applied, without changing them. */
        synchronized void adopt(FirewallPlan plan) {
            networks.add(plan.network());
            installed = true;
        }

        private boolean installed() {
            if (installed == null) {
                installed = backend.installed();
            }
            return installed;
        }

        boolean inPlace(FirewallPlan plan) {
            return backend.inPlace(plan);
        }

        /**
         * @param clearWhenLast whether the table goes with the last network's rules: after a failed
         *                      start (the ruleset is left as it was), not after a stop
         */
        synchronized void remove(FirewallPlan plan, boolean clearWhenLast) {
            backend.remove(plan);
            networks.remove(plan.network());
            if (clearWhenLast && networks.isEmpty()) {
                backend.clear();
                installed = false;
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
        boolean created = rules.apply(plan);
        return Map.of(BACKEND, rules.backendName(), CREATED_TABLE, created ? "yes" : "no");
    }

    public void undo(Map<String, String> record) {
        rules.remove(plan, false);
    }

    /** Back to the ruleset before the start: the table goes if this start made it (or, after a crash, if unknown). */
    public void rollback(Map<String, String> record) {
        rules.remove(plan, !"no".equals(record.get(CREATED_TABLE)));
    }

    public Map<String, String> adopt(Map<String, String> record) {
        if (rules.backendName().equals(record.get(BACKEND)) && rules.inPlace(plan)) {
            rules.adopt(plan);
            return record;
        }
        // drifted, or applied by the other backend: put the rules back
        LOG.info("network '{}': firewall rules differ from what was applied, applying them again", plan.network());
        return apply();
    }

    public Map<String, String> reload(Map<String, String> record) {
        return apply();
    }
}
