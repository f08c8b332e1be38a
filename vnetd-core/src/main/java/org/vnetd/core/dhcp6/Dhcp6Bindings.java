package org.vnetd.core.dhcp6;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The bindings of one DHCPv6 server, indexed by client (DUID and IAID) and by address, with the addresses
 * held back after a DECLINE. Expiry pops what is due from a queue ordered by expiry instead of scanning
 * every binding. Not thread-safe: the server's owner serializes all use.
 */
final class Dhcp6Bindings {
    /** How long a declined address stays out of use (RFC 8415 §18.3.8 leaves it to the server). */
    static final Duration DECLINE_HOLD = Duration.ofMinutes(10);

    private record Binding(Duid client, long iaid) {
    }

    private final Map<Binding, Dhcp6Lease> byBinding = new HashMap<>();
    private final Map<InetAddress, Dhcp6Lease> byAddress = new HashMap<>();
    /**
     * Every finite lease put, soonest expiry first. An entry whose binding was renewed or ended since is
     * stale and skipped when popped.
     */
    private final PriorityQueue<Dhcp6Lease> byExpiry = new PriorityQueue<>(Comparator.comparing(Dhcp6Lease::expiry));
    private final Map<InetAddress, Instant> declined = new HashMap<>();
    private Instant nextDeclineExpiry = Instant.MIN;

    List<Dhcp6Lease> all() {
        return List.copyOf(byBinding.values());
    }

    /** The binding of {@code client}'s IA {@code iaid}, or null. */
    Dhcp6Lease get(Duid client, long iaid) {
        return byBinding.get(new Binding(client, iaid));
    }

    boolean isLeased(InetAddress a) {
        return byAddress.containsKey(a);
    }

    /** Whether {@code a} was declined and is still held back at {@code now}. */
    boolean isDeclined(InetAddress a, Instant now) {
        Instant held = declined.get(a);
        return held != null && held.isAfter(now);
    }

    /** Binds (or renews) {@code l}, replacing its client's earlier binding of that IA. */
    void put(Dhcp6Lease l) {
        Dhcp6Lease old = byBinding.put(new Binding(l.client(), l.iaid()), l);
        if (old != null) {
            byAddress.remove(old.address());
        }
        byAddress.put(l.address(), l);
        if (!l.expiry().equals(Instant.MAX)) {
            byExpiry.add(l);
        }
    }

    void remove(Dhcp6Lease l) {
        byBinding.remove(new Binding(l.client(), l.iaid()));
        byAddress.remove(l.address());
    }

    /** {@code a} stays out of use until {@link #DECLINE_HOLD} after {@code now}. */
    void decline(InetAddress a, Instant now) {
        declined.put(a, now.plus(DECLINE_HOLD));
    }

    /**
     * Drops the bindings that have expired (a message costs what is due, not a scan of every binding)
     * and, at most once a second, the declines whose hold is over.
     */
    void expire(Instant now) {
        Dhcp6Lease due;
        while ((due = byExpiry.peek()) != null && due.isExpired(now)) {
            byExpiry.poll();
            Binding b = new Binding(due.client(), due.iaid());
            if (byBinding.get(b) == due) { // not renewed or ended since
                byBinding.remove(b);
                byAddress.remove(due.address());
            }
        }
        if (!now.isBefore(nextDeclineExpiry)) {
            nextDeclineExpiry = now.plusSeconds(1);
            declined.values().removeIf(until -> !until.isAfter(now));
        }
    }
}
