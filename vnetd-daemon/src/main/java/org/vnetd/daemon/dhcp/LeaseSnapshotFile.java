package org.vnetd.daemon.dhcp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.SequenceWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.daemon.state.AtomicFiles;
import org.vnetd.daemon.state.FileModes;

/**
 * A lease store's snapshot, {@code NAME.leases}: a JSON array with one lease per line (readable and
 * diffable by an operator), replaced whole via temp + fsync + rename + directory sync. Reading never
 * silently starts empty over a file it cannot read. Not thread-safe: one writer at a time (the store's
 * I/O lock, or the compactor it hands a snapshot to).
 */
final class LeaseSnapshotFile {
    // the store's category: operators grep for one logger per lease store
    private static final Logger LOG = LoggerFactory.getLogger(DurableLeaseStore.class);
    /** The snapshot is fdatasynced every this many bytes while it is written (see {@link #write}). */
    static final int SYNC_EVERY = 1 << 20;
    private static final byte[] OPEN = "[\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "]\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE_AFTER_RECORDS = "\n]\n".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final LeaseRecordJson json;
    private final Clock clock;

    LeaseSnapshotFile(Path file, LeaseRecordJson json, Clock clock) {
        this.file = file;
        this.json = json;
        this.clock = clock;
    }

    Path path() {
        return file;
    }

    /** Puts the snapshot's leases (if there is one) into {@code byAddress}; bad records are skipped with a warning. */
    void readInto(Map<Integer, DhcpLease> byAddress) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<LeaseRecord> records;
        try {
            records = json.readSnapshot(file.toFile());
        } catch (IOException e) {
            // never silently start empty over a file we cannot read: the operator must look
            throw new IOException("lease snapshot " + file + " is unreadable: " + e.getMessage(), e);
        }
        for (LeaseRecord r : records) {
            try {
                DhcpLease l = r.toLease(json.clock());
                byAddress.put(l.ip(), l);
            } catch (RuntimeException e) {
                LOG.warn("lease snapshot {}: skipping bad record {}: {}", file, r, e.getMessage());
            }
        }
    }

    /**
     * Live leases (expired ones dropped) via temp + fsync + rename + directory sync. Streamed to the
     * file (no copy of the whole snapshot in memory) and synced every {@link #SYNC_EVERY} bytes: the
     * lease log's fdatasyncs share the disk with this write, and one sync of a whole snapshot (tens of
     * MB with 100k+ leases) would put all of it in the disk's queue ahead of them.
     */
    void write(Collection<DhcpLease> leases) throws IOException {
        Instant now = clock.instant();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writeFile(tmp, leases, now);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp); // a partial snapshot holds space a full disk needs back
            throw e;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + file + " atomically", e);
        }
        AtomicFiles.syncDirectory(file.getParent());
    }

    private void writeFile(Path tmp, Collection<DhcpLease> leases, Instant now) throws IOException {
        Files.deleteIfExists(tmp); // created anew: owner-only from the start
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                FileModes.privateFile())) {
            OutputStream out = new BufferedOutputStream(new SyncingOutput(ch, SYNC_EVERY), 64 << 10);
            out.write(OPEN);
            boolean any = false;
            try (SequenceWriter w = json.snapshotWriter().writeValues(out)) {
                for (DhcpLease l : leases) {
                    if (!l.isExpired(now)) {
                        w.write(LeaseRecord.bind(l, json.clock()));
                        any = true;
                    }
                }
            }
            out.write(any ? CLOSE_AFTER_RECORDS : CLOSE);
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
}
