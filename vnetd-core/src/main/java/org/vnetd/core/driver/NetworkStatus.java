package org.vnetd.core.driver;

import java.util.List;

/**
 * The persisted status of a running network (run dir, {@code network/NAME.json}): its live
 * definition, whether it is persistent, and the steps applied with their undo records. Written
 * before the network is reported active, and after each step of a start, so a crash mid-start
 * leaves an exact list of what to undo.
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
