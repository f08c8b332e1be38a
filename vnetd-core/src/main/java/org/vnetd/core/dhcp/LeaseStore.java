package org.vnetd.core.dhcp;

import java.util.Collection;
import java.util.List;

/**
 * Where leases live across restarts. {@link #append} is cheap and ordered; {@link #sync} makes every
 * change appended so far durable before it returns. The transport appends while it handles a burst
 * of datagrams and syncs once before the burst's ACKs leave: group commit. Implementations live in
 * the daemon.
 */
public interface LeaseStore extends AutoCloseable {
    /** The leases present at start (expired ones may be included; the server reaps them). */
    List<DhcpLease> load();

    /** Queues a change; it is durable once a later {@link #sync()} returns. */
    void append(LeaseChange change);

    /** Writes and flushes to stable storage everything appended before this call. */
    void sync();

    /**
     * As {@link #sync()}, for the ACKs of {@code acknowledged} (bindings appended before this call).
     * When it fails those ACKs are withheld, so those bindings must never become durable later (the
     * clients were never told); the other changes stay queued for a later sync, whose ACKs they may
     * be covering.
     */
    default void sync(Collection<DhcpLease> acknowledged) {
        sync();
    }

    /**
     * The ACKs of {@code acknowledged} have left, after the sync that made their bindings durable: their
     * clients know their leases now (a store that lists leases lists these from here on).
     */
    default void replied(Collection<DhcpLease> acknowledged) {
    }

    /**
     * Housekeeping that makes later syncs cheaper (e.g. preallocating the log, rotating it for a
     * compaction), run when no ACK waits for it: after a batch's ACKs have left. Never weakens what
     * {@link #sync()} promises.
     */
    default void prepareAhead() {
    }

    @Override
    void close();
}
