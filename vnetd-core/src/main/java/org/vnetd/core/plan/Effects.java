package org.vnetd.core.plan;

import java.util.Map;

/**
 * What the {@link Executor} does with one action: the daemon implements it with its backends
 * (netlink, sysctl, firewall, services), unit tests with a recording fake.
 */
public interface Effects<A> {
    /** Does the work; returns what {@link #undo} needs later (may be empty, never null). */
    Map<String, String> apply(A action);

    /** Reverts {@link #apply}. Must succeed when the thing is already gone (a crash may have removed it). */
    void undo(A action, Map<String, String> record);

    /**
     * Reverts {@link #apply} of a start that failed part-way, or that a crash interrupted: the system
     * must end up as it was before the start. By default {@link #undo}; an action that keeps shared
     * state for the next start after a stop (vnetd's firewall table) removes it here too.
     */
    default void rollback(A action, Map<String, String> record) {
        undo(action, record);
    }

    /**
     * A restarted daemon takes over what a previous one applied: check it is still there and repair
     * drift, without disturbing what works (no bridge re-creation, no rule flush); in-process
     * services start again. Returns the possibly updated record.
     */
    default Map<String, String> adopt(A action, Map<String, String> record) {
        return record;
    }

    /**
     * The start that applied {@code action} is on record as complete (or a restarted daemon found it so): what
     * was kept only to undo a failed start can go. By default nothing.
     */
    default void committed(A action, Map<String, String> record) {
    }

    /** Re-applies after a configuration reload (SIGHUP re-applies firewall rules); by default nothing. */
    default Map<String, String> reload(A action, Map<String, String> record) {
        return record;
    }
}
