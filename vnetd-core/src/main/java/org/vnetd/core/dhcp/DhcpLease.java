package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Objects;

import org.vnetd.core.net.MacAddress;

/**
 * A bound lease. {@code expiry} null means infinite. {@code mac} may be null for non-Ethernet
 * clients; {@code hostname} is what the client sent (option 12 or 81), or null.
 */
public record DhcpLease(Inet4Address address, ClientId clientId, MacAddress mac, String hostname, Instant expiry) {
    public DhcpLease {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(clientId, "clientId");
    }

    public boolean isInfinite() {
        return expiry == null;
    }

    public boolean isExpired(Instant now) {
        return expiry != null && !expiry.isAfter(now);
    }
}
