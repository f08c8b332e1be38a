package org.vnetd.daemon.dhcp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * The lease changes appended and not yet written. The event loop appends under this queue's own lock,
 * so the sync thread takes it once per sync (to swap the batch), never per record, and appends never
 * wait for the disk.
 */
final class LeaseChangeQueue {
    private final Path wal;
    private final Object lock = new Object();
    private List<LeaseChange> pending = new ArrayList<>(); // lock
    private boolean closed; // lock

    LeaseChangeQueue(Path wal) {
        this.wal = wal;
    }

    void add(LeaseChange change) {
        synchronized (lock) {
            if (closed) {
                throw new VnetException(ErrorCode.STATE_IO, "lease store " + wal + " is closed");
            }
            pending.add(change);
        }
    }

    /** Everything queued, in order, and an empty queue; an empty list when nothing is. */
    List<LeaseChange> takeAll() {
        synchronized (lock) {
            if (pending.isEmpty()) {
                return List.of();
            }
            List<LeaseChange> batch = pending;
            pending = new ArrayList<>();
            return batch;
        }
    }

    /**
     * A batch that could not be written goes back to the head of the queue, except the bindings of
     * {@code acknowledged} (the ACKs being withheld): those clients were never told, their next request
     * binds anew. Every other change of the batch, an ACK queued later may cover.
     */
    void putBack(List<LeaseChange> batch, Collection<DhcpLease> acknowledged) {
        Set<DhcpLease> withheld = Collections.newSetFromMap(new IdentityHashMap<>());
        withheld.addAll(acknowledged);
        List<LeaseChange> kept = new ArrayList<>(batch.size());
        for (LeaseChange c : batch) {
            if (c.removes() || !withheld.contains(c.lease())) {
                kept.add(c);
            }
        }
        if (!kept.isEmpty()) {
            synchronized (lock) {
                kept.addAll(pending);
                pending = kept;
            }
        }
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** From now on appends fail. */
    void close() {
        synchronized (lock) {
            closed = true;
        }
    }
}
