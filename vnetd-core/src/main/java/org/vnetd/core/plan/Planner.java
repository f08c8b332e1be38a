package org.vnetd.core.plan;

import org.vnetd.core.xml.model.NetworkDef;

/**
 * Turns a running network's definition and the observed state of the host into the actions that start it.
 * Pure and deterministic:
 * it never touches the system, only the {@link Executor} does. {@link NetworkPlanner} is vnetd's;
 * driver tests plan with fakes.
 */
@FunctionalInterface
public interface Planner {
    /** The actions that start {@code live} on a host as {@code observed}; a collision with it is a CONFLICT. */
    Plan plan(NetworkDef live, ObservedState observed);

    /** The plan on a host that fits {@code live} ({@link ObservedState#fitting}). */
    default Plan plan(NetworkDef live) {
        return plan(live, ObservedState.fitting(live));
    }
}
