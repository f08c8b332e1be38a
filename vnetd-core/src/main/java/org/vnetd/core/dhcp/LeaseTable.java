package org.vnetd.core.dhcp;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The leases a server holds, found by client and by address; at most one lease per client and one per
 * address. Changed only under the server's lock; {@link #size()} and {@link #view()} may be read from
 * any thread.
 *
 * <p>Why not two HashMaps: a server binding thousands of new clients a second wrote a reference into
 * two large old-generation tables per lease, each at a random place, and every young collection then
 * scanned all those dirty cards; with a large, growing lease set the young pauses held back replies
 * until they overflowed the clients' receive buffers. Here the leases sit in one array of slots filled
 * in order (consecutive new leases share a card), and both indexes are open-addressing tables of
 * {@code int}s, which the collector never scans. The pauses before and after: bench/dhcp/README.md,
 * "Figures behind the code".
 */
final class LeaseTable {
    private static final int NONE = -1;

    // racy readers (view) see a lease or null in each slot: DhcpLease is immutable, so safely published
    private volatile DhcpLease[] slots = new DhcpLease[16];
    private int used; // slots [0, used) have held a lease
    private int[] free = new int[16]; // emptied slots below used, reused first
    private int freeCount;
    private volatile int size;
    private final SlotIndex byIp = new SlotIndex();
    private final SlotIndex byClient = new SlotIndex();

    int size() {
        return size;
    }

    DhcpLease byAddress(int ip) {
        int slot = slotOfAddress(ip);
        return slot == NONE ? null : slots[slot];
    }

    /** The slot of the lease on {@code ip}, or NONE (addresses are unique: the first match is the one). */
    private int slotOfAddress(int ip) {
        int cell = byIp.first(ip);
        return cell == NONE ? NONE : byIp.slotAt(cell);
    }

    DhcpLease byClient(ClientId cid) {
        DhcpLease[] s = slots;
        int key = cid.hashCode();
        for (int i = byClient.first(key); i != NONE; i = byClient.next(i, key)) {
            DhcpLease l = s[byClient.slotAt(i)];
            if (l.clientId().equals(cid)) {
                return l; // other clients may share the hash: the id decides
            }
        }
        return null;
    }

    /** Holds {@code lease}, replacing the lease of its client and the one on its address. */
    void put(DhcpLease lease) {
        DhcpLease onIp = byAddress(lease.ip());
        DhcpLease ofClient = byClient(lease.clientId());
        if (onIp != null && onIp == ofClient) {
            slots[slotOfAddress(lease.ip())] = lease; // a renewal: same client, same address, same slot
            return;
        }
        remove(onIp);
        remove(ofClient);
        int slot = freeCount > 0 ? free[--freeCount] : nextSlot();
        slots[slot] = lease;
        byIp.add(lease.ip(), slot);
        byClient.add(lease.clientId().hashCode(), slot);
        size++;
    }

    /** Ends {@code lease} if it is held (an equal lease on its address); false when it is not. */
    boolean remove(DhcpLease lease) {
        if (lease == null) {
            return false;
        }
        int slot = slotOfAddress(lease.ip());
        DhcpLease held = slot == NONE ? null : slots[slot];
        if (held == null || !held.equals(lease)) {
            return false;
        }
        byIp.remove(held.ip(), slot);
        byClient.remove(held.clientId().hashCode(), slot);
        slots[slot] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
        size--;
        return true;
    }

    /** A copy of every lease held, in no particular order. */
    List<DhcpLease> copy() {
        List<DhcpLease> out = new ArrayList<>(size);
        for (DhcpLease l : slots) {
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * The leases held, read without the server's lock: weakly consistent. A lease held throughout an
     * iteration is seen (a lease never moves to another slot, and a grown slot array keeps each at
     * its place); one bound or ended meanwhile may be seen or not, in either of its states.
     */
    Collection<DhcpLease> view() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<DhcpLease> iterator() {
                return new Iterator<>() {
                    private final DhcpLease[] s = slots;
                    private int i = -1;
                    private DhcpLease next = advance();

                    private DhcpLease advance() {
                        while (++i < s.length) {
                            DhcpLease l = s[i];
                            if (l != null) {
                                return l;
                            }
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public DhcpLease next() {
                        if (next == null) {
                            throw new NoSuchElementException();
                        }
                        DhcpLease l = next;
                        next = advance();
                        return l;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    private int nextSlot() {
        if (used == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
        }
        return used++;
    }

    /**
     * An open-addressing multimap from an {@code int} key to slot numbers (linear probing, at most
     * half full, deletion by backward shift: no tombstones to pile up as leases come and go).
     */
    static final class SlotIndex {
        private int[] keys = new int[32];
        private int[] values = new int[32]; // slot + 1; 0 is an empty cell
        private int count;

        private int mask() {
            return keys.length - 1;
        }

        private static int home(int key, int mask) {
            int h = key * 0x9E3779B9; // addresses are sequential: spread them
            return (h ^ (h >>> 16)) & mask;
        }

        /** The first cell holding {@code key}, or NONE. */
        int first(int key) {
            return scan(home(key, mask()), key);
        }

        /** The next cell after {@code cell} holding {@code key}, or NONE. */
        int next(int cell, int key) {
            return scan((cell + 1) & mask(), key);
        }

        private int scan(int from, int key) {
            int m = mask();
            for (int i = from; values[i] != 0; i = (i + 1) & m) {
                if (keys[i] == key) {
                    return i;
                }
            }
            return NONE;
        }

        int slotAt(int cell) {
            return values[cell] - 1;
        }

        void add(int key, int slot) {
            if (2 * (count + 1) > keys.length) {
                grow();
            }
            insert(key, slot + 1);
            count++;
        }

        private void insert(int key, int value) {
            int m = mask();
            int i = home(key, m);
            while (values[i] != 0) {
                i = (i + 1) & m;
            }
            keys[i] = key;
            values[i] = value;
        }

        private void grow() {
            int[] oldKeys = keys;
            int[] oldValues = values;
            keys = new int[oldKeys.length * 2];
            values = new int[oldValues.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] != 0) {
                    insert(oldKeys[i], oldValues[i]);
                }
            }
        }

        void remove(int key, int slot) {
            int m = mask();
            int i = first(key);
            while (i != NONE && values[i] != slot + 1) {
                i = next(i, key);
            }
            if (i == NONE) {
                throw new IllegalStateException("slot " + slot + " is not indexed under " + key);
            }
            // backward shift: pull later cells of the run into the hole unless they sit at or after
            // their home (cyclically between the hole and themselves), so every lookup still finds them
            int j = i;
            while (true) {
                j = (j + 1) & m;
                if (values[j] == 0) {
                    break;
                }
                int h = home(keys[j], m);
                boolean stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
                if (!stays) {
                    keys[i] = keys[j];
                    values[i] = values[j];
                    i = j;
                }
            }
            values[i] = 0;
            count--;
        }
    }
}
