package org.vnetd.daemon.dhcp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;

/**
 * What a lease store's files replay to. Until a server takes over
 * ({@link #follow}) the store keeps its own map by address (the last record of an address decides);
 * from then the server's live leases are the live set. Not thread-safe: used under the store's I/O lock.
 */
final class LiveLeases implements LeaseCompactor.LiveSet<DhcpLease> {
    private Map<Integer, DhcpLease> own = new HashMap<>(); // by DhcpLease.ip(); null once followed
    private IntSupplier followedCount;
    private Supplier<? extends Collection<DhcpLease>> followedLeases;

    /** The store's own map, to read a snapshot into (before anything is followed). */
    Map<Integer, DhcpLease> own() {
        return own;
    }

    /** From now on the live leases are {@code leases}' (see {@link DurableLeaseStore#follow}). */
    void follow(IntSupplier count, Supplier<? extends Collection<DhcpLease>> leases) {
        followedCount = count;
        followedLeases = leases;
        own = null;
    }

    /** The live leases (expired ones not yet reaped included), a view or a copy. */
    @Override
    public Collection<DhcpLease> current() {
        return followedLeases != null ? followedLeases.get() : new ArrayList<>(own.values());
    }

    int count() {
        return followedCount != null ? followedCount.getAsInt() : own.size();
    }

    /** Drops expired leases from the store's own map (a followed server reaps its own). */
    @Override
    public void reapExpired(Instant now) {
        if (own != null) {
            own.values().removeIf(l -> l.isExpired(now));
        }
    }

    /** A replayed record: a bind replaces the address's lease, a release removes it if it is still that client's. */
    void apply(LeaseRecord r, DhcpLease lease) {
        if (own == null) {
            return; // followed: the server has applied it already
        }
        if (LeaseRecord.BIND.equals(r.op())) {
            own.put(lease.ip(), lease);
        } else {
            DhcpLease cur = own.get(lease.ip());
            if (cur != null && cur.clientId().equals(lease.clientId())) {
                own.remove(lease.ip());
            }
        }
    }

    /** {@code c}'s record is durable. */
    void applyDurable(LeaseChange c) {
        if (own != null) {
            apply(LeaseRecord.of(c, null), c.lease()); // only its op counts here
        }
    }
}
