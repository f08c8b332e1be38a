package org.vnetd.core.driver;

import java.util.Map;

/** A step that was applied, with the record its undo needs; persisted in {@link NetworkStatus}. */
public record AppliedStep(String id, Map<String, String> record) {
    public AppliedStep {
        record = Map.copyOf(record);
    }
}
