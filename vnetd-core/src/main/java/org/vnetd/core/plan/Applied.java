package org.vnetd.core.plan;

import java.util.Map;
import java.util.Objects;

/**
 * An action that was applied, with what its undo needs beyond the action itself (e.g. whether the
 * firewall start created vnetd's table); persisted in the network's status.
 */
public record Applied<A>(A action, Map<String, String> record) {
    public Applied {
        Objects.requireNonNull(action, "action");
        record = record == null ? Map.of() : Map.copyOf(record);
    }

    /** An action recorded before it ran (a start's intent), with nothing known about its effect yet. */
    public static <A> Applied<A> intended(A action) {
        return new Applied<>(action, Map.of());
    }
}
