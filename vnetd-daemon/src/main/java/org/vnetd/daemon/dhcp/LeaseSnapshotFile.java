package org.vnetd.daemon.dhcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.SequenceWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.DhcpLease;

/**
 * A lease store's snapshot, {@code NAME.leases}: a JSON array with one lease per line (readable and
 * diffable by an operator), replaced whole via temp + fsync + rename + directory sync. Reading never
 * silently starts empty over a file it cannot read. Not thread-safe: one writer at a time (the store's
 * I/O lock, or the compactor it hands a snapshot to).
 */
final class LeaseSnapshotFile implements LeaseCompactor.Snapshot<DhcpLease> {
    // the store's category: operators grep for one logger per lease store
    private static final Logger LOG = LoggerFactory.getLogger(DurableLeaseStore.class);
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

    @Override
    public Path path() {
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
     * Live leases (expired ones dropped), streamed and synced as it goes ({@link StreamedSnapshot}): no
     * copy of the whole snapshot in memory, no sync of tens of MB ahead of the lease log's fdatasyncs.
     */
    @Override
    public void write(Collection<DhcpLease> leases) throws IOException {
        Instant now = clock.instant();
        StreamedSnapshot.replace(file, out -> {
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
        });
    }
}
