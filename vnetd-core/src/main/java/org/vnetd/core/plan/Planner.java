package org.vnetd.core.plan;

import org.vnetd.core.xml.model.NetworkDef;

/**
 * Turns a running network's definition into the actions that start it. Pure and deterministic:
 * it never touches the system, only the {@link Executor} does. {@link NetworkPlanner} is vnetd's;
 * driver tests plan with fakes.
 */
@FunctionalInterface
public interface Planner {
    Plan plan(NetworkDef live);
}
