package org.vnetd.daemon.dhcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.DhcpLease;

/**
 * What replaying one lease log found: whether it held anything but preallocated zeros, where the last
 * whole record ends and where the data (a torn record included) ends, and how many records it had.
 */
public record LeaseLogReplay(boolean used, int goodEnd, int dataEnd, long records) {
    // the store's category: operators grep for one logger per lease store
    private static final Logger LOG = LoggerFactory.getLogger(DurableLeaseStore.class);
    static final LeaseLogReplay NONE = new LeaseLogReplay(false, 0, 0, 0);

    /**
     * Replays the log {@code wal} into {@code apply} (read only: a full disk does not stop it). A torn
     * last record (crash mid-write, never acknowledged: its fdatasync had not returned) is cut off,
     * whether it ends the file or runs into the zero tail; a line holding a NUL is such a tear (a
     * sector of it never reached the disk) and is skipped. The run of zeros after the last newline is
     * preallocated space: a record never contains a NUL (JSON escapes control characters).
     */
    static LeaseLogReplay of(Path wal, LeaseRecordJson json, BiConsumer<LeaseRecord, DhcpLease> apply) throws IOException {
        return of(wal, line -> {
            LeaseRecord r = json.read(line);
            apply.accept(r, r.toLease(json.clock()));
        });
    }

    /** One line of a log, applied; throws (and is skipped, with a warning) when it cannot be read. */
    @FunctionalInterface
    public interface LineReader {
        void apply(String line) throws IOException;
    }

    /** As {@link #of(Path, LeaseRecordJson, BiConsumer)}, each whole line handed to {@code read}. */
    public static LeaseLogReplay of(Path wal, LineReader read) throws IOException {
        if (!Files.exists(wal)) {
            return NONE;
        }
        byte[] all = Files.readAllBytes(wal);
        int end = withoutZeroTail(all);
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
                read.apply(line);
                records++;
            } catch (IOException | RuntimeException e) {
                LOG.warn("lease log {} line {}: skipping unreadable record: {}", wal, lineNo, e.getMessage());
            }
        }
        if (start < end) {
            LOG.warn("lease log {}: dropping {} bytes of an incomplete last record", wal, end - start);
        }
        return new LeaseLogReplay(end > 0, start, end, records);
    }

    /**
     * The length of {@code b} without its run of trailing zeros (the log's preallocated space), found a block at a
     * time: the JDK compares blocks with vector instructions even while this runs interpreted, as it does at a
     * network's start, where a byte-by-byte loop over a 64 KiB tail cost a large share of the DHCP server's start.
     */
    static int withoutZeroTail(byte[] b) {
        int end = b.length;
        for (int block = ZEROS.length; block >= 1; block >>= 4) {
            while (end >= block && Arrays.equals(b, end - block, end, ZEROS, 0, block)) {
                end -= block;
            }
        }
        return end;
    }

    private static final byte[] ZEROS = new byte[4096];

    private static int indexOfNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
