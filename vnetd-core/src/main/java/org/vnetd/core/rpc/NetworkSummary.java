package org.vnetd.core.rpc;

/** One network as {@code network.list} and {@code network.lookup} describe it. */
public record NetworkSummary(String name, String uuid, boolean active, boolean persistent, boolean autostart,
        String bridge, String title) {
}
