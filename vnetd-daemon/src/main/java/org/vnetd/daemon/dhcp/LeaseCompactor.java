package org.vnetd.daemon.dhcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Compacts a lease store's log into its snapshot. In the background: {@link #housekeep} rotates the
 * log ({@code NAME.wal} renamed to {@code NAME.wal.prev}, a new {@code NAME.wal} created and its
 * directory entry synced) once it is long enough, and a compactor thread writes the live leases to the
 * snapshot and deletes {@code NAME.wal.prev} while later records go to the new log. Whole, on the
 * caller's thread: {@link #compactNow} at open and close. A snapshot that cannot be written (a full
 * disk) fails nothing: the logs are kept and the compaction is tried again after a backoff.
 *
 * <p>Everything but the compactor thread's own work runs under the store's I/O lock ({@code ioLock},
 * which that thread takes to publish its result).
 */
public final class LeaseCompactor<L> {
    /** Where the live leases go: the store's snapshot file, replaced whole. */
    public interface Snapshot<L> {
        void write(Collection<L> leases) throws IOException;

        Path path();
    }

    /** The live leases to snapshot: a view or a copy that stays valid while the compactor iterates it. */
    public interface LiveSet<L> {
        Collection<L> current();

        void reapExpired(Instant now);
    }

    // the store's category: operators grep for one logger per lease store
    private static final Logger LOG = LoggerFactory.getLogger(DurableLeaseStore.class);
    public static final int COMPACT_AFTER = 20_000;

    private final Object ioLock;
    private final LeaseLog log;
    private final Snapshot<L> snapshot;
    private final Path walPrev;
    private final LiveSet<L> live;
    private final Clock clock;
    private final RateLimitedLog errors = new RateLimitedLog(LOG, Level.WARN, DurableLeaseStore.LOG_INTERVAL_NANOS);
    /** A compaction is between rotation and the deletion of {@code walPrev}. */
    private boolean compacting;
    /** The compactor is writing the snapshot of the compaction under way. */
    private boolean snapshotRunning;
    private final RetryBackoff retry = new RetryBackoff(System::nanoTime);
    /** The compaction at open could not write (a full disk): the replayed logs wait for a later one. */
    private boolean deferred;
    /** Writes snapshots off the ACK path; created at the first compaction. */
    private ExecutorService executor;
    /** The latest background compaction: done once its snapshot is written and the rotated log gone, or failed. */
    private volatile CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    public LeaseCompactor(Object ioLock, LeaseLog log, Snapshot<L> snapshot, Path walPrev, LiveSet<L> live, Clock clock) {
        this.ioLock = ioLock;
        this.log = log;
        this.snapshot = snapshot;
        this.walPrev = walPrev;
        this.live = live;
        this.clock = clock;
    }

    /** The latest compaction started off the ACK path (a completed future when none was). */
    public CompletableFuture<Void> last() {
        return last;
    }

    /**
     * The whole compaction on the caller's thread, with nothing appended meanwhile (at open and close,
     * no compactor running): snapshot of live leases, then an empty log.
     */
    public void compactNow() throws IOException {
        live.reapExpired(clock.instant());
        snapshot.write(live.current()); // without expired ones
        Files.deleteIfExists(walPrev);
        compacting = false;
        log.truncate();
    }

    /** Whether close has records to compact (an empty log, nothing leased since open, needs no fsyncs). */
    public boolean hasWork() {
        return log.records() > 0 || Files.exists(walPrev);
    }

    /** The compaction at open could not be done: the replayed logs are kept and compacted later. */
    public void deferFromOpen(boolean prevKept) {
        deferred = true;
        compacting = false;
        if (prevKept) {
            LOG.info("lease store {}: {} is kept until the compaction", log.path(), walPrev.getFileName());
        }
        retry.failed();
    }

    /**
     * After a batch's ACKs have left: the deferred compaction or a failed snapshot tried again once
     * the backoff allows; then, once the log holds more than twice as many records as there are leases
     * (and at least {@link #COMPACT_AFTER}), it is rotated and a snapshot started: the rotation (a
     * rename, a new file, a directory sync) takes milliseconds on the sync thread (bench/dhcp/README.md).
     * Throws when the rotation fails: the store then fails as on a failed write (the log is reopened at
     * a retry).
     */
    public void housekeep(IntSupplier liveCount) throws IOException {
        if (deferred && retry.due()) {
            compactDeferred();
        }
        if (compacting && !snapshotRunning && retry.due() && (executor == null || !executor.isShutdown())) {
            startSnapshot(live.current()); // a snapshot that failed, again
        }
        if (!compacting && !deferred && log.records() > COMPACT_AFTER && log.records() > 2L * liveCount.getAsInt()) {
            rotate();
        }
    }

    private void compactDeferred() {
        try {
            compactNow();
            deferred = false;
            retry.succeeded();
            errors.reset();
            LOG.info("lease store {}: compacted (deferred since open)", log.path());
        } catch (IOException e) {
            long delay = retry.failed();
            errors.log("lease store {}: cannot compact yet ({}); next try in {} ms", log.path(), e.toString(), delay / 1_000_000);
        }
    }

    /**
     * Rotates the log and hands the live leases to the compactor (a rename, a new log and one directory
     * sync here; the snapshot itself is written while later ACKs go on, from a followed server's live
     * view or else from a copy of the store's own map).
     */
    private void rotate() throws IOException {
        if (executor != null && executor.isShutdown()) {
            return; // closing: close() compacts once its compactor is done
        }
        log.moveTo(walPrev);
        // from here the old log is walPrev: a failure below leaves a log to reopen empty (LeaseLog.reopenIfClosed)
        compacting = true;
        log.startNew();
        // read after the rotation: every change the view may miss is in the new log
        startSnapshot(live.current());
    }

    private void startSnapshot(Collection<L> leases) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        last = done;
        snapshotRunning = true;
        executor().execute(() -> finish(leases, done));
    }

    private ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().daemon().name("dhcp-compact-" + log.path().getFileName()).factory());
        }
        return executor;
    }

    /**
     * On the compactor: the snapshot from {@code leases}, then the rotated log goes. A snapshot that
     * cannot be written (a full disk) fails nothing: walPrev stays (its records are in no snapshot), no
     * later compaction may rotate over it, and housekeeping tries again after a backoff with the live
     * leases of then (the new log holds every change since the rotation, so that view does as well).
     */
    private void finish(Collection<L> leases, CompletableFuture<Void> done) {
        try {
            snapshot.write(leases);
            Files.deleteIfExists(walPrev); // replaying it again would change nothing: no sync needed
            synchronized (ioLock) {
                compacting = false;
                snapshotRunning = false;
                retry.succeeded();
                errors.reset();
            }
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            synchronized (ioLock) {
                snapshotRunning = false;
                long delay = retry.failed();
                errors.log("lease snapshot {} cannot be written: {}; the logs are kept, next try in {} ms", snapshot.path(),
                        e.toString(), delay / 1_000_000);
            }
            done.completeExceptionally(e);
        }
    }

    /**
     * Lets a running snapshot finish and takes no new ones (call without ioLock: the compactor takes it).
     * A sync crossing the threshold meanwhile runs its compaction here, before close's.
     */
    public void shutdown() {
        ExecutorService c;
        synchronized (ioLock) {
            c = executor;
        }
        if (c == null) {
            return;
        }
        c.shutdown();
        try {
            if (!c.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("lease snapshot {} still being written after 60 s; closing anyway (the logs replay)", snapshot.path());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
