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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.dhcp.LeaseStore;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

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
    private IOException failure;
    /** A compaction is between rotation and the deletion of {@code walPrev} (guarded by ioLock). */
    private boolean compacting;
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
        Files.createDirectories(dir);
        boolean walExisted = Files.exists(wal);
        readSnapshot();
        boolean prevUsed = replayLog(walPrev); // a compaction that did not finish: its records, then the newer ones
        if (!prevUsed) {
            Files.deleteIfExists(walPrev); // nothing in it (or only zeros): a rotation must be free to take the name
        }
        boolean walUsed = replayLog(wal) | prevUsed;
        this.log = FileChannel.open(wal, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (walUsed) {
            compact(); // replayed records (or a torn tail): start from a clean snapshot and an empty log
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
        synchronized (ioLock) {
            List<LeaseChange> batch;
            synchronized (lock) {
                if (failure != null) {
                    throw new VnetException(ErrorCode.STATE_IO, "lease log " + wal + " failed earlier: " + failure.getMessage(), failure);
                }
                if (pending.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = new ArrayList<>();
            }
            try {
                write(batch);
            } catch (IOException e) {
                synchronized (lock) {
                    failure = e;
                }
                LOG.error("lease log {} failed: {}; no further ACKs will be sent", wal, e.toString());
                throw new VnetException(ErrorCode.STATE_IO, "cannot write lease log " + wal + ": " + e.getMessage(), e);
            }
        }
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
                LeaseRecord r = LeaseRecord.of(c);
                w.write(r);
                apply(r, c.lease());
            }
        }
        batchBytes.write('\n'); // the separator goes between records: the last one needs its newline too
        ByteBuffer buf = batchBytes.view();
        int n = buf.remaining();
        writeFully(buf, writePos);
        log.force(false); // fdatasync: inside the preallocated zeros this flushes data blocks only
        writePos += n;
        allocated = Math.max(allocated, writePos);
        walRecords += batch.size();
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
            synchronized (lock) {
                if (closing || failure != null) {
                    return;
                }
            }
            if (!compacting && walRecords > COMPACT_AFTER && walRecords > 2L * liveCount()) {
                rotateForCompaction(); // here, not in sync(): the batch just synced has its ACKs already
            }
            preallocate();
        }
    }

    /** Under ioLock. A failed rotation fails the store, as a failed write does: the next sync throws. */
    private void rotateForCompaction() {
        try {
            startCompaction();
        } catch (IOException e) {
            synchronized (lock) {
                failure = e;
            }
            LOG.error("lease log {} cannot be rotated: {}; no further ACKs will be sent", wal, e.toString());
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
            LOG.warn("lease log {}: cannot preallocate {} bytes: {}", wal, extent, e.toString());
        }
    }

    /** Under ioLock. */
    private ObjectWriter recordWriter() {
        if (lines == null) {
            lines = json.lineWriter();
            batchBytes = new BatchBuffer();
        }
        return lines;
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
     * Replays the log; returns whether it held anything but preallocated zeros. A torn last record
     * (crash mid-write, never acknowledged: its fdatasync had not returned) is cut off, whether it
     * ends the file or runs into the zero tail; a line holding a NUL is such a tear (a sector of it
     * never reached the disk) and is skipped.
     */
    private boolean replayLog(Path wal) throws IOException {
        if (!Files.exists(wal)) {
            return false;
        }
        byte[] all = Files.readAllBytes(wal);
        int end = all.length;
        while (end > 0 && all[end - 1] == 0) {
            end--; // preallocated space
        }
        int start = 0;
        int lineNo = 0;
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
            } catch (IOException | RuntimeException e) {
                LOG.warn("lease log {} line {}: skipping unreadable record: {}", wal, lineNo, e.getMessage());
            }
        }
        if (start < end) {
            LOG.warn("lease log {}: dropping {} bytes of an incomplete last record", wal, end - start);
        }
        return end > 0;
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
        log = FileChannel.open(wal, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // the new log's entry (and the rename) durable before any record synced into it is acknowledged
        syncDirectory(wal.getParent());
        walRecords = 0;
        writePos = 0;
        allocated = 0;
        compacting = true;
        if (compactor == null) {
            compactor = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("dhcp-compact-" + wal.getFileName()).factory());
        }
        // read after the rotation: every change the view may miss is in the new log
        Collection<DhcpLease> leases = liveLeases();
        CompletableFuture<Void> done = new CompletableFuture<>();
        lastCompaction = done;
        compactor.execute(() -> finishCompaction(leases, done));
    }

    /** The latest compaction started off the ACK path (a completed future when none was). */
    CompletableFuture<Void> lastCompaction() {
        return lastCompaction;
    }

    /** On the compactor: the snapshot from {@code leases}, then the rotated log goes. */
    private void finishCompaction(Collection<DhcpLease> leases, CompletableFuture<Void> done) {
        try {
            writeSnapshot(leases);
            Files.deleteIfExists(walPrev); // replaying it again would change nothing: no sync needed
            synchronized (ioLock) {
                compacting = false;
            }
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            // walPrev stays (its records are in no snapshot) and no later compaction may rotate over it
            synchronized (lock) {
                failure = e instanceof IOException io ? io : new IOException(e);
            }
            LOG.error("lease snapshot {} cannot be written: {}; no further ACKs will be sent", snapshot, e.toString());
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
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
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
        try {
            Files.move(tmp, snapshot, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + snapshot + " atomically", e);
        }
        syncDirectory(snapshot.getParent());
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
                log.close();
            } catch (IOException e) {
                throw new VnetException(ErrorCode.STATE_IO, "closing lease store " + wal + ": " + e.getMessage(), e);
            } finally {
                synchronized (lock) {
                    closing = true;
                }
            }
        }
    }
}
