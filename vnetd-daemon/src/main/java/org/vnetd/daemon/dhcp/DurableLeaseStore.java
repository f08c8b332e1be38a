package org.vnetd.daemon.dhcp;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.dhcp.LeaseStore;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.state.FileModes;

/**
 * Leases on disk: a snapshot ({@code NAME.leases}, JSON array) plus a write-ahead log
 * ({@code NAME.wal}, one JSON record per line). Appends are queued in memory; {@link #sync()} writes
 * all queued records and fdatasyncs once: group commit, so a burst of ACKs costs one sync.
 *
 * <p>When the log grows past a threshold it is compacted without holding up ACKs: the housekeeping
 * after the sync that crosses it ({@link #prepareAhead()}, once that batch's ACKs have left) only
 * rotates the log ({@code NAME.wal} renamed to {@code NAME.wal.prev}, a new {@code NAME.wal} created
 * and its directory entry synced); a compactor thread then reads the live leases (a followed
 * server's live view, or a copy of the store's own map), writes them (expired ones reaped) to a
 * temp file, syncs it, renames it over the snapshot and deletes {@code NAME.wal.prev}, while later
 * records go to the new log. Loading replays
 * the snapshot, {@code NAME.wal.prev} (a compaction that did not finish), then {@code NAME.wal}:
 * replaying records the snapshot already holds changes nothing (the last record of an address
 * decides), so a crash at any point leaves files that replay to the same state.
 *
 * <p>The log is preallocated: {@link #prepareAhead()} writes zeros (durably) ahead of the last record,
 * so a record's fdatasync overwrites allocated, already-written blocks and needs no journal commit for
 * a size change (the ACK latency's floor). Replay therefore ends at the zero tail: a record never
 * contains a NUL (JSON escapes control characters), so a line with a NUL is a torn write, and the run
 * of zeros after the last newline is free space, not an incomplete record.
 *
 * <p>A full disk never stops the store from opening (replay only reads; when the compaction at open
 * cannot write its snapshot, records are appended to the replayed log and the compaction is tried
 * later) and never fails it for good: a sync that cannot write withholds its batch's ACKs, drops the
 * bindings those ACKs were for, puts the rest of the batch back, and later syncs try again after a
 * bounded backoff ({@link RetryBackoff}). Only bindings whose records are durable
 * count as leases ({@link #isDurable}). The files are created 0600 whatever the umask.
 */
public final class DurableLeaseStore implements LeaseStore {
    private static final Logger LOG = LoggerFactory.getLogger(DurableLeaseStore.class);
    static final int COMPACT_AFTER = 20_000;
    /**
     * Zeros written ahead at a time, at most: ~2500 records of ~104 bytes, a few extensions a second at
     * full load. Each extension (a write and a size-changing fsync) holds up the next sync, and a much
     * larger one held the ACKs long enough to overflow a client's receive buffer when they left together
     * (bench/dhcp/README.md, "Figures behind the code").
     */
    static final int PREALLOCATE = 256 << 10;
    /**
     * The first extension of an empty log: a network that leases a few addresses (most of them) writes
     * no more zeros than this, and a network start does no large write. Each extension then doubles the
     * log, up to {@link #PREALLOCATE} at a time.
     */
    static final int FIRST_EXTENT = 64 << 10;
    /** The snapshot is fdatasynced every this many bytes while it is written (see writeSnapshot). */
    static final int SNAPSHOT_SYNC_EVERY = 1 << 20;
    private static final byte[] SNAPSHOT_OPEN = "[\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT_CLOSE = "]\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT_CLOSE_AFTER_RECORDS = "\n]\n".getBytes(StandardCharsets.US_ASCII);
    /** Lease files hold clients' identities and host names: owner only, as libvirt's are. */
    static final Set<PosixFilePermission> FILE_MODE = FileModes.PRIVATE_FILE;
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTR = FileModes.privateFile();
    /** At most one line per this for an error that repeats (a full disk fails every sync). */
    static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final LeaseRecordJson json;
    /**
     * Records as JSON lines, one generator per batch (not one per record); with the batch's bytes,
     * reused from sync to sync. Both are made at the first write: they cost ~80 KiB per network, and
     * made at open (or beside it on the sync thread) they slowed network starts (bench/dhcp/README.md). The
     * serializer itself is the shared {@link LeaseRecordJson}'s, built once per daemon. (ioLock)
     */
    private ObjectWriter lines;
    private BatchBuffer batchBytes;
    private final Path snapshot;
    private final Path wal;
    private final Path walPrev;
    private final Clock clock;
    // by address (DhcpLease.ip()), guarded by ioLock: what the files replay to, kept up to date until
    // the server that loaded it takes over (follow): then the server's own leases are the live set
    private Map<Integer, DhcpLease> live = new HashMap<>();
    private IntSupplier followedCount; // ioLock
    private Supplier<? extends Collection<DhcpLease>> followedLeases; // ioLock
    // pending, failure, closing: the event loop appends under it, so the sync thread takes it once
    // per sync (to swap the batch), never per record
    private final Object lock = new Object();
    private final Object ioLock = new Object(); // the files and live: one writer at a time, appends never wait for it
    private List<LeaseChange> pending = new ArrayList<>();
    private FileChannel log; // replaced at each rotation (ioLock)
    private long walRecords;
    private long writePos; // end of the last record: the next one goes here (guarded by ioLock)
    private long allocated; // bytes of the log known written (records or zeros), >= writePos (ioLock)
    private boolean closing;
    /** Why the last write failed; null while the log is writable (guarded by lock). */
    private IOException failure;
    private final RetryBackoff writeRetry = new RetryBackoff(System::nanoTime); // ioLock
    private final DurableBindings durable = new DurableBindings(); // ioLock
    private volatile Runnable healthListener = () -> { };
    private final RateLimitedLog writeErrors = new RateLimitedLog(LOG, Level.ERROR, LOG_INTERVAL_NANOS);
    private final RateLimitedLog preallocateErrors = new RateLimitedLog(LOG, Level.WARN, LOG_INTERVAL_NANOS);
    private final RateLimitedLog compactErrors = new RateLimitedLog(LOG, Level.WARN, LOG_INTERVAL_NANOS);
    /** A compaction is between rotation and the deletion of {@code walPrev} (guarded by ioLock). */
    private boolean compacting;
    /** The compactor is writing the snapshot of the compaction under way (ioLock). */
    private boolean snapshotRunning;
    private final RetryBackoff snapshotRetry = new RetryBackoff(System::nanoTime); // ioLock
    /** The compaction at open could not write (a full disk): the replayed logs wait for a later one (ioLock). */
    private boolean compactLater;
    /** Writes snapshots off the ACK path; created at the first compaction. */
    private ExecutorService compactor;
    /** The latest background compaction: done once its snapshot is written and the rotated log gone, or failed. */
    private volatile CompletableFuture<Void> lastCompaction = CompletableFuture.completedFuture(null);

    private DurableLeaseStore(Path dir, String name, Clock clock, LeaseRecordJson json) throws IOException {
        this.json = json;
        this.snapshot = dir.resolve(name + ".leases");
        this.wal = dir.resolve(name + ".wal");
        this.walPrev = dir.resolve(name + ".wal.prev");
        this.clock = clock;
        if (!Files.isDirectory(dir)) {
            FileModes.directory(dir, FileModes.PRIVATE_DIR);
        }
        boolean walExisted = Files.exists(wal);
        readSnapshot();
        Replay prev = replayLog(walPrev); // a compaction that did not finish: its records, then the newer ones
        if (!prev.used()) {
            Files.deleteIfExists(walPrev); // nothing in it (or only zeros): a rotation must be free to take the name
        }
        Replay cur = replayLog(wal);
        boolean walUsed = cur.used() || prev.used();
        this.log = openLog(StandardOpenOption.CREATE);
        if (walUsed) {
            try {
                compact(); // replayed records (or a torn tail): start from a clean snapshot and an empty log
            } catch (IOException e) {
                // no space for a snapshot: serve from the logs as they are, compact once there is room
                appendAfter(cur, prev.used());
                LOG.warn("lease store {}: cannot compact at open ({}); appending to the replayed log, compacting later", wal, e.toString());
            }
        } else if (walExisted) {
            allocated = log.size(); // only preallocated zeros (or nothing): append from the start
        } else {
            // the new log's directory entry must be durable before the first record synced into it;
            // an empty existing log (the state a clean stop leaves) needs no write at all, which
            // keeps a network start free of the three fsyncs a compaction costs
            syncDirectory(dir);
        }
        Instant now = clock.instant();
        live.values().removeIf(l -> l.isExpired(now)); // as a compaction would; the file catches up at the next one
        live.values().forEach(durable::add);
    }

    /** The log, created owner-only; an existing one made under an older umask is made so too. */
    private FileChannel openLog(StandardOpenOption create) throws IOException {
        FileChannel ch = FileChannel.open(wal, Set.of(create, StandardOpenOption.WRITE), FILE_ATTR);
        Files.setPosixFilePermissions(wal, FILE_MODE);
        return ch;
    }

    /**
     * At open, when the logs cannot be compacted: the next record goes right after the last whole one
     * of {@code NAME.wal}, and a torn tail is zeroed first (its blocks are allocated: no space needed),
     * so that no part of it is read back after a later record.
     */
    private void appendAfter(Replay cur, boolean prevKept) throws IOException {
        if (cur.dataEnd() > cur.goodEnd()) {
            writeFully(ByteBuffer.allocate(cur.dataEnd() - cur.goodEnd()), cur.goodEnd());
            log.force(false);
        }
        writePos = cur.goodEnd();
        allocated = log.size();
        walRecords = cur.records();
        compactLater = true;
        compacting = false;
        if (prevKept) {
            LOG.info("lease store {}: {} is kept until the compaction", wal, walPrev.getFileName());
        }
        snapshotRetry.failed();
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
            return List.copyOf(liveLeases());
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
            followedCount = count;
            followedLeases = leases;
            live = null;
        }
    }

    /** Under ioLock: the live leases (expired ones not yet reaped included), a view or a copy. */
    private Collection<DhcpLease> liveLeases() {
        return followedLeases != null ? followedLeases.get() : new ArrayList<>(live.values());
    }

    @Override
    public void append(LeaseChange change) {
        synchronized (lock) {
            if (closing) {
                throw new VnetException(ErrorCode.STATE_IO, "lease store " + wal + " is closed");
            }
            pending.add(change);
        }
    }

    /**
     * Writes every queued change and fdatasyncs once, on the caller's thread. Appends go on while the
     * disk works (only {@code ioLock} is held then); callers batch, so one sync covers many ACKs.
     */
    @Override
    public void sync() {
        sync(List.of());
    }

    /**
     * As {@link #sync()}; when the write fails, the batch goes back to the head of the queue, except
     * the bindings of {@code acknowledged} (the ACKs being withheld): those clients were never told,
     * their next request binds anew. Every other change of the batch, an ACK queued later may cover.
     */
    @Override
    public void sync(Collection<DhcpLease> acknowledged) {
        synchronized (ioLock) {
            List<LeaseChange> batch;
            IOException failed;
            synchronized (lock) {
                if (pending.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = new ArrayList<>();
                failed = failure;
            }
            if (failed != null && !writeRetry.due()) {
                withhold(batch, acknowledged);
                throw new VnetException(ErrorCode.STATE_IO, "lease log " + wal + " cannot be written (" + failed.getMessage()
                        + "); next try in " + writeRetry.remaining() / 1_000_000 + " ms", failed);
            }
            try {
                if (failed != null) {
                    reopen();
                }
                write(batch);
            } catch (IOException e) {
                withhold(batch, acknowledged);
                failed(e);
                throw new VnetException(ErrorCode.STATE_IO, "cannot write lease log " + wal + ": " + e.getMessage(), e);
            }
            if (failed != null) {
                recovered();
            }
        }
    }

    /** Under ioLock: a batch that could not be written goes back to the head of the queue (see sync). */
    private void withhold(List<LeaseChange> batch, Collection<DhcpLease> acknowledged) {
        Set<DhcpLease> withheld = Collections.newSetFromMap(new IdentityHashMap<>());
        withheld.addAll(acknowledged);
        List<LeaseChange> kept = new ArrayList<>(batch.size());
        for (LeaseChange c : batch) {
            if (c.removes() || !withheld.contains(c.lease())) {
                kept.add(c);
            }
        }
        if (!kept.isEmpty()) {
            synchronized (lock) {
                kept.addAll(pending);
                pending = kept;
            }
        }
    }

    /** Under ioLock: the log cannot be written; later syncs withhold their ACKs until it can. */
    private void failed(IOException e) {
        boolean first;
        synchronized (lock) {
            first = failure == null;
            failure = e;
        }
        long delay = writeRetry.failed();
        writeErrors.log("lease log {} cannot be written: {}; ACKs are withheld, next try in {} ms", wal, e.toString(), delay / 1_000_000);
        if (first) {
            healthListener.run();
        }
    }

    /** Under ioLock: a write (or a probe) went through after failures. */
    private void recovered() {
        synchronized (lock) {
            failure = null;
        }
        writeRetry.succeeded();
        writeErrors.reset();
        LOG.info("lease log {} is writable again; ACKs are sent again", wal);
        healthListener.run();
    }

    /**
     * Under ioLock, before a retry: a failed rotation may have closed the log. The state fields were
     * reset only once the rename was done, so reopening {@code NAME.wal} (the old log, or a new empty
     * one after the rename) appends at the right place either way.
     */
    private void reopen() throws IOException {
        if (!log.isOpen()) {
            log = openLog(StandardOpenOption.CREATE);
            syncDirectory(wal.getParent());
        }
    }

    /** Why ACKs are withheld now (the log cannot be written), or empty while it works. */
    public Optional<String> problem() {
        IOException f;
        synchronized (lock) {
            f = failure;
        }
        return f == null ? Optional.empty()
                : Optional.of("lease log " + wal + " cannot be written (" + f.getMessage() + "); DHCP ACKs are withheld until it can");
    }

    /** Called (on the thread that saw it, without locks the caller could need) when {@link #problem()} changes. */
    public void onHealthChange(Runnable listener) {
        healthListener = listener;
    }

    /** Whether {@code lease}'s binding is in the files: a client was (or may be) acknowledged for it. */
    public boolean isDurable(DhcpLease lease) {
        synchronized (ioLock) {
            return durable.contains(lease);
        }
    }

    /** The leases of {@code leases} whose bindings are in the files, in order (the lock is taken once). */
    public List<DhcpLease> durableOnly(List<DhcpLease> leases) {
        List<DhcpLease> out = new ArrayList<>(leases.size());
        synchronized (ioLock) {
            for (DhcpLease l : leases) {
                if (durable.contains(l)) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    private int liveCount() {
        return followedCount != null ? followedCount.getAsInt() : live.size(); // under ioLock
    }

    /** Appends {@code leases} as bound and makes them durable (libvirt import). */
    public void importLeases(List<DhcpLease> leases) {
        for (DhcpLease l : leases) {
            append(new LeaseChange(LeaseChange.Kind.BOUND, l));
        }
        sync();
    }

    private void write(List<LeaseChange> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        ObjectWriter writer = recordWriter();
        batchBytes.reset();
        try (SequenceWriter w = writer.writeValues(batchBytes)) {
            for (LeaseChange c : batch) {
                w.write(LeaseRecord.of(c));
            }
        }
        batchBytes.write('\n'); // the separator goes between records: the last one needs its newline too
        ByteBuffer buf = batchBytes.view();
        int n = buf.remaining();
        try {
            writeFully(buf, writePos);
            log.force(false); // fdatasync: inside the preallocated zeros this flushes data blocks only
        } catch (IOException e) {
            erase(writePos, n);
            throw e;
        }
        writePos += n;
        allocated = Math.max(allocated, writePos);
        walRecords += batch.size();
        for (LeaseChange c : batch) {
            applyDurable(c);
        }
    }

    /**
     * After a failed write: the part of the batch that reached the file must not be read back (its ACKs
     * are withheld; a shorter batch written over it later would leave whole records of it behind).
     * Blocks past the preallocated zeros are cut off, those within them zeroed again; neither needs
     * free space. Best effort: if this fails too, a crash may replay records never acknowledged.
     */
    private void erase(long from, int length) {
        try {
            if (log.size() > Math.max(allocated, from)) {
                log.truncate(Math.max(allocated, from));
            }
            long to = Math.min(from + length, allocated);
            if (to > from) {
                writeFully(ByteBuffer.allocate((int) (to - from)), from);
            }
        } catch (IOException e) {
            LOG.warn("lease log {}: cannot erase a failed write at {}: {}", wal, from, e.toString());
        }
    }

    private void writeFully(ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            pos += log.write(buf, pos);
        }
    }

    /**
     * The log's housekeeping, which the group committer runs after a batch's ACKs have left, so that
     * none of them waits for it. First, once the log holds more than twice as many records as there are
     * leases (and at least {@link #COMPACT_AFTER}), it is rotated and a snapshot started: the rotation
     * (a rename, a new file, a directory sync) takes milliseconds on the sync thread (bench/dhcp/README.md). Then
     * enough durable zeros must follow the last record (half the next extension), more are written
     * when not: {@link #FIRST_EXTENT}, then doubling up to {@link #PREALLOCATE}; the extension's own
     * fdatasync is a size change, the slow kind. A failed extension is not fatal: records then extend
     * the file as they would without preallocation.
     */
    @Override
    public void prepareAhead() {
        synchronized (ioLock) {
            boolean failing;
            synchronized (lock) {
                if (closing) {
                    return;
                }
                failing = failure != null;
            }
            if (failing && !probe()) {
                return;
            }
            if (compactLater && snapshotRetry.due()) {
                compactDeferred();
            }
            if (compacting && !snapshotRunning && snapshotRetry.due() && (compactor == null || !compactor.isShutdown())) {
                startSnapshot(liveLeases()); // a snapshot that failed, again
            }
            if (!compacting && !compactLater && walRecords > COMPACT_AFTER && walRecords > 2L * liveCount()) {
                rotateForCompaction(); // here, not in sync(): the batch just synced has its ACKs already
            }
            preallocate();
        }
    }

    /**
     * Under ioLock, while failing: once the backoff allows, checks that the log can take records again
     * (room for a few of them, written and synced), so the store recovers without waiting for a client.
     * Returns whether it did.
     */
    private boolean probe() {
        if (!writeRetry.due()) {
            return false;
        }
        try {
            reopen();
            long need = writePos + 4096;
            if (allocated < need) {
                writeFully(ByteBuffer.allocate((int) (need - allocated)), allocated);
                log.force(false);
                allocated = need;
            }
        } catch (IOException e) {
            failed(e);
            return false;
        }
        recovered();
        return true;
    }

    /** Under ioLock: the compaction that open could not do, once there is room for its snapshot. */
    private void compactDeferred() {
        try {
            compact();
            compactLater = false;
            snapshotRetry.succeeded();
            compactErrors.reset();
            LOG.info("lease store {}: compacted (deferred since open)", wal);
        } catch (IOException e) {
            long delay = snapshotRetry.failed();
            compactErrors.log("lease store {}: cannot compact yet ({}); next try in {} ms", wal, e.toString(), delay / 1_000_000);
        }
    }

    /**
     * Under ioLock. A failed rotation fails the store as a failed write does: syncs withhold ACKs until
     * a retry reopens the log ({@link #reopen}).
     */
    private void rotateForCompaction() {
        try {
            startCompaction();
        } catch (IOException e) {
            failed(e);
        }
    }

    /** Under ioLock. */
    private void preallocate() {
        long extent = Math.min(PREALLOCATE, Math.max(FIRST_EXTENT, allocated));
        if (allocated - writePos >= extent / 2) {
            return;
        }
        try {
            long from = allocated;
            // 64 KiB at a time from one direct buffer: no heap array of the extent's size, nor
            // the JDK's per-thread direct copy of it, per extension
            ByteBuffer zeros = ByteBuffer.allocateDirect(64 << 10);
            for (long at = from; at < from + extent; at += zeros.capacity()) {
                writeFully(zeros.clear(), at);
            }
            log.force(false);
            allocated = from + extent;
        } catch (IOException e) {
            // records then extend the file themselves, and fail only if there is no room for them
            preallocateErrors.log("lease log {}: cannot preallocate {} bytes: {}", wal, extent, e.toString());
            return;
        }
        preallocateErrors.reset();
    }

    /** Under ioLock. */
    private ObjectWriter recordWriter() {
        if (lines == null) {
            lines = json.lineWriter();
            batchBytes = new BatchBuffer();
        }
        return lines;
    }

    /** Under ioLock: {@code c}'s record is durable. */
    private void applyDurable(LeaseChange c) {
        if (c.removes()) {
            durable.remove(c.lease());
        } else {
            durable.add(c.lease());
        }
        if (live != null) {
            apply(LeaseRecord.of(c), c.lease());
        }
    }

    /** Under ioLock (or in the constructor). */
    private void apply(LeaseRecord r, DhcpLease lease) {
        if (live == null) {
            return; // followed: the server has applied it already
        }
        if (LeaseRecord.BIND.equals(r.op())) {
            live.put(lease.ip(), lease);
        } else {
            DhcpLease cur = live.get(lease.ip());
            if (cur != null && cur.clientId().equals(lease.clientId())) {
                live.remove(lease.ip());
            }
        }
    }

    private void readSnapshot() throws IOException {
        if (!Files.exists(snapshot)) {
            return;
        }
        List<LeaseRecord> records;
        try {
            records = json.readSnapshot(snapshot.toFile());
        } catch (IOException e) {
            // never silently start empty over a file we cannot read: the operator must look
            throw new IOException("lease snapshot " + snapshot + " is unreadable: " + e.getMessage(), e);
        }
        for (LeaseRecord r : records) {
            try {
                DhcpLease l = r.toLease();
                live.put(l.ip(), l);
            } catch (RuntimeException e) {
                LOG.warn("lease snapshot {}: skipping bad record {}: {}", snapshot, r, e.getMessage());
            }
        }
    }

    /**
     * What replaying one log found: whether it held anything but preallocated zeros, where the last
     * whole record ends and where the data (a torn record included) ends, and how many records it had.
     */
    private record Replay(boolean used, int goodEnd, int dataEnd, long records) {
        static final Replay NONE = new Replay(false, 0, 0, 0);
    }

    /**
     * Replays the log (read only: a full disk does not stop it). A torn last record
     * (crash mid-write, never acknowledged: its fdatasync had not returned) is cut off, whether it
     * ends the file or runs into the zero tail; a line holding a NUL is such a tear (a sector of it
     * never reached the disk) and is skipped.
     */
    private Replay replayLog(Path wal) throws IOException {
        if (!Files.exists(wal)) {
            return Replay.NONE;
        }
        byte[] all = Files.readAllBytes(wal);
        int end = all.length;
        while (end > 0 && all[end - 1] == 0) {
            end--; // preallocated space
        }
        int start = 0;
        int lineNo = 0;
        long records = 0;
        for (int i = 0; i < end; i++) {
            if (all[i] != '\n') {
                continue;
            }
            lineNo++;
            int from = start;
            start = i + 1;
            if (indexOfNul(all, from, i) >= 0) {
                LOG.warn("lease log {} line {}: skipping a torn record (zeros inside)", wal, lineNo);
                continue;
            }
            String line = new String(all, from, i - from, StandardCharsets.UTF_8);
            if (line.isBlank()) {
                continue;
            }
            try {
                LeaseRecord r = json.read(line);
                apply(r, r.toLease());
                records++;
            } catch (IOException | RuntimeException e) {
                LOG.warn("lease log {} line {}: skipping unreadable record: {}", wal, lineNo, e.getMessage());
            }
        }
        if (start < end) {
            LOG.warn("lease log {}: dropping {} bytes of an incomplete last record", wal, end - start);
        }
        return new Replay(end > 0, start, end, records);
    }

    private static int indexOfNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Rotates the log and hands the live leases to the compactor (under ioLock, on the sync thread: a
     * rename, a new log and one directory sync; the snapshot itself is written while later ACKs go on,
     * from a followed server's live view or else from a copy of the store's own map).
     */
    private void startCompaction() throws IOException {
        synchronized (lock) {
            if (closing) {
                return;
            }
        }
        if (compactor != null && compactor.isShutdown()) {
            return; // closing: close() compacts once its compactor is done
        }
        log.close();
        Files.move(wal, walPrev, StandardCopyOption.ATOMIC_MOVE);
        // from here the old log is walPrev: a failure below leaves a log to reopen empty (see reopen)
        walRecords = 0;
        writePos = 0;
        allocated = 0;
        compacting = true;
        log = openLog(StandardOpenOption.CREATE_NEW);
        // the new log's entry (and the rename) durable before any record synced into it is acknowledged
        syncDirectory(wal.getParent());
        // read after the rotation: every change the view may miss is in the new log
        startSnapshot(liveLeases());
    }

    /** Under ioLock. */
    private ExecutorService compactor() {
        if (compactor == null) {
            compactor = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("dhcp-compact-" + wal.getFileName()).factory());
        }
        return compactor;
    }

    /** Under ioLock: the snapshot of {@code leases} written on the compactor; {@link #lastCompaction} follows it. */
    private void startSnapshot(Collection<DhcpLease> leases) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lastCompaction = done;
        snapshotRunning = true;
        compactor().execute(() -> finishCompaction(leases, done));
    }

    /** The latest compaction started off the ACK path (a completed future when none was). */
    CompletableFuture<Void> lastCompaction() {
        return lastCompaction;
    }

    /**
     * On the compactor: the snapshot from {@code leases}, then the rotated log goes. A snapshot that
     * cannot be written (a full disk) fails nothing: walPrev stays (its records are in no snapshot), no
     * later compaction may rotate over it, and housekeeping tries again after a backoff with the live
     * leases of then (the new log holds every change since the rotation, so that view does as well).
     */
    private void finishCompaction(Collection<DhcpLease> leases, CompletableFuture<Void> done) {
        try {
            writeSnapshot(leases);
            Files.deleteIfExists(walPrev); // replaying it again would change nothing: no sync needed
            synchronized (ioLock) {
                compacting = false;
                snapshotRunning = false;
                snapshotRetry.succeeded();
                compactErrors.reset();
            }
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            synchronized (ioLock) {
                snapshotRunning = false;
                long delay = snapshotRetry.failed();
                compactErrors.log("lease snapshot {} cannot be written: {}; the logs are kept, next try in {} ms", snapshot,
                        e.toString(), delay / 1_000_000);
            }
            done.completeExceptionally(e);
        }
    }

    /**
     * Live leases (expired ones dropped) via temp + fsync + rename + directory sync. Streamed to the
     * file (no copy of the whole snapshot in memory) and synced every {@link #SNAPSHOT_SYNC_EVERY}
     * bytes: the lease log's fdatasyncs share the disk with this write, and one sync of a whole
     * snapshot (tens of MB with 100k+ leases) would put all of it in the disk's queue ahead of them.
     */
    private void writeSnapshot(Collection<DhcpLease> leases) throws IOException {
        Instant now = clock.instant();
        Path tmp = snapshot.resolveSibling(snapshot.getFileName() + ".tmp");
        try {
            writeSnapshotFile(tmp, leases, now);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp); // a partial snapshot holds space a full disk needs back
            throw e;
        }
        try {
            Files.move(tmp, snapshot, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + snapshot + " atomically", e);
        }
        syncDirectory(snapshot.getParent());
    }

    private void writeSnapshotFile(Path tmp, Collection<DhcpLease> leases, Instant now) throws IOException {
        Files.deleteIfExists(tmp); // created anew: owner-only from the start
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_ATTR)) {
            // one lease per line: still a JSON array, but readable and diffable by an operator
            OutputStream out = new BufferedOutputStream(new SyncingOutput(ch, SNAPSHOT_SYNC_EVERY), 64 << 10);
            out.write(SNAPSHOT_OPEN);
            boolean any = false;
            try (SequenceWriter w = json.snapshotWriter().writeValues(out)) {
                for (DhcpLease l : leases) {
                    if (!l.isExpired(now)) {
                        w.write(LeaseRecord.bind(l));
                        any = true;
                    }
                }
            }
            out.write(any ? SNAPSHOT_CLOSE_AFTER_RECORDS : SNAPSHOT_CLOSE);
            out.flush();
            ch.force(true);
        }
    }

    /** Writes through to a file channel and fdatasyncs it after every {@code syncEvery} bytes. */
    private static final class SyncingOutput extends OutputStream {
        private final FileChannel ch;
        private final long syncEvery;
        private long unsynced;

        SyncingOutput(FileChannel ch, long syncEvery) {
            this.ch = ch;
            this.syncEvery = syncEvery;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            unsynced += len;
            if (unsynced >= syncEvery) {
                ch.force(false);
                unsynced = 0;
            }
        }
    }

    /**
     * The whole compaction on the caller's thread, with nothing appended meanwhile (at open and close,
     * under ioLock, no compactor running): snapshot of live leases, then an empty log.
     */
    private void compact() throws IOException {
        if (live != null) {
            Instant now = clock.instant();
            live.values().removeIf(l -> l.isExpired(now)); // under ioLock (or in the constructor)
        }
        writeSnapshot(liveLeases()); // without expired ones

        Files.deleteIfExists(walPrev);
        compacting = false;
        // truncate, never just rewind: records left behind the next ones would replay after them
        log.truncate(0);
        log.force(true);
        walRecords = 0;
        writePos = 0;
        allocated = 0;
    }

    /** A byte array stream whose bytes are read in place, and which keeps its array across batches. */
    private static final class BatchBuffer extends ByteArrayOutputStream {
        BatchBuffer() {
            super(8 << 10); // grows with the largest batch and keeps that size
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    private void closeLog() {
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("lease log {}: close failed: {}", wal, e.toString());
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Writes what is queued, lets a running compaction finish, compacts, closes the log. */
    @Override
    public void close() {
        ExecutorService c;
        synchronized (ioLock) {
            c = compactor;
        }
        if (c != null) {
            c.shutdown(); // a sync crossing the threshold meanwhile runs its compaction here, before close's
            try {
                if (!c.awaitTermination(60, TimeUnit.SECONDS)) {
                    LOG.warn("lease snapshot {} still being written after 60 s; closing anyway (the logs replay)", snapshot);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (ioLock) {
            synchronized (lock) {
                if (closing) {
                    return;
                }
            }
            try {
                sync();
                if (walRecords > 0 || Files.exists(walPrev)) {
                    compact(); // an empty log (nothing leased since open) leaves the files as they are: no fsyncs
                }
            } catch (IOException e) {
                // the logs stay as they are and replay at the next open
                throw new VnetException(ErrorCode.STATE_IO, "closing lease store " + wal + ": " + e.getMessage(), e);
            } finally {
                synchronized (lock) {
                    closing = true;
                }
                closeLog();
            }
        }
    }
}
