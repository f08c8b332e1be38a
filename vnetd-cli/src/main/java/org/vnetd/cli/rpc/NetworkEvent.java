package org.vnetd.cli.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The params of an {@code event} notification; {@code timestamp} is epoch milliseconds. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetworkEvent(String network, String uuid, String event, String detail, long timestamp) {
}
