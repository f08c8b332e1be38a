package org.vnetd.daemon.rpc.limit;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes of incomplete frames that all connections of one listener may hold together. */
final class BufferBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    BufferBudget(long max) {
        this.max = max;
    }

    /** Takes {@code bytes} if they fit; false (and nothing taken) if not. */
    boolean tryTake(long bytes) {
        while (true) {
            long u = used.get();
            if (u + bytes > max) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return true;
            }
        }
    }

    void giveBack(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
