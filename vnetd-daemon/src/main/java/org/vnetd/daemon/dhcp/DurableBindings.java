package org.vnetd.daemon.dhcp;

import org.vnetd.core.dhcp.DhcpLease;

/**
 * Which (address, client) bindings the lease files hold: a lease the server has bound but whose
 * record is not yet durable (its ACK still held, or withheld for good because the write failed) is
 * not listed as a lease. Keys are the address and the client id's hash in one {@code long}, in an
 * open-addressing table of primitives: no object per lease for the collector to trace (see
 * LeaseTable). A hash shared by two clients on one address can only make a lease listed early.
 * Used under the store's I/O lock.
 */
final class DurableBindings {
    private static final long EMPTY = 0L; // address 0.0.0.0 is never leased
    private static final long DELETED = 1L; // nor is 0.0.0.0 with a client hash of 1

    private long[] keys = new long[64];
    private int used; // live and deleted cells
    private int size;

    static long key(DhcpLease l) {
        return ((long) l.ip() << 32) | (l.clientId().hashCode() & 0xffff_ffffL);
    }

    boolean contains(DhcpLease l) {
        long k = key(l);
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

    void add(DhcpLease l) {
        long k = key(l);
        if (contains(l)) {
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

    void remove(DhcpLease l) {
        long k = key(l);
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

    int size() {
        return size;
    }

    private void rehash(int capacity) {
        long[] old = keys;
        keys = new long[capacity];
        used = 0;
        size = 0;
        int mask = capacity - 1;
        for (long k : old) {
            if (k != EMPTY && k != DELETED) {
                int i = mix(k) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                used++;
                size++;
            }
        }
    }

    private static int mix(long k) {
        long h = k * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
