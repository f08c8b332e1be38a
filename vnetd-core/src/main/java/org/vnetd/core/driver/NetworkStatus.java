package org.vnetd.core.driver;

import java.util.List;

import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.Applied;

/**
 * The persisted status of a running network (run dir, {@code network/NAME.json}): its live
 * definition, whether it is persistent, and the actions applied with their undo records. Written
 * with {@code complete=false} and every planned action before the first one runs (a crash
 * mid-start then leaves the actions a restarted daemon rolls back; undo tolerates what is not
 * there) and completed, with what was applied, before the network is reported active
 * ({@link StatusStore#saveIntent}, {@link StatusStore#saveCompletion}).
 */
public record NetworkStatus(String name, String uuid, String liveXml, boolean persistent, boolean complete,
        List<Applied<Action>> applied, long startedAt) {
    public NetworkStatus {
        applied = List.copyOf(applied);
    }

    public NetworkStatus withApplied(List<Applied<Action>> actions, boolean done) {
        return new NetworkStatus(name, uuid, liveXml, persistent, done, actions, startedAt);
    }

    public NetworkStatus withLiveXml(String xml) {
        return new NetworkStatus(name, uuid, xml, persistent, complete, applied, startedAt);
    }

    public NetworkStatus withPersistent(boolean p) {
        return new NetworkStatus(name, uuid, liveXml, p, complete, applied, startedAt);
    }
}
