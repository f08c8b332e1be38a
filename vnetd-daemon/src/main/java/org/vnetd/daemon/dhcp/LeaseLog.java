package org.vnetd.daemon.dhcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.daemon.state.AtomicFiles;
import org.vnetd.daemon.state.FileModes;

/**
 * A lease store's write-ahead log, {@code NAME.wal}: one JSON record per line, a batch written and
 * fdatasynced at once. The log is preallocated: {@link #preallocate()} writes zeros (durably) ahead of
 * the last record, so a record's fdatasync overwrites allocated, already-written blocks and needs no
 * journal commit for a size change (the ACK latency's floor); replay ({@link LeaseLogReplay}) ends at
 * the zero tail. The file is created owner-only whatever the umask. Not thread-safe: used under the
 * store's I/O lock.
 */
public final class LeaseLog {
    // the store's category: operators grep for one logger per lease store
    private static final Logger LOG = LoggerFactory.getLogger(DurableLeaseStore.class);
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

    private final Path wal;
    private final java.util.function.Supplier<ObjectWriter> lineWriter;
    /**
     * Records as JSON lines, one generator per batch (not one per record); with the batch's bytes,
     * reused from sync to sync. Both are made at the first write: they cost ~80 KiB per network, and
     * made at open (or beside it on the sync thread) they slowed network starts (bench/dhcp/README.md). The
     * serializer itself is the shared {@link LeaseRecordJson}'s, built once per daemon.
     */
    private ObjectWriter lines;
    private BatchBuffer batchBytes;
    private FileChannel ch; // replaced at each rotation
    private long records;
    private long writePos; // end of the last record: the next one goes here
    private long allocated; // bytes of the log known written (records or zeros), >= writePos
    private final RateLimitedLog preallocateErrors = new RateLimitedLog(LOG, Level.WARN, DurableLeaseStore.LOG_INTERVAL_NANOS);

    /** A DHCPv4 lease change as its record (with the daemon's lease clock). */
    private final java.util.function.Function<LeaseChange, LeaseRecord> changeRecords;

    private LeaseLog(Path wal, java.util.function.Supplier<ObjectWriter> lineWriter,
            java.util.function.Function<LeaseChange, LeaseRecord> changeRecords) throws IOException {
        this.changeRecords = changeRecords;
        this.wal = wal;
        this.lineWriter = lineWriter;
        this.ch = open(StandardOpenOption.CREATE);
    }

    /** Opens {@code wal}, creating it if needed; the next record goes at its start until told otherwise. */
    static LeaseLog open(Path wal, LeaseRecordJson json) throws IOException {
        return new LeaseLog(wal, json::lineWriter, c -> LeaseRecord.of(c, json.clock()));
    }

    /**
     * As {@link #open(Path, LeaseRecordJson)}, for records of another kind (DHCPv6's): {@code lineWriter}
     * makes the writer of one record per line, asked for at the first write.
     */
    public static LeaseLog open(Path wal, java.util.function.Supplier<ObjectWriter> lineWriter) throws IOException {
        return new LeaseLog(wal, lineWriter, c -> LeaseRecord.of(c, null));
    }

    public Path path() {
        return wal;
    }

    /** Records written since the log was last emptied (by a rotation or truncation). */
    public long records() {
        return records;
    }

    /** The log, created owner-only; an existing one made under an older umask is made so too. */
    private FileChannel open(StandardOpenOption create) throws IOException {
        FileChannel c = FileChannel.open(wal, Set.of(create, StandardOpenOption.WRITE), FileModes.privateFile());
        Files.setPosixFilePermissions(wal, FileModes.PRIVATE_FILE);
        return c;
    }

    /** An existing log held only preallocated zeros (or nothing): append from the start. */
    public void appendFromStart() throws IOException {
        allocated = ch.size();
    }

    /**
     * The replayed log is kept (it could not be compacted): the next record goes right after its last
     * whole one, and a torn tail is zeroed first (its blocks are allocated: no space needed), so that no
     * part of it is read back after a later record.
     */
    public void appendAfter(LeaseLogReplay replayed) throws IOException {
        if (replayed.dataEnd() > replayed.goodEnd()) {
            writeFully(ByteBuffer.allocate(replayed.dataEnd() - replayed.goodEnd()), replayed.goodEnd());
            ch.force(false);
        }
        writePos = replayed.goodEnd();
        allocated = ch.size();
        records = replayed.records();
    }

    /** Writes {@code batch} after the last record and fdatasyncs; on failure nothing of it may be read back. */
    void write(List<LeaseChange> batch) throws IOException {
        write(batch, changeRecords);
    }

    /** As {@link #write(List)}, each element written as the record {@code toRecord} makes of it. */
    public <T> void write(List<T> batch, java.util.function.Function<T, ?> toRecord) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        ObjectWriter writer = recordWriter();
        batchBytes.reset();
        try (SequenceWriter w = writer.writeValues(batchBytes)) {
            for (T c : batch) {
                w.write(toRecord.apply(c));
            }
        }
        batchBytes.write('\n'); // the separator goes between records: the last one needs its newline too
        ByteBuffer buf = batchBytes.view();
        int n = buf.remaining();
        try {
            writeFully(buf, writePos);
            ch.force(false); // fdatasync: inside the preallocated zeros this flushes data blocks only
        } catch (IOException e) {
            erase(writePos, n);
            throw e;
        }
        writePos += n;
        allocated = Math.max(allocated, writePos);
        records += batch.size();
    }

    private ObjectWriter recordWriter() {
        if (lines == null) {
            lines = lineWriter.get();
            batchBytes = new BatchBuffer();
        }
        return lines;
    }

    /**
     * After a failed write: the part of the batch that reached the file must not be read back (its ACKs
     * are withheld; a shorter batch written over it later would leave whole records of it behind).
     * Blocks past the preallocated zeros are cut off, those within them zeroed again; neither needs
     * free space. Best effort: if this fails too, a crash may replay records never acknowledged.
     */
    private void erase(long from, int length) {
        try {
            if (ch.size() > Math.max(allocated, from)) {
                ch.truncate(Math.max(allocated, from));
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
            pos += ch.write(buf, pos);
        }
    }

    /**
     * Enough durable zeros must follow the last record (half the next extension); more are written
     * when not: {@link #FIRST_EXTENT}, then doubling up to {@link #PREALLOCATE}. The extension's own
     * fdatasync is a size change, the slow kind. A failed extension is not fatal: records then extend
     * the file as they would without preallocation.
     */
    public void preallocate() {
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
            ch.force(false);
            allocated = from + extent;
        } catch (IOException e) {
            // records then extend the file themselves, and fail only if there is no room for them
            preallocateErrors.log("lease log {}: cannot preallocate {} bytes: {}", wal, extent, e.toString());
            return;
        }
        preallocateErrors.reset();
    }

    /** Checks there is room for {@code bytes} more after the last record: zeros written and synced where needed. */
    void reserve(int bytes) throws IOException {
        long need = writePos + bytes;
        if (allocated < need) {
            writeFully(ByteBuffer.allocate((int) (need - allocated)), allocated);
            ch.force(false);
            allocated = need;
        }
    }

    /**
     * Before a retry: a failed rotation may have closed the log. The state fields were reset only once
     * the rename was done, so reopening {@code NAME.wal} (the old log, or a new empty one after the
     * rename) appends at the right place either way.
     */
    public void reopenIfClosed() throws IOException {
        if (!ch.isOpen()) {
            ch = open(StandardOpenOption.CREATE);
            AtomicFiles.syncDirectory(wal.getParent());
        }
    }

    /**
     * The first half of a rotation: the log is closed and renamed to {@code to}; from here this log is
     * empty. Until {@link #startNew()} it is closed (a failure in between is mended by {@link #reopenIfClosed}).
     */
    void moveTo(Path to) throws IOException {
        ch.close();
        Files.move(wal, to, StandardCopyOption.ATOMIC_MOVE);
        records = 0;
        writePos = 0;
        allocated = 0;
    }

    /** The second half of a rotation: a new log, its entry (and the rename) durable before any record synced into it. */
    void startNew() throws IOException {
        ch = open(StandardOpenOption.CREATE_NEW);
        AtomicFiles.syncDirectory(wal.getParent());
    }

    /** Empties the log (its records are in a snapshot now). */
    public void truncate() throws IOException {
        // truncate, never just rewind: records left behind the next ones would replay after them
        ch.truncate(0);
        ch.force(true);
        records = 0;
        writePos = 0;
        allocated = 0;
    }

    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.warn("lease log {}: close failed: {}", wal, e.toString());
        }
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
}
