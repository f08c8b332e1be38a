package org.vnetd.cli.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** docs/rpc.md NetworkSummary: what net-list and net-info show. {@code bridge} and {@code title} may be null. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetworkSummary(String name, String uuid, boolean active, boolean persistent, boolean autostart,
                             String bridge, String title) {
}
