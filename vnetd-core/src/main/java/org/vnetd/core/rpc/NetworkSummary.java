package org.vnetd.core.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One network as {@code network.list} and {@code network.lookup} describe it. {@code degraded} is
 * null unless the network runs but one of its services does not (the reason); left out of the JSON then.
 */
public record NetworkSummary(String name, String uuid, boolean active, boolean persistent, boolean autostart,
        String bridge, String title, @JsonInclude(JsonInclude.Include.NON_NULL) String degraded) {

    public NetworkSummary(String name, String uuid, boolean active, boolean persistent, boolean autostart,
            String bridge, String title) {
        this(name, uuid, active, persistent, autostart, bridge, title, null);
    }
}
