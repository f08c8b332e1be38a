package org.vnetd.daemon.driver;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallPlan;

/**
 * Networks' firewall rules, each network's applied as one transaction, changes serialized here.
 * Adoption by a restarted daemon asks the backend whether the rules are in place and re-applies
 * only on drift (a deleted or changed rule, a missing chain or jump), so rules and their counters
 * are left alone when nothing changed. Reload (SIGHUP) always applies the plan again, which is
 * idempotent in the backends. When the last network's rules go after a failed start, vnetd's table
 * goes too if that start made it, so a failed start leaves the ruleset as it found it.
 */
final class FirewallEffects {
    private static final Logger LOG = LoggerFactory.getLogger(FirewallEffects.class);
    private static final String BACKEND = "backend";
    private static final String CREATED_TABLE = "createdTable";

    private final FirewallBackend backend;
    /** The networks with rules in the backend. */
    private final Set<String> networks = new HashSet<>();
    /** Whether vnetd's table exists; null until first needed (asked of the kernel once). */
    private Boolean installed;

    FirewallEffects(FirewallBackend backend) {
        this.backend = backend;
    }

    /** Applies the plan; the record says by which backend, and whether this created vnetd's table. */
    synchronized Map<String, String> apply(FirewallPlan plan) {
        boolean created = !installed();
        backend.apply(plan);
        networks.add(plan.network());
        installed = true;
        return Map.of(BACKEND, backend.name(), CREATED_TABLE, created ? "yes" : "no");
    }

    /** Back to the ruleset before the start: the table goes if this start made it (or, after a crash, if unknown). */
    void rollback(FirewallPlan plan, Map<String, String> record) {
        remove(plan, !"no".equals(record.get(CREATED_TABLE)));
    }

    /** Takes over rules a previous daemon applied, without changing them, unless they drifted. */
    Map<String, String> adopt(FirewallPlan plan, Map<String, String> record) {
        if (backend.name().equals(record.get(BACKEND)) && backend.inPlace(plan)) {
            synchronized (this) {
                networks.add(plan.network());
                installed = true;
            }
            return record;
        }
        // drifted, or applied by the other backend: put the rules back
        LOG.info("network '{}': firewall rules differ from what was applied, applying them again", plan.network());
        return apply(plan);
    }

    private boolean installed() {
        if (installed == null) {
            installed = backend.installed();
        }
        return installed;
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
}
