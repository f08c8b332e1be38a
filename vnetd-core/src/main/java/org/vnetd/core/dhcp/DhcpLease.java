package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Objects;

import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

/**
 * A bound lease. {@code expiry} null means infinite. {@code mac} may be null for non-Ethernet
 * clients; {@code hostname} is what the client sent (option 12 or 81), or null.
 *
 * <p>A value class rather than a record so that the address and the expiry are kept as primitives:
 * a server holds one of these per client for the life of the lease, and every object a lease is
 * made of is copied by the young collector when it is promoted. An {@link Inet4Address} (two
 * objects) and an {@link Instant} per lease were a quarter of what a bound lease promoted; the
 * accessors build them on demand.
 */
public final class DhcpLease {
    private final int ip;
    private final ClientId clientId;
    private final MacAddress mac;
    private final String hostname;
    private final boolean infinite;
    private final long expirySeconds;
    private final int expiryNanos;

    public DhcpLease(Inet4Address address, ClientId clientId, MacAddress mac, String hostname, Instant expiry) {
        this(IpAddresses.toInt(Objects.requireNonNull(address, "address")), clientId, mac, hostname, expiry);
    }

    /** The same with the address as the int {@link IpAddresses#toInt} gives. */
    public DhcpLease(int ip, ClientId clientId, MacAddress mac, String hostname, Instant expiry) {
        this.ip = ip;
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.mac = mac;
        this.hostname = hostname;
        this.infinite = expiry == null;
        this.expirySeconds = expiry == null ? 0 : expiry.getEpochSecond();
        this.expiryNanos = expiry == null ? 0 : expiry.getNano();
    }

    public Inet4Address address() {
        return IpAddresses.fromInt(ip);
    }

    /** The address as an int (network order, as {@link IpAddresses#toInt}): no object. */
    public int ip() {
        return ip;
    }

    public ClientId clientId() {
        return clientId;
    }

    public MacAddress mac() {
        return mac;
    }

    public String hostname() {
        return hostname;
    }

    /** When the lease ends, or null when it is infinite. */
    public Instant expiry() {
        return infinite ? null : Instant.ofEpochSecond(expirySeconds, expiryNanos);
    }

    public boolean isInfinite() {
        return infinite;
    }

    public boolean isExpired(Instant now) {
        if (infinite) {
            return false;
        }
        long s = now.getEpochSecond();
        return s > expirySeconds || (s == expirySeconds && now.getNano() >= expiryNanos);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpLease l && ip == l.ip && clientId.equals(l.clientId) && Objects.equals(mac, l.mac)
                && Objects.equals(hostname, l.hostname) && infinite == l.infinite && expirySeconds == l.expirySeconds
                && expiryNanos == l.expiryNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ip, clientId, mac, hostname, infinite, expirySeconds, expiryNanos);
    }

    @Override
    public String toString() {
        return "DhcpLease[address=" + address().getHostAddress() + ", clientId=" + clientId + ", mac=" + mac + ", hostname="
                + hostname + ", expiry=" + expiry() + "]";
    }
}
