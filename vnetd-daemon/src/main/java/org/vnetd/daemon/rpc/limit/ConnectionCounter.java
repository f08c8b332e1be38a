package org.vnetd.daemon.rpc.limit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open connections of one listener, in all and per peer. */
final class ConnectionCounter {
    private final int max;
    private final int maxPerPeer;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perPeer = new ConcurrentHashMap<>();

    ConnectionCounter(int max, int maxPerPeer) {
        this.max = max;
        this.maxPerPeer = maxPerPeer;
    }

    /**
     * Counts a new connection of {@code peer} (null: a peer capped only by the total) and returns null, or
     * returns why it is refused and counts nothing.
     */
    LimitRefusal admit(String peer) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return new LimitRefusal(LimitRefusal.Reason.TOO_MANY_CONNECTIONS,
                    "too many connections: this socket serves at most " + max + " at once");
        }
        if (peer == null) {
            return null;
        }
        boolean[] over = {false};
        perPeer.compute(peer, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerPeer) {
                over[0] = true;
                return n;
            }
            return count + 1;
        });
        if (over[0]) {
            open.decrementAndGet();
            return new LimitRefusal(LimitRefusal.Reason.TOO_MANY_PEER_CONNECTIONS,
                    "too many connections of " + peer + ": at most " + maxPerPeer + " at once on this socket");
        }
        return null;
    }

    /** Forgets a connection that {@link #admit} counted. */
    void release(String peer) {
        open.decrementAndGet();
        if (peer != null) {
            perPeer.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    int open() {
        return open.get();
    }

    int open(String peer) {
        return perPeer.getOrDefault(peer, 0);
    }
}
