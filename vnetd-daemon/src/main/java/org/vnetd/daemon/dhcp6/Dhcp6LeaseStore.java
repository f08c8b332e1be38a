package org.vnetd.daemon.dhcp6;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.dhcp.CommitLog;
import org.vnetd.daemon.dhcp.LeaseCompactor;
import org.vnetd.daemon.dhcp.LeaseLog;
import org.vnetd.daemon.dhcp.LeaseLogReplay;
import org.vnetd.daemon.state.AtomicFiles;
import org.vnetd.daemon.state.FileModes;
import org.vnetd.daemon.time.BootClock;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One network's DHCPv6 leases on disk, on DHCPv4's lease log: a snapshot ({@code NAME.dhcp6.json},
 * {@link Dhcp6LeaseFile}) plus a preallocated write-ahead log of JSON lines ({@code NAME.dhcp6.wal},
 * {@link LeaseLog}). The event loop {@link #append}s each change of a REPLY; the {@code GroupCommitter}'s
 * thread {@link #sync}s every change queued so far with one fdatasync and only then sends the replies:
 * every REPLY'd lease is durable before the client hears of it, and the disk is never waited for on the
 * event loop. Opening replays the snapshot, {@code NAME.dhcp6.wal.prev} (a compaction that did not
 * finish), then the log (the last record of a binding decides) and compacts. While serving, DHCPv4's
 * {@link LeaseCompactor} compacts without holding up replies: the housekeeping after a batch has left
 * rotates a long log and a compactor thread writes the snapshot while later records go to the new log
 * (a whole snapshot of 100k+ leases written on the sync thread held every REPLY for its duration, and
 * the burst of replies it released overflowed clients' receive buffers). A snapshot written by the
 * first DHCPv6 server (the whole-file store, no log) loads as it is.
 *
 * <p>Durable changes reach the {@link #onDurable listener} as one batch per sync, after the batch's
 * replies have left and off the store's locks (the DNS zone is rebuilt once per batch, and neither
 * the replies nor the next sync wait for it).
 *
 * <p>Only leases whose clients were told are {@link #leases listed}: restored from the files, or durable
 * and REPLY'd ({@link #replied}, once the REPLY has left). A binding whose REPLY was withheld (the write
 * failed) never is, and its change is dropped, not retried (the client was never told; its next request
 * binds anew). Two locks: the queue's ({@code pendingLock}), which appends take, and {@code ioLock} for the
 * files and the durable set. The listed leases are a concurrent map read without either: a listing never
 * waits for the disk.
 */
final class Dhcp6LeaseStore implements CommitLog<Dhcp6Lease>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6LeaseStore.class);
    /** Records in the log (and more than twice the live leases) that make the housekeeping compact it. */
    static final int COMPACT_AFTER = LeaseCompactor.COMPACT_AFTER;
    private static final Comparator<Dhcp6Lease> BY_ADDRESS = (a, b) -> Arrays.compareUnsigned(a.address().getAddress(),
            b.address().getAddress());

    private record Binding(Duid client, long iaid) {
        static Binding of(Dhcp6Lease l) {
            return new Binding(l.client(), l.iaid());
        }
    }

    private final Object pendingLock = new Object();
    private List<Dhcp6LeaseChange> pending = new ArrayList<>(); // pendingLock
    private boolean closed; // pendingLock
    private final Object ioLock = new Object();
    private final Map<Binding, Dhcp6Lease> durable = new LinkedHashMap<>(); // ioLock
    /** The leases clients were told of (restored, or durable and REPLY'd); read without a lock. */
    private final Map<Binding, Dhcp6Lease> told = new ConcurrentHashMap<>();
    /** Runs in each sync once its batch is written, still holding ioLock (tests: a sync that stalls there). */
    private volatile Runnable afterWrite = () -> { };
    private final LeaseLog log; // ioLock
    private final LeaseCompactor<Dhcp6Lease> compaction; // ioLock
    private final BootClock boot; // null: wall-clock expiries only
    /** Synced batches not yet handed to the listener (ioLock); delivered in order under deliverLock. */
    private List<List<Dhcp6LeaseChange>> undelivered = new ArrayList<>();
    private final Object deliverLock = new Object();
    private volatile Consumer<List<Dhcp6LeaseChange>> durableListener = c -> { };

    /** The live leases for the compactor: a copy (the compactor writes it while syncs go on), under ioLock. */
    private final class DurableLeases implements LeaseCompactor.LiveSet<Dhcp6Lease> {
        @Override
        public Collection<Dhcp6Lease> current() {
            return new ArrayList<>(durable.values());
        }

        @Override
        public void reapExpired(Instant now) {
            durable.values().removeIf(l -> l.isExpired(now));
            told.values().removeIf(l -> l.isExpired(now));
        }
    }

    private Dhcp6LeaseStore(Path dir, String name, ObjectMapper json, Clock clock) throws IOException {
        if (!Files.isDirectory(dir)) {
            FileModes.directory(dir, FileModes.PRIVATE_DIR);
        }
        // with the lease clock, expiries are kept in boot time too: a wall-clock step does not move them
        BootClock boot = clock instanceof BootClock b ? b : null;
        Dhcp6LeaseFile snapshot = new Dhcp6LeaseFile(dir.resolve(name + ".dhcp6.json"), json, boot);
        this.boot = boot;
        Path wal = dir.resolve(name + ".dhcp6.wal");
        Path walPrev = dir.resolve(name + ".dhcp6.wal.prev");
        boolean walExisted = Files.exists(wal);
        for (Dhcp6Lease l : snapshot.read()) {
            durable.put(Binding.of(l), l);
        }
        // a compaction that did not finish: its records, then the newer ones
        LeaseLogReplay prev = LeaseLogReplay.of(walPrev, line -> apply(json.readValue(line, Dhcp6LeaseRecord.class), boot));
        if (!prev.used()) {
            Files.deleteIfExists(walPrev); // nothing in it: a rotation must be free to take the name
        }
        LeaseLogReplay replayed = LeaseLogReplay.of(wal, line -> apply(json.readValue(line, Dhcp6LeaseRecord.class), boot));
        this.log = LeaseLog.open(wal, () -> json.writerFor(Dhcp6LeaseRecord.class).withRootValueSeparator("\n"));
        this.compaction = new LeaseCompactor<>(ioLock, log, snapshot, walPrev, new DurableLeases(), clock);
        if (replayed.used() || prev.used()) {
            try {
                compaction.compactNow();
            } catch (IOException e) {
                // no room for a snapshot: go on appending to the replayed log, compact later
                log.appendAfter(replayed);
                compaction.deferFromOpen(prev.used());
                LOG.warn("DHCPv6 lease store {}: cannot compact at open ({}); appending to the replayed log", wal, e.getMessage());
            }
        } else if (walExisted) {
            log.appendFromStart();
        } else {
            AtomicFiles.syncDirectory(dir); // the new log's entry durable before a record is synced into it
        }
        told.putAll(durable); // what the files hold, clients were told before
    }

    /** Opens (creating if needed) {@code dir/NAME.dhcp6.json} + {@code dir/NAME.dhcp6.wal}. */
    static Dhcp6LeaseStore open(Path dir, String name, ObjectMapper json, Clock clock) {
        try {
            return new Dhcp6LeaseStore(dir, name, json, clock);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot open the DHCPv6 lease store " + dir.resolve(name) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Told each synced batch of changes, in order, on the syncing thread after the batch's replies have
     * left ({@link #prepareAhead}) or at the end of a {@link #sync()}, holding none of the store's locks.
     */
    void onDurable(Consumer<List<Dhcp6LeaseChange>> listener) {
        durableListener = Objects.requireNonNull(listener);
    }

    /** The leases the files hold, expired ones included (the server skips them). */
    List<Dhcp6Lease> load() {
        synchronized (ioLock) {
            return List.copyOf(durable.values());
        }
    }

    /**
     * The leases clients were told of, not expired at {@code now}, by address. Takes no lock: a sync stalled on
     * the disk does not hold it up, and a binding whose REPLY that sync holds is not among them.
     */
    List<Dhcp6Lease> leases(Instant now) {
        List<Dhcp6Lease> out = new ArrayList<>();
        for (Dhcp6Lease l : told.values()) {
            if (!l.isExpired(now)) {
                out.add(l);
            }
        }
        out.sort(BY_ADDRESS);
        return out;
    }

    /** The REPLYs for {@code acknowledged} have left (their records were durable first): listed from now on. */
    @Override
    public void replied(Collection<Dhcp6Lease> acknowledged) {
        for (Dhcp6Lease l : acknowledged) {
            told.put(Binding.of(l), l);
        }
    }

    /** Runs {@code hook} in every later sync after its batch is written, holding the store's I/O lock (tests). */
    void afterEachWrite(Runnable hook) {
        afterWrite = Objects.requireNonNull(hook);
    }

    /** Queues a change; it is durable once a later {@link #sync} returns. */
    void append(Dhcp6LeaseChange c) {
        synchronized (pendingLock) {
            if (closed) {
                throw new VnetException(ErrorCode.STATE_IO, "the DHCPv6 lease store " + log.path() + " is closed");
            }
            pending.add(c);
        }
    }

    @Override
    public void sync(Collection<Dhcp6Lease> acknowledged) {
        synchronized (ioLock) {
            List<Dhcp6LeaseChange> batch;
            synchronized (pendingLock) {
                batch = pending;
                pending = new ArrayList<>();
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                log.write(batch, c -> Dhcp6LeaseRecord.of(c, boot));
            } catch (IOException e) {
                putBack(batch, acknowledged);
                throw new VnetException(ErrorCode.STATE_IO, "cannot write the DHCPv6 lease log " + log.path() + ": "
                        + e.getMessage(), e);
            }
            afterWrite.run();
            for (Dhcp6LeaseChange c : batch) {
                applyDurable(c);
                if (c.removes()) {
                    told.computeIfPresent(Binding.of(c.lease()), (b, cur) -> cur.address().equals(c.lease().address()) ? null : cur);
                }
            }
            undelivered.add(batch);
        }
    }

    /** Everything queued, written now and handed to the listener (tests, close). */
    void sync() {
        sync(List.of());
        deliverDurable();
    }

    /** The synced batches to the listener, in order, off ioLock (one deliverer at a time keeps the order). */
    private void deliverDurable() {
        synchronized (deliverLock) {
            List<List<Dhcp6LeaseChange>> batches;
            synchronized (ioLock) {
                if (undelivered.isEmpty()) {
                    return;
                }
                batches = undelivered;
                undelivered = new ArrayList<>();
            }
            Consumer<List<Dhcp6LeaseChange>> told = durableListener;
            for (List<Dhcp6LeaseChange> b : batches) {
                try {
                    told.accept(b);
                } catch (RuntimeException e) {
                    LOG.warn("DHCPv6 lease store {}: a listener failed on {} change(s): {}", log.path(), b.size(), e.toString());
                }
            }
        }
    }

    /** A batch that failed goes back to the queue's head, except the bindings of withheld replies. */
    private void putBack(List<Dhcp6LeaseChange> batch, Collection<Dhcp6Lease> acknowledged) {
        Set<Dhcp6Lease> withheld = Collections.newSetFromMap(new IdentityHashMap<>());
        withheld.addAll(acknowledged);
        List<Dhcp6LeaseChange> kept = new ArrayList<>();
        for (Dhcp6LeaseChange c : batch) {
            if (c.removes() || !withheld.contains(c.lease())) {
                kept.add(c);
            }
        }
        synchronized (pendingLock) {
            kept.addAll(pending);
            pending = kept;
        }
    }

    /**
     * After a batch's replies have left: its changes to the listener, then the log's housekeeping
     * (rotation for a compaction off this thread, {@link LeaseCompactor#housekeep}; preallocation).
     * A rotation that failed half-way left the log closed: it is reopened first.
     */
    @Override
    public void prepareAhead() {
        deliverDurable();
        synchronized (ioLock) {
            synchronized (pendingLock) {
                if (closed) {
                    return;
                }
            }
            try {
                log.reopenIfClosed();
                compaction.housekeep(durable::size);
            } catch (IOException e) {
                LOG.warn("DHCPv6 lease store {}: compaction failed, the log goes on: {}", log.path(), e.toString());
            }
            log.preallocate();
        }
    }

    private void apply(Dhcp6LeaseRecord r, BootClock clock) {
        Dhcp6Lease l = r.toLease(clock);
        applyDurable(new Dhcp6LeaseChange(r.removes(), l));
    }

    private void applyDurable(Dhcp6LeaseChange c) {
        Binding b = Binding.of(c.lease());
        if (!c.removes()) {
            durable.put(b, c.lease());
        } else {
            Dhcp6Lease cur = durable.get(b);
            if (cur != null && cur.address().equals(c.lease().address())) {
                durable.remove(b);
            }
        }
    }

    /** The latest compaction started off the sync thread (a completed future when none was). */
    java.util.concurrent.CompletableFuture<Void> lastCompaction() {
        return compaction.last();
    }

    /** Writes what is queued, lets a running compaction finish, compacts when there is anything to, closes. */
    @Override
    public void close() {
        compaction.shutdown();
        synchronized (ioLock) {
            synchronized (pendingLock) {
                if (closed) {
                    return;
                }
            }
            try {
                sync(List.of());
                if (compaction.hasWork()) {
                    compaction.compactNow();
                }
            } catch (IOException e) {
                throw new VnetException(ErrorCode.STATE_IO, "closing the DHCPv6 lease store " + log.path() + ": " + e.getMessage(), e);
            } finally {
                synchronized (pendingLock) {
                    closed = true;
                }
                log.close();
            }
        }
        deliverDurable();
    }
}
