package org.vnetd.core.dhcp;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where leases live across restarts. {@link #append} is cheap and ordered; {@link #commit} makes all
 * appended changes durable (group commit) and completes when they are. Implementations live in the daemon.
 */
public interface LeaseStore extends AutoCloseable {
    /** The leases present at start (expired ones may be included; the server reaps them). */
    List<DhcpLease> load();

    /** Queues a change; it is durable once a later {@link #commit()} completes. */
    void append(LeaseChange change);

    /** Completes once every change appended before this call is durable. */
    CompletableFuture<Void> commit();

    @Override
    void close();
}
