package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Objects;

import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

/**
 * A bound lease. {@link #expiry()} null means infinite. {@code mac} may be null for non-Ethernet
 * clients; {@code hostname} is what the client sent (option 12 or 81), or null.
 *
 * <p>The address and the expiry are kept as primitives ({@link IpAddresses#toInt} form; epoch second
 * and nanosecond, {@link #INFINITE} seconds for an infinite lease): a server holds one of these per
 * client for the life of the lease, and every object a lease is made of is copied by the young
 * collector when it is promoted. An {@link Inet4Address} (two objects) and an {@link Instant} per
 * lease were a quarter of what a bound lease promoted; {@link #address()} and {@link #expiry()} build
 * them on demand.
 */
public record DhcpLease(int ip, ClientId clientId, MacAddress mac, String hostname, long expirySeconds, int expiryNanos) {
    /** {@link #expirySeconds} of an infinite lease. */
    public static final long INFINITE = Long.MIN_VALUE;

    public DhcpLease {
        Objects.requireNonNull(clientId, "clientId");
    }

    public DhcpLease(Inet4Address address, ClientId clientId, MacAddress mac, String hostname, Instant expiry) {
        this(IpAddresses.toInt(Objects.requireNonNull(address, "address")), clientId, mac, hostname, expiry);
    }

    /** {@code expiry} null for an infinite lease. */
    public DhcpLease(int ip, ClientId clientId, MacAddress mac, String hostname, Instant expiry) {
        this(ip, clientId, mac, hostname, expiry == null ? INFINITE : expiry.getEpochSecond(),
                expiry == null ? 0 : expiry.getNano());
    }

    public Inet4Address address() {
        return IpAddresses.fromInt(ip);
    }

    /** When the lease ends, or null when it is infinite. */
    public Instant expiry() {
        return isInfinite() ? null : Instant.ofEpochSecond(expirySeconds, expiryNanos);
    }

    public boolean isInfinite() {
        return expirySeconds == INFINITE;
    }

    public boolean isExpired(Instant now) {
        if (isInfinite()) {
            return false;
        }
        long s = now.getEpochSecond();
        return s > expirySeconds || (s == expirySeconds && now.getNano() >= expiryNanos);
    }
}
