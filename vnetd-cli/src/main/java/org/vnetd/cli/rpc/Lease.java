package org.vnetd.cli.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** docs/rpc.md Lease; {@code expiryTime} is epoch seconds (0 = infinite), hostname and clientId may be null. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Lease(long expiryTime, String mac, String protocol, String ipAddress, int prefix, String hostname,
                    String clientId) {
}
