package org.vnetd.daemon.dhcp;

import java.util.function.LongSupplier;

/**
 * When to try again after a failure: {@link #BASE_NANOS} after the first, doubling up to
 * {@link #MAX_NANOS}, so a disk that stays full costs one attempt every few seconds (not one per
 * client request) and one that has space again is used within {@link #MAX_NANOS}. Not thread-safe.
 */
final class RetryBackoff {
    static final long BASE_NANOS = 250_000_000L;
    static final long MAX_NANOS = 8_000_000_000L;

    private final LongSupplier nanoTime;
    private int failures;
    private long next;

    RetryBackoff(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Records a failure now; returns the delay until the next attempt. */
    long failed() {
        long delay = Math.min(MAX_NANOS, BASE_NANOS << Math.min(failures, 20));
        failures++;
        next = nanoTime.getAsLong() + delay;
        return delay;
    }

    void succeeded() {
        failures = 0;
    }

    boolean failing() {
        return failures > 0;
    }

    /** No failure since the last success, or the delay since the last failure has passed. */
    boolean due() {
        return failures == 0 || nanoTime.getAsLong() - next >= 0;
    }

    /** Nanoseconds until the next attempt (0 when due). */
    long remaining() {
        return failures == 0 ? 0 : Math.max(0, next - nanoTime.getAsLong());
    }
}
