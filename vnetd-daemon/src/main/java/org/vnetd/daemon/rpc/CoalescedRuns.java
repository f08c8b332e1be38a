package org.vnetd.daemon.rpc;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an expensive task for any number of callers at a bounded rate: one run at a time, runs starting at
 * least {@code gap} apart, and callers that ask meanwhile share the next run. {@link #fresh} answers with a run
 * that started after the caller asked, so nobody sees a stale answer; {@link #recent} answers at once with the
 * last result and, when that is older than asked, has it refreshed in the background, so callers who may not
 * make anyone wait (every local user on the read-only socket) never pile up waiting requests. A loop of
 * callers costs at most one run per gap. Callers block (they are virtual threads).
 */
final class CoalescedRuns<T> {
    private static final Logger LOG = LoggerFactory.getLogger(CoalescedRuns.class);

    /** Time as the runs see it: the JVM's in the daemon, one a test moves by hand. */
    interface Clock {
        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                Thread.sleep(d);
            }
        };

        long nanoTime();

        void sleep(Duration d) throws InterruptedException;
    }

    private final Callable<T> task;
    private final long gapNanos;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();
    private final Object joining = new Object();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    // guarded by joining: the run that callers asking now will share, and how many callers share it so far
    private CompletableFuture<T> next;
    private int sharingNext;
    // guarded by running
    private long lastStart;
    private boolean ranBefore;
    /** The last successful result and when its run started; replaced whole. */
    private volatile Result<T> last;

    private record Result<T>(T value, long startedNanos) {
    }

    CoalescedRuns(Callable<T> task, Duration gap, Clock clock) {
        this.task = task;
        this.gapNanos = gap.toNanos();
        this.clock = clock;
    }

    /** The result of a run that starts after this call. */
    T fresh() throws Exception {
        CompletableFuture<T> mine;
        boolean runner;
        synchronized (joining) {
            runner = next == null;
            if (runner) {
                next = new CompletableFuture<>();
            }
            mine = next;
            sharingNext++;
        }
        if (runner) {
            run(mine);
        }
        try {
            return mine.get();
        } catch (ExecutionException e) {
            // a failed run is not kept: the next caller runs again
            throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
        }
    }

    /** Callers waiting for the next run, which has not started yet (tests: who has asked by now). */
    int waitingForNextRun() {
        synchronized (joining) {
            return sharingNext;
        }
    }

    /**
     * The last result at once (as {@link #fresh} only before the first success); one older than {@code maxAge}
     * is refreshed by one background run for the callers after this one.
     */
    T recent(Duration maxAge) throws Exception {
        Result<T> r = last;
        if (r == null) {
            return fresh();
        }
        if (clock.nanoTime() - r.startedNanos() > maxAge.toNanos() && refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("refresh").start(() -> {
                try {
                    fresh();
                } catch (Exception e) {
                    // the callers who wait for runs (fresh) get this error; these keep the last good result
                    LOG.debug("background refresh failed: {}", e.toString());
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return r.value();
    }

    private void run(CompletableFuture<T> mine) throws InterruptedException {
        running.lock();
        try {
            if (ranBefore) {
                long wait = lastStart + gapNanos - clock.nanoTime();
                if (wait > 0) {
                    clock.sleep(Duration.ofNanos(wait));
                }
            }
            synchronized (joining) {
                next = null; // who asks from now on needs a run that starts later than this one
                sharingNext = 0;
            }
            long started = clock.nanoTime();
            lastStart = started;
            ranBefore = true;
            try {
                T value = task.call();
                last = new Result<>(value, started);
                mine.complete(value);
            } catch (Throwable t) {
                mine.completeExceptionally(t);
            }
        } finally {
            running.unlock();
        }
    }
}
