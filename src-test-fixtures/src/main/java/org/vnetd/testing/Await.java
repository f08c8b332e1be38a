package org.vnetd.testing;

import java.time.Duration;
import java.util.Optional;

/**
 * The one way tests wait for something they cannot be told about (a link the kernel removes, a file a
 * child process writes, a counter another thread bumps): poll a condition until it holds, bounded by a
 * deadline, and fail with what was awaited and the last thing seen. Whatever can signal (a future, a
 * latch, an RPC reply) should be awaited directly instead.
 *
 * <pre>{@code
 * Await.until(Duration.ofSeconds(10), "tap vnet0 removed", () -> !hasLink("vnet0"));
 * String lease = Await.value(Duration.ofSeconds(20), "a lease for 52:54:00:00:00:01", () -> findLease(mac));
 * }</pre>
 */
public final class Await {
    /** Between two looks; short enough not to slow a test, long enough not to burn a core of a shared machine. */
    public static final Duration DEFAULT_POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** A condition that may throw (most of them run a command or read a file). */
    @FunctionalInterface
    public interface Condition {
        boolean met() throws Exception;
    }

    /** A lookup that may throw; empty means "not yet". */
    @FunctionalInterface
    public interface Lookup<T> {
        Optional<T> find() throws Exception;
    }

    /** Waits until {@code condition} holds, polling every {@link #DEFAULT_POLL}. */
    public static void until(Duration timeout, String what, Condition condition) {
        until(timeout, DEFAULT_POLL, what, condition);
    }

    /**
     * Waits until {@code condition} holds, looking every {@code poll}, at most {@code timeout} (it is looked at
     * once more at the deadline). Throws {@link AssertionError} naming {@code what} when time runs out, with the
     * last exception the condition threw, if any, as its cause. An exception from the condition counts as "not
     * yet"; an {@link Error} (such as an {@link AssertionError} saying the awaited thing can no longer happen)
     * ends the wait at once.
     */
    public static void until(Duration timeout, Duration poll, String what, Condition condition) {
        value(timeout, poll, what, () -> condition.met() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Waits until {@code lookup} finds a value and returns it, polling every {@link #DEFAULT_POLL}. */
    public static <T> T value(Duration timeout, String what, Lookup<T> lookup) {
        return value(timeout, DEFAULT_POLL, what, lookup);
    }

    /** As {@link #until(Duration, Duration, String, Condition)}, returning what {@code lookup} found. */
    public static <T> T value(Duration timeout, Duration poll, String what, Lookup<T> lookup) {
        if (timeout.isNegative() || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " and poll " + poll + " must be positive");
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                Optional<T> found = lookup.find();
                if (found.isPresent()) {
                    return found.get();
                }
                last = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                last = e;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new AssertionError("timed out after " + Duration.ofNanos(now - start).toMillis() + " ms (limit "
                        + timeout.toMillis() + " ms) waiting for " + what
                        + (last == null ? "" : "; the last look failed: " + last), last);
            }
            sleep(Math.min(poll.toNanos(), deadline - now), what);
        }
    }

    private static void sleep(long nanos, String what) {
        try {
            Thread.sleep(Duration.ofNanos(Math.max(nanos, 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }
}
