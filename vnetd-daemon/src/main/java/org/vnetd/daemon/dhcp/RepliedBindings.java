package org.vnetd.daemon.dhcp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.StampedLock;

import org.vnetd.core.dhcp.DhcpLease;

/**
 * Which (address, client) bindings clients were told of: restored from the lease files, or bound and
 * acknowledged (their record durable and their ACK sent). A lease the server holds whose ACK is still held,
 * or was withheld for good because the write failed, is not listed. Keys are the address and the client
 * id's hash in one {@code long}, in an open-addressing table of primitives: no object per lease for the
 * collector to trace (see LeaseTable). A hash shared by two clients on one address can only make a lease
 * listed early.
 *
 * <p>Writers (the lease log's sync thread, the store's open and import) take the write lock for a batch's
 * in-memory changes only, never across I/O. Readers ({@link #listedOf}: the RPC's lease listings, on an
 * event loop) take no lock: they read optimistically and read again if a batch changed the table meanwhile,
 * falling back to the read lock, which waits at most for one batch's in-memory changes, never for the disk.
 */
final class RepliedBindings {
    private static final long EMPTY = 0L; // address 0.0.0.0 is never leased
    private static final long DELETED = 1L; // nor is 0.0.0.0 with a client hash of 1
    /** Optimistic reads tried before a reader waits for the write lock's holder. */
    private static final int OPTIMISTIC_TRIES = 3;

    private final StampedLock lock = new StampedLock();
    // written under the write lock; read racily between a stamp and its validation
    private long[] keys = new long[64];
    private int used; // live and deleted cells
    private int size;

    static long key(DhcpLease l) {
        return ((long) l.ip() << 32) | (l.clientId().hashCode() & 0xffff_ffffL);
    }

    boolean contains(DhcpLease l) {
        return !listedOf(List.of(l)).isEmpty();
    }

    /**
     * The leases of {@code leases} whose bindings are listed, in their order. {@code leases} may be a live,
     * weakly consistent view (the server's): it is read again with the table when a batch changed it meanwhile.
     */
    List<DhcpLease> listedOf(Collection<DhcpLease> leases) {
        for (int i = 0; i < OPTIMISTIC_TRIES; i++) {
            long stamp = lock.tryOptimisticRead();
            if (stamp == 0) {
                continue; // a batch is being applied
            }
            List<DhcpLease> out = filter(keys, leases);
            if (lock.validate(stamp)) {
                return out;
            }
        }
        long stamp = lock.readLock();
        try {
            return filter(keys, leases);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Racy while a writer runs (the stamp's validation discards the result then): a cell holds some value it
     * had, and a table is never more than half used, so every probe ends at an empty cell.
     */
    private static List<DhcpLease> filter(long[] table, Collection<DhcpLease> leases) {
        List<DhcpLease> out = new ArrayList<>();
        int mask = table.length - 1;
        for (DhcpLease l : leases) {
            long k = key(l);
            for (int i = mix(k) & mask;; i = (i + 1) & mask) {
                long c = table[i];
                if (c == k) {
                    out.add(l);
                    break;
                }
                if (c == EMPTY) {
                    break;
                }
            }
        }
        return out;
    }

    /** Lists the bindings of {@code leases} (bound ones; their ACKs have left, or the files hold them). */
    void addAll(Collection<DhcpLease> leases) {
        if (leases.isEmpty()) {
            return;
        }
        long stamp = lock.writeLock();
        try {
            for (DhcpLease l : leases) {
                add(key(l));
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Lists {@code lease}'s binding no more (released, expired, declined: its end is durable). */
    void remove(DhcpLease lease) {
        long stamp = lock.writeLock();
        try {
            remove(key(lease));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private boolean has(long k) {
        int mask = keys.length - 1;
        for (int i = mix(k) & mask;; i = (i + 1) & mask) {
            long c = keys[i];
            if (c == k) {
                return true;
            }
            if (c == EMPTY) {
                return false;
            }
        }
    }

    private void add(long k) {
        if (has(k)) {
            return;
        }
        if ((used + 1) * 2 > keys.length) {
            rehash(size * 2 + 2 > keys.length / 2 ? keys.length * 2 : keys.length);
        }
        int mask = keys.length - 1;
        int i = mix(k) & mask;
        while (keys[i] != EMPTY && keys[i] != DELETED) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            used++;
        }
        keys[i] = k;
        size++;
    }

    private void remove(long k) {
        int mask = keys.length - 1;
        for (int i = mix(k) & mask;; i = (i + 1) & mask) {
            long c = keys[i];
            if (c == EMPTY) {
                return;
            }
            if (c == k) {
                keys[i] = DELETED;
                size--;
                return;
            }
        }
    }

    /** Fills a new table before it replaces the old: a racy reader probes one or the other, never a half-sized one. */
    private void rehash(int capacity) {
        long[] old = keys;
        long[] fresh = new long[capacity];
        int n = 0;
        int mask = capacity - 1;
        for (long k : old) {
            if (k != EMPTY && k != DELETED) {
                int i = mix(k) & mask;
                while (fresh[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                fresh[i] = k;
                n++;
            }
        }
        keys = fresh;
        used = n;
        size = n;
    }

    private static int mix(long k) {
        long h = k * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
