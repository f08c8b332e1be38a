package org.vnetd.core.driver;

import java.util.List;

import org.vnetd.core.xml.model.NetworkDef;

/**
 * Turns a definition into the ordered steps that start it. Must be deterministic (same definition,
 * same step ids) because a restarted daemon rebuilds the steps from the recorded live definition
 * to undo or adopt them. Never touches the system itself: only the returned steps do.
 */
public interface StartPlanner {
    List<NetworkStep> plan(NetworkDef def);

    /**
     * Applies a live {@code net-update} of {@code section} to a running network (e.g. reconfigures
     * DHCP hosts or DNS records in place, without restarting anything else).
     */
    default void liveUpdate(NetworkDef oldDef, NetworkDef newDef, String section) {
    }
}
