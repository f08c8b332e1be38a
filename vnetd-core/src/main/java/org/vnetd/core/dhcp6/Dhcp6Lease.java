package org.vnetd.core.dhcp6;

import java.net.Inet6Address;
import java.time.Instant;
import java.util.Objects;

/** One binding: a client's identity association (DUID and IAID) holds an address until {@code expiry}. */
public record Dhcp6Lease(Duid client, long iaid, Inet6Address address, Instant expiry, String hostname) {
    public Dhcp6Lease {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(expiry, "expiry");
    }

    public boolean isExpired(Instant now) {
        return !expiry.isAfter(now);
    }
}
