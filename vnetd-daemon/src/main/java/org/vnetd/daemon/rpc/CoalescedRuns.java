package org.vnetd.daemon.rpc;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs an expensive task for any number of callers at a bounded rate: one run at a time, runs starting at
 * least {@code gap} apart, and callers that ask meanwhile share the next run. Every caller gets the result of
 * a run that started after it asked, so nobody sees a stale answer, and a loop of callers costs at most one
 * run per gap. Callers block (they are virtual threads).
 */
final class CoalescedRuns<T> {
    private final Callable<T> task;
    private final long gapNanos;
    private final ReentrantLock running = new ReentrantLock();
    private final Object joining = new Object();

    // guarded by joining: the run that callers asking now will share
    private CompletableFuture<T> next;
    // guarded by running
    private long lastStart;
    private boolean ranBefore;

    CoalescedRuns(Callable<T> task, Duration gap) {
        this.task = task;
        this.gapNanos = gap.toNanos();
    }

    T get() throws Exception {
        CompletableFuture<T> mine;
        boolean runner;
        synchronized (joining) {
            runner = next == null;
            if (runner) {
                next = new CompletableFuture<>();
            }
            mine = next;
        }
        if (runner) {
            run(mine);
        }
        try {
            return mine.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
        }
    }

    private void run(CompletableFuture<T> mine) throws InterruptedException {
        running.lock();
        try {
            if (ranBefore) {
                long wait = lastStart + gapNanos - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            }
            synchronized (joining) {
                next = null; // who asks from now on needs a run that starts later than this one
            }
            lastStart = System.nanoTime();
            ranBefore = true;
            try {
                mine.complete(task.call());
            } catch (Throwable t) {
                mine.completeExceptionally(t);
            }
        } finally {
            running.unlock();
        }
    }
}
