package org.vnetd.daemon.dhcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.dhcp.LeaseStore;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.state.AtomicFiles;
import org.vnetd.daemon.state.FileModes;

/**
 * Leases on disk: a snapshot ({@code NAME.leases}, {@link LeaseSnapshotFile}) plus a write-ahead log
 * ({@code NAME.wal}, {@link LeaseLog}). Appends are queued in memory; {@link #sync()} writes all queued
 * records and fdatasyncs once: group commit, so a burst of ACKs costs one sync.
 *
 * <p>When the log grows past a threshold it is compacted without holding up ACKs ({@link LeaseCompactor}):
 * the housekeeping after the sync that crosses it ({@link #prepareAhead()}, once that batch's ACKs have
 * left) only rotates the log, and a compactor thread writes the snapshot while later records go to the
 * new log. Loading replays the snapshot, {@code NAME.wal.prev} (a compaction that did not finish), then
 * {@code NAME.wal} ({@link LeaseLogReplay}): replaying records the snapshot already holds changes nothing
 * (the last record of an address decides), so a crash at any point leaves files that replay to the same
 * state.
 *
 * <p>A full disk never stops the store from opening (replay only reads; when the compaction at open
 * cannot write its snapshot, records are appended to the replayed log and the compaction is tried
 * later) and never fails it for good: a sync that cannot write withholds its batch's ACKs, drops the
 * bindings those ACKs were for, puts the rest of the batch back, and later syncs try again after a
 * bounded backoff ({@link LeaseWriteHealth}). Only bindings whose clients were told count as leases
 * ({@link #repliedOf}): those the files held at open, and those whose records are durable and whose ACKs
 * have left ({@link #replied}).
 * The files are created 0600 whatever the umask.
 *
 * <p>Two locks: the queue's own ({@link LeaseChangeQueue}), which appends take, and {@code ioLock}, which
 * guards the files and everything the other helpers hold (one writer at a time; appends never wait for it).
 * The listed bindings ({@link RepliedBindings}) are read without either: a listing never waits for the disk.
 */
public final class DurableLeaseStore implements LeaseStore {
    private static final Logger LOG = LoggerFactory.getLogger(DurableLeaseStore.class);
    static final int COMPACT_AFTER = LeaseCompactor.COMPACT_AFTER;
    static final int PREALLOCATE = LeaseLog.PREALLOCATE;
    static final int FIRST_EXTENT = LeaseLog.FIRST_EXTENT;
    static final int SNAPSHOT_SYNC_EVERY = StreamedSnapshot.SYNC_EVERY;
    /** At most one line per this for an error that repeats (a full disk fails every sync). */
    static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    /** Bytes a probe makes sure the log can take before ACKs are sent again: a few records. */
    private static final int PROBE_BYTES = 4096;

    private final Object ioLock = new Object();
    private final LeaseChangeQueue pending;
    private final LiveLeases live = new LiveLeases(); // ioLock
    private final RepliedBindings replied = new RepliedBindings();
    /** Runs in each sync once its batch is written, still holding ioLock (tests: a sync that stalls there). */
    private volatile Runnable afterWrite = () -> { };
    private final LeaseLog log; // ioLock
    private final LeaseWriteHealth health;
    private final LeaseCompactor<DhcpLease> compaction; // ioLock
    /** Synced batches not yet handed to the listener (ioLock); delivered in order under deliverLock. */
    private List<List<LeaseChange>> undelivered = new ArrayList<>();
    private final Object deliverLock = new Object();
    private volatile Consumer<List<LeaseChange>> durableListener = batch -> { };

    private DurableLeaseStore(Path dir, String name, Clock clock, LeaseRecordJson json) throws IOException {
        LeaseSnapshotFile snapshot = new LeaseSnapshotFile(dir.resolve(name + ".leases"), json, clock);
        Path wal = dir.resolve(name + ".wal");
        Path walPrev = dir.resolve(name + ".wal.prev");
        if (!Files.isDirectory(dir)) {
            FileModes.directory(dir, FileModes.PRIVATE_DIR);
        }
        boolean walExisted = Files.exists(wal);
        snapshot.readInto(live.own());
        // a compaction that did not finish: its records, then the newer ones
        LeaseLogReplay prev = LeaseLogReplay.of(walPrev, json, live::apply);
        if (!prev.used()) {
            Files.deleteIfExists(walPrev); // nothing in it (or only zeros): a rotation must be free to take the name
        }
        LeaseLogReplay cur = LeaseLogReplay.of(wal, json, live::apply);
        boolean walUsed = cur.used() || prev.used();
        this.pending = new LeaseChangeQueue(wal);
        this.log = LeaseLog.open(wal, json);
        this.health = new LeaseWriteHealth(wal);
        this.compaction = new LeaseCompactor<>(ioLock, log, snapshot, walPrev, live, clock);
        if (walUsed) {
            try {
                compaction.compactNow(); // replayed records (or a torn tail): start from a clean snapshot and an empty log
            } catch (IOException e) {
                // no space for a snapshot: serve from the logs as they are, compact once there is room
                log.appendAfter(cur);
                compaction.deferFromOpen(prev.used());
                LOG.warn("lease store {}: cannot compact at open ({}); appending to the replayed log, compacting later", wal, e.toString());
            }
        } else if (walExisted) {
            log.appendFromStart(); // only preallocated zeros (or nothing)
        } else {
            // the new log's directory entry must be durable before the first record synced into it;
            // an empty existing log (the state a clean stop leaves) needs no write at all, which
            // keeps a network start free of the three fsyncs a compaction costs
            AtomicFiles.syncDirectory(dir);
        }
        live.reapExpired(clock.instant()); // as a compaction would; the file catches up at the next one
        replied.addAll(live.current()); // what the files hold was acknowledged (or imported) before
    }

    /**
     * The leases in the files of store {@code dir/name} as they are, read without opening it (nothing is
     * created, locked, written or compacted): what a restarted daemon's DNS needs to know its guests' names
     * before the DHCP server opens the store. Expired leases are included. Files that cannot be read give
     * what could be (logged); none at all gives none.
     */
    public static List<DhcpLease> peek(Path dir, String name, Clock clock, LeaseRecordJson json) {
        LiveLeases leases = new LiveLeases();
        try {
            if (Files.exists(dir.resolve(name + ".leases"))) {
                new LeaseSnapshotFile(dir.resolve(name + ".leases"), json, clock).readInto(leases.own());
            }
            for (Path wal : List.of(dir.resolve(name + ".wal.prev"), dir.resolve(name + ".wal"))) {
                if (Files.exists(wal)) {
                    LeaseLogReplay.of(wal, json, leases::apply);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("lease store {}: cannot read the leases ahead of the DHCP server: {}", dir.resolve(name), e.toString());
        }
        return List.copyOf(leases.current());
    }

    /** Opens (creating if needed) the store {@code dir/name.leases} + {@code dir/name.wal}. */
    public static DurableLeaseStore open(Path dir, String name, Clock clock) {
        return open(dir, name, clock, new LeaseRecordJson());
    }

    /** As {@link #open(Path, String, Clock)}, with the daemon's shared record JSON. */
    public static DurableLeaseStore open(Path dir, String name, Clock clock, LeaseRecordJson json) {
        try {
            return new DurableLeaseStore(dir, name, clock, json);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot open lease store " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<DhcpLease> load() {
        synchronized (ioLock) {
            return List.copyOf(live.current());
        }
    }

    /**
     * From now on the live leases are the ones {@code leases} returns (a server that loaded this
     * store and appends every change to it): compaction snapshots those, and the store stops keeping a
     * copy of its own. A server holds each lease once already; a second map here cost a map entry per
     * lease and, at thousands of new leases a second, most of the young collector's card scanning.
     * {@code count} is read on the sync thread and {@code leases} iterated on the compactor while the
     * server goes on: both must be safe to use from other threads without waiting for the server (a
     * live, weakly consistent view: every change it may miss is in the log written after the rotation
     * that starts the snapshot). Neither may wait for this store's I/O lock (appends never take it).
     */
    public void follow(IntSupplier count, Supplier<? extends Collection<DhcpLease>> leases) {
        synchronized (ioLock) {
            live.follow(count, leases);
        }
    }

    @Override
    public void append(LeaseChange change) {
        pending.add(change);
    }

    /**
     * Writes every queued change and fdatasyncs once, on the caller's thread. Appends go on while the
     * disk works (only {@code ioLock} is held then); callers batch, so one sync covers many ACKs.
     */
    @Override
    public void sync() {
        sync(List.of());
        deliverDurable();
    }

    /**
     * As {@link #sync()}; when the write fails, the batch goes back to the head of the queue, except
     * the bindings of {@code acknowledged} (the ACKs being withheld): those clients were never told,
     * their next request binds anew. Every other change of the batch, an ACK queued later may cover.
     */
    @Override
    public void sync(Collection<DhcpLease> acknowledged) {
        synchronized (ioLock) {
            List<LeaseChange> batch = pending.takeAll();
            if (batch.isEmpty()) {
                return;
            }
            IOException failed = health.failure();
            if (failed != null && !health.retryDue()) {
                pending.putBack(batch, acknowledged);
                throw new VnetException(ErrorCode.STATE_IO, "lease log " + log.path() + " cannot be written (" + failed.getMessage()
                        + "); next try in " + health.retryInMillis() + " ms", failed);
            }
            try {
                if (failed != null) {
                    log.reopenIfClosed();
                }
                log.write(batch);
            } catch (IOException e) {
                pending.putBack(batch, acknowledged);
                health.failed(e);
                throw new VnetException(ErrorCode.STATE_IO, "cannot write lease log " + log.path() + ": " + e.getMessage(), e);
            }
            afterWrite.run();
            for (LeaseChange c : batch) {
                live.applyDurable(c);
                if (c.removes()) {
                    replied.remove(c.lease()); // a bind waits for its ACK to leave: replied()
                }
            }
            undelivered.add(batch);
            if (failed != null) {
                health.recovered();
            }
        }
    }

    /**
     * Told each synced batch of changes, in order, on the syncing thread once the batch's ACKs have left
     * ({@link #prepareAhead}) or at the end of a {@link #sync()}, holding none of the store's locks: the
     * listener (the network's DNS names, one zone rebuild per batch) delays neither an ACK nor the next
     * sync. A binding whose ACK was withheld is never told, so it knows only clients that were ACKed.
     */
    public void onDurable(Consumer<List<LeaseChange>> listener) {
        durableListener = java.util.Objects.requireNonNull(listener);
    }

    /** The synced batches to the listener, in order, off ioLock (one deliverer at a time keeps the order). */
    private void deliverDurable() {
        synchronized (deliverLock) {
            List<List<LeaseChange>> batches;
            synchronized (ioLock) {
                if (undelivered.isEmpty()) {
                    return;
                }
                batches = undelivered;
                undelivered = new ArrayList<>();
            }
            Consumer<List<LeaseChange>> told = durableListener;
            for (List<LeaseChange> b : batches) {
                try {
                    told.accept(b);
                } catch (RuntimeException e) {
                    LOG.warn("lease store {}: a listener failed on {} change(s): {}", log.path(), b.size(), e.toString());
                }
            }
        }
    }

    /** Why ACKs are withheld now (the log cannot be written), or empty while it works. */
    public Optional<String> problem() {
        return health.problem();
    }

    /** Called (on the thread that saw it, without locks the caller could need) when {@link #problem()} changes. */
    public void onHealthChange(Runnable listener) {
        health.onChange(listener);
    }

    /**
     * The ACKs of {@code acknowledged} have left (their records were durable first): from now on they are listed
     * while the server holds them. Called by the group committer after each batch it sent.
     */
    @Override
    public void replied(Collection<DhcpLease> acknowledged) {
        replied.addAll(acknowledged);
    }

    /** Whether {@code lease}'s binding is listed: its client was told (restored, imported, or ACKed once durable). */
    public boolean isReplied(DhcpLease lease) {
        return replied.contains(lease);
    }

    /**
     * The leases of {@code leases} whose clients were told of them, in order. Takes no lock: a sync stalled on
     * the disk does not hold it up, and a binding whose ACK that sync holds is not among them.
     */
    public List<DhcpLease> repliedOf(Collection<DhcpLease> leases) {
        return replied.listedOf(leases);
    }

    /** Runs {@code hook} in every later sync after its batch is written, holding the store's I/O lock (tests). */
    void afterEachWrite(Runnable hook) {
        afterWrite = java.util.Objects.requireNonNull(hook);
    }

    /** Appends {@code leases} as bound and makes them durable (libvirt import). */
    public void importLeases(List<DhcpLease> leases) {
        for (DhcpLease l : leases) {
            append(new LeaseChange(LeaseChange.Kind.BOUND, l));
        }
        sync();
        replied.addAll(leases); // libvirt's dnsmasq told these clients
    }

    /**
     * The log's housekeeping, which the group committer runs after a batch's ACKs have left, so that
     * none of them waits for it: while failing, a probe once the backoff allows; then compaction
     * ({@link LeaseCompactor#housekeep}; a failed rotation fails the store as a failed write does) and
     * preallocation ({@link LeaseLog#preallocate}).
     */
    @Override
    public void prepareAhead() {
        deliverDurable();
        synchronized (ioLock) {
            if (pending.isClosed()) {
                return;
            }
            if (health.failure() != null && !probe()) {
                return;
            }
            try {
                compaction.housekeep(live::count); // here, not in sync(): the batch just synced has its ACKs already
            } catch (IOException e) {
                health.failed(e); // syncs withhold ACKs until a retry reopens the log
            }
            log.preallocate();
        }
    }

    /**
     * Under ioLock, while failing: once the backoff allows, checks that the log can take records again
     * (room for a few of them, written and synced), so the store recovers without waiting for a client.
     * Returns whether it did.
     */
    private boolean probe() {
        if (!health.retryDue()) {
            return false;
        }
        try {
            log.reopenIfClosed();
            log.reserve(PROBE_BYTES);
        } catch (IOException e) {
            health.failed(e);
            return false;
        }
        health.recovered();
        return true;
    }

    /** The latest compaction started off the ACK path (a completed future when none was). */
    CompletableFuture<Void> lastCompaction() {
        return compaction.last();
    }

    /** Writes what is queued, lets a running compaction finish, compacts, closes the log. */
    @Override
    public void close() {
        compaction.shutdown();
        synchronized (ioLock) {
            if (pending.isClosed()) {
                return;
            }
            try {
                sync(List.of());
                if (compaction.hasWork()) {
                    compaction.compactNow(); // an empty log (nothing leased since open) leaves the files as they are: no fsyncs
                }
            } catch (IOException e) {
                // the logs stay as they are and replay at the next open
                throw new VnetException(ErrorCode.STATE_IO, "closing lease store " + log.path() + ": " + e.getMessage(), e);
            } finally {
                pending.close();
                log.close();
            }
        }
        deliverDurable();
    }
}
