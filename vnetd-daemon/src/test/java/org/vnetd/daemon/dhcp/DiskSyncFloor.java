package org.vnetd.daemon.dhcp;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The disk's own share of a new client's bind time, for bench/dhcp/run.sh:
 * {@code DiskSyncFloor DIR COUNT RATE} writes COUNT lease-record-sized lines, RATE a second, into a
 * preallocated file in DIR and fdatasyncs after each, as the lease log does for a lone client
 * ({@link DurableLeaseStore}: zeros written and synced ahead, so each sync flushes data only), and
 * prints the syncs' p50/p99/max and how many took over 10 ms. No server, no JVM warm-up question: what
 * a durable ACK cannot be faster than on this disk. Deletes its file.
 */
public final class DiskSyncFloor {
    /**
     * A lease record's JSON line as the bench's clients make it (no hostname; a client id from the MAC):
     * 104 bytes, measured from the log DurableLeaseStore writes for 100 such leases.
     */
    private static final int RECORD = 104;
    private static final long SLOW_NS = TimeUnit.MILLISECONDS.toNanos(10);

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).resolve("disk-sync-floor.wal");
        int count = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        if (count <= 0 || rate <= 0) {
            throw new IllegalArgumentException("COUNT and RATE must be positive, got " + count + " and " + rate);
        }
        Files.createDirectories(file.getParent());
        long[] took = new long[count];
        try (FileChannel log = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            long size = (long) count * RECORD;
            ByteBuffer zeros = ByteBuffer.allocateDirect(64 << 10);
            for (long at = 0; at < size; ) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    at += log.write(zeros, at);
                }
            }
            log.force(true);
            byte[] line = new byte[RECORD];
            Arrays.fill(line, (byte) 'x');
            line[RECORD - 1] = '\n';
            ByteBuffer record = ByteBuffer.wrap(line);
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                for (long left; (left = due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(left);
                }
                long t0 = System.nanoTime();
                record.clear();
                long at = (long) i * RECORD;
                while (record.hasRemaining()) {
                    at += log.write(record, at);
                }
                log.force(false);
                took[i] = System.nanoTime() - t0;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        long slow = Arrays.stream(took).filter(t -> t > SLOW_NS).count();
        Arrays.sort(took);
        System.out.printf("%d %.2f %.2f %.2f %d%n", count, ms(took[count / 2]), ms(took[percentileIndex(count, 0.99)]),
                ms(took[count - 1]), slow);
    }

    private static int percentileIndex(int n, double p) {
        return Math.max(0, (int) Math.ceil(n * p) - 1);
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }

    private DiskSyncFloor() {
    }
}
