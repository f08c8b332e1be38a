package org.vnetd.core.driver;

import java.util.Map;

/**
 * One thing a network start does to the system (create the bridge, add an address, load firewall
 * rules, start the DHCP service…) together with its undo. Steps are produced by a
 * {@link StartPlanner} from a definition, so the same list can be rebuilt after a daemon restart;
 * what {@link #apply()} returns is persisted in the network's status and handed back to
 * {@link #undo} and {@link #adopt}, so teardown removes exactly what was added (e.g. rule handles).
 */
public interface NetworkStep {
    /** Stable name within one network, e.g. {@code bridge virbr0}, {@code address 192.168.122.1/24}. */
    String id();

    /** Does the work; returns what {@link #undo} needs later (may be empty, never null). */
    Map<String, String> apply();

    /** Reverts {@link #apply()}. Must succeed when the thing is already gone (a crash may have removed it). */
    void undo(Map<String, String> record);

    /**
     * Reverts {@link #apply()} of a start that failed part-way, or that a crash interrupted: the kernel
     * must end up as it was before the start. By default the same as {@link #undo}; a step that keeps
     * shared state for the next start after a stop (vnetd's firewall table) removes it here too.
     */
    default void rollback(Map<String, String> record) {
        undo(record);
    }

    /**
     * Called when a restarted daemon takes over a running network: check that the thing is still
     * there and repair it if it drifted, without disturbing what works (no bridge re-creation, no
     * rule flush). In-process services (DHCP, DNS) start again here. Returns the possibly updated record.
     */
    default Map<String, String> adopt(Map<String, String> record) {
        return record;
    }

    /** Reapplies after a configuration reload (e.g. SIGHUP re-applies firewall rules); default: nothing. */
    default Map<String, String> reload(Map<String, String> record) {
        return record;
    }
}
