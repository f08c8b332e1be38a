package org.vnetd.core.driver;

import java.util.List;

/**
 * The persisted status of a running network (run dir, {@code network/NAME.json}): its live
 * definition, whether it is persistent, and the steps applied with their undo records. Written
 * with {@code complete=false} before the first step of a start (a crash mid-start then leaves the
 * live definition, whose whole plan is undone on restart) and again, complete, before the network
 * is reported active.
 */
public record NetworkStatus(String name, String uuid, String liveXml, boolean persistent, boolean complete,
        List<AppliedStep> applied, long startedAt) {
    public NetworkStatus {
        applied = List.copyOf(applied);
    }

    public NetworkStatus withApplied(List<AppliedStep> steps, boolean done) {
        return new NetworkStatus(name, uuid, liveXml, persistent, done, steps, startedAt);
    }

    public NetworkStatus withLiveXml(String xml) {
        return new NetworkStatus(name, uuid, xml, persistent, complete, applied, startedAt);
    }

    public NetworkStatus withPersistent(boolean p) {
        return new NetworkStatus(name, uuid, liveXml, p, complete, applied, startedAt);
    }
}
