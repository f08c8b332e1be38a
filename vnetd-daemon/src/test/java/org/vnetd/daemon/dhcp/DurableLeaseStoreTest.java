package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.dhcp.ClientId;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

class DurableLeaseStoreTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static DhcpLease lease(int n, Instant expiry) {
        MacAddress mac = MacAddress.parse(String.format("52:54:00:00:00:%02x", n));
        return new DhcpLease((Inet4Address) IpAddresses.parse("10.0.0." + n), ClientId.ofMac(mac), mac, "h" + n, expiry);
    }

    @Test
    void committedLeasesSurviveReopen() {
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10, NOW.plusSeconds(3600))));
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(11, null)));
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(12, NOW.plusSeconds(60))));
            s.append(new LeaseChange(LeaseChange.Kind.RELEASED, lease(12, NOW.plusSeconds(60))));
            s.sync();
        }
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(Set.of(lease(10, NOW.plusSeconds(3600)), lease(11, null)), new HashSet<>(s.load()));
        }
    }

    /**
     * The DNS names of a sync's leases: one batch, after the sync's ACKs have left (the committer runs
     * prepareAhead then), and without the store's lock, so a slow zone rebuild neither holds an ACK nor
     * the next sync. The listener here needs the lock from another thread: under it, that would hang.
     */
    @Test
    void durableChangesReachTheListenerAsOneBatchPerSyncAfterTheAcksAndOffTheLock() throws Exception {
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            List<List<LeaseChange>> told = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Boolean> lockFree = new java.util.concurrent.CopyOnWriteArrayList<>();
            s.onDurable(batch -> {
                // load() takes the store's I/O lock (the listing, isReplied, takes none)
                var other = java.util.concurrent.CompletableFuture.supplyAsync(() -> s.load().contains(batch.get(0).lease()));
                try {
                    lockFree.add(other.get(5, TimeUnit.SECONDS));
                } catch (Exception e) {
                    lockFree.add(false);
                }
                told.add(batch);
            });
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10, NOW.plusSeconds(3600))));
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(11, NOW.plusSeconds(3600))));
            s.sync(List.of());
            assertEquals(List.of(), told, "the listener waits until the sync's ACKs have left");
            s.prepareAhead(); // what the group committer runs once it has sent them
            assertEquals(1, told.size(), "one batch per sync");
            assertEquals(2, told.get(0).size());
            assertEquals(List.of(true), lockFree, "the listener runs without the store's lock");
            s.append(new LeaseChange(LeaseChange.Kind.RELEASED, lease(11, NOW.plusSeconds(3600))));
            s.sync(); // a sync outside the committer (reaper, import) tells the listener itself
            assertEquals(2, told.size());
            assertTrue(told.get(1).get(0).removes());
        }
    }

    /** What a restarted daemon's DNS reads before the DHCP server opens the store: snapshot and log, nothing written. */
    @Test
    void peekReadsSnapshotAndLogWithoutTouchingThem() throws Exception {
        assertEquals(List.of(), DurableLeaseStore.peek(dir, "vbr0", CLOCK, new LeaseRecordJson()), "no files: no leases");
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10, NOW.plusSeconds(3600))));
            s.sync();
        }
        DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK); // not closed: the second lease is in the log only
        s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(11, NOW.plusSeconds(3600))));
        s.sync();
        Map<Path, Long> before = new java.util.HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                before.put(f, Files.size(f) ^ Files.getLastModifiedTime(f).toMillis());
            }
        }
        assertEquals(Set.of(lease(10, NOW.plusSeconds(3600)), lease(11, NOW.plusSeconds(3600))),
                new HashSet<>(DurableLeaseStore.peek(dir, "vbr0", CLOCK, new LeaseRecordJson())));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertEquals(before.get(f), Files.size(f) ^ Files.getLastModifiedTime(f).toMillis(), f + " unchanged");
            }
        }
        s.close();
    }

    @Test
    void leaseFilesAreOwnerOnlyAndOnlyBindingsWhoseAcksLeftAreListed() throws Exception {
        Path leases = dir.resolve("dhcp");
        DhcpLease synced = lease(10, NOW.plusSeconds(3600));
        DhcpLease pending = lease(11, NOW.plusSeconds(3600));
        try (DurableLeaseStore s = DurableLeaseStore.open(leases, "vbr0", CLOCK)) {
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, synced));
            s.sync(List.of(synced));
            assertFalse(s.isReplied(synced), "durable, but its ACK has not left yet");
            s.replied(List.of(synced)); // what the group committer does once the batch's ACKs are sent
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, pending));
            assertTrue(s.isReplied(synced));
            assertFalse(s.isReplied(pending), "its record is not written yet: its ACK is still held");
            assertEquals(List.of(synced), s.repliedOf(List.of(synced, pending)));
            assertTrue(s.problem().isEmpty());
        }
        try (DurableLeaseStore s = DurableLeaseStore.open(leases, "vbr0", CLOCK)) {
            assertTrue(s.isReplied(synced) && s.isReplied(pending), "closing wrote both: the files' leases are listed");
            s.append(new LeaseChange(LeaseChange.Kind.RELEASED, synced));
            s.sync();
            assertFalse(s.isReplied(synced), "its end is durable");
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(leases)));
        try (var files = Files.list(leases)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
    }

    @Test
    void logIsReplayedWithoutCleanCloseAndTornTailIsDropped() throws Exception {
        DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK);
        s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10, NOW.plusSeconds(3600))));
        s.sync();
        // no close(): as after a crash; then a half-written record at the end
        Files.writeString(dir.resolve("vbr0.wal"), "{\"op\":\"bind\",\"ip\":\"10.0.0.",
                java.nio.file.StandardOpenOption.APPEND);
        try (DurableLeaseStore again = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(List.of(lease(10, NOW.plusSeconds(3600))), again.load());
            again.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(20, NOW.plusSeconds(3600))));
            again.sync();
        }
        try (DurableLeaseStore third = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(2, third.load().size());
        }
    }

    @Test
    void preallocationStartsSmallAndDoublesAsTheLogFills() throws Exception {
        Path wal = dir.resolve("vbr0.wal");
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.prepareAhead();
            assertEquals(DurableLeaseStore.FIRST_EXTENT, Files.size(wal), "a network start writes 64 KiB, not a full extent");
            for (int i = 0; i < 2000 && Files.size(wal) == DurableLeaseStore.FIRST_EXTENT; i++) {
                s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10 + i % 200, NOW.plusSeconds(3600))));
                s.sync();
                s.prepareAhead();
            }
            assertEquals(2L * DurableLeaseStore.FIRST_EXTENT, Files.size(wal), "extended by the log's own size once half was used");
        }
    }

    @Test
    void preallocationNeverExtendsByMoreThanOneExtentAtATime() throws Exception {
        Path wal = dir.resolve("vbr0.wal");
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.prepareAhead();
            long size = Files.size(wal);
            int extensions = 0;
            // ~150-byte records in batches of 100, until the log has grown past four full extents
            for (int i = 0; i < 20_000 && size < 4L * DurableLeaseStore.PREALLOCATE; i++) {
                for (int j = 0; j < 100; j++) {
                    s.append(new LeaseChange(LeaseChange.Kind.BOUND, numbered(i * 100 + j)));
                }
                s.sync();
                s.prepareAhead();
                long now = Files.size(wal);
                if (now != size) {
                    assertTrue(now - size <= DurableLeaseStore.PREALLOCATE, "extended by " + (now - size) + " bytes at once");
                    extensions++;
                    size = now;
                }
            }
            assertTrue(size >= 4L * DurableLeaseStore.PREALLOCATE, "the log grew to " + size);
            assertTrue(extensions >= 4, extensions + " extensions");
        }
    }

    /** A snapshot longer than one sync chunk is written whole: it replays to every lease. */
    @Test
    void aSnapshotOfManySyncChunksReplaysEveryLease() throws Exception {
        int n = 19_000; // ~120 bytes each: over two chunks of SNAPSHOT_SYNC_EVERY (and under COMPACT_AFTER)
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            for (int i = 0; i < n; i++) {
                s.append(new LeaseChange(LeaseChange.Kind.BOUND, numbered(i)));
            }
            s.sync();
        } // close compacts: the snapshot holds them all, the log is empty
        assertTrue(Files.size(dir.resolve("vbr0.leases")) > 2L * DurableLeaseStore.SNAPSHOT_SYNC_EVERY,
                "snapshot of " + Files.size(dir.resolve("vbr0.leases")) + " bytes");
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            List<DhcpLease> loaded = s.load();
            assertEquals(n, loaded.size());
            assertTrue(loaded.contains(numbered(0)) && loaded.contains(numbered(n - 1)));
        }
    }

    /** Lease {@code i} of many: 10.x.y.z and a MAC of its own. */
    private static DhcpLease numbered(int i) {
        MacAddress mac = MacAddress.parse(String.format("52:54:00:%02x:%02x:%02x", i >> 16 & 255, i >> 8 & 255, i & 255));
        return new DhcpLease((Inet4Address) IpAddresses.parse(String.format("10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255)),
                ClientId.ofMac(mac), mac, "h" + i, NOW.plusSeconds(3600));
    }

    @Test
    void preallocatedLogKeepsItsSizeAndReplaysUpToTheZeroTail() throws Exception {
        Path wal = dir.resolve("vbr0.wal");
        DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK);
        s.prepareAhead();
        assertEquals(DurableLeaseStore.FIRST_EXTENT, Files.size(wal), "zeros written ahead");
        s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10, NOW.plusSeconds(3600))));
        s.sync();
        s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(11, NOW.plusSeconds(3600))));
        s.sync();
        s.prepareAhead(); // enough room left: nothing to do
        assertEquals(DurableLeaseStore.FIRST_EXTENT, Files.size(wal), "records overwrite the zeros, the size stays");
        byte[] bytes = Files.readAllBytes(wal);
        int used = 0;
        while (bytes[used] != 0) {
            used++;
        }
        assertEquals(2, new String(bytes, 0, used, StandardCharsets.UTF_8).lines().count());
        // no close(): as after a crash, with the zero tail still there
        try (DurableLeaseStore again = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(Set.of(lease(10, NOW.plusSeconds(3600)), lease(11, NOW.plusSeconds(3600))), new HashSet<>(again.load()));
        }
    }

    @Test
    void tornRecordsInTheZeroTailAreDropped() throws Exception {
        Path wal = dir.resolve("vbr0.wal");
        DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK);
        s.prepareAhead();
        s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10, NOW.plusSeconds(3600))));
        s.sync();
        byte[] bytes = Files.readAllBytes(wal);
        int end = 0;
        while (bytes[end] != 0) {
            end++;
        }
        String good = new String(bytes, 0, end, StandardCharsets.UTF_8);
        String rec12 = good.replace("10.0.0.10", "10.0.0.12").replace(":0a\"", ":0c\"").replace("\"h10\"", "\"h12\"");
        // a crash mid-write: one record whose middle sector never reached the disk (zeros, then its
        // newline), then one record cut off by the zero tail; neither was ever synced, so neither ACKed
        byte[] holed = rec12.getBytes(StandardCharsets.UTF_8);
        java.util.Arrays.fill(holed, 5, 20, (byte) 0);
        byte[] cut = rec12.substring(0, 30).getBytes(StandardCharsets.UTF_8);
        try (var ch = java.nio.channels.FileChannel.open(wal, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(holed), end);
            ch.write(java.nio.ByteBuffer.wrap(cut), end + holed.length);
        }
        try (DurableLeaseStore again = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(List.of(lease(10, NOW.plusSeconds(3600))), again.load());
            assertEquals(0, Files.size(wal), "a log with records is compacted away at open");
            again.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(20, NOW.plusSeconds(3600))));
            again.sync();
        }
        try (DurableLeaseStore third = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(Set.of(lease(10, NOW.plusSeconds(3600)), lease(20, NOW.plusSeconds(3600))), new HashSet<>(third.load()));
        }
        // the same intact record is read when it is whole: the tear, not the record, was refused
        Files.write(wal, rec12.getBytes(StandardCharsets.UTF_8));
        try (DurableLeaseStore fourth = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(3, fourth.load().size());
        }
    }

    @Test
    void aLogOfOnlyZerosIsReusedWithoutCompaction() throws Exception {
        Path wal = dir.resolve("vbr0.wal");
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.prepareAhead();
        }
        assertEquals(DurableLeaseStore.FIRST_EXTENT, Files.size(wal), "nothing leased: the preallocated log stays");
        assertTrue(!Files.exists(dir.resolve("vbr0.leases")), "no snapshot written");
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(DurableLeaseStore.FIRST_EXTENT, Files.size(wal), "opening an all-zero log does not compact it");
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10, NOW.plusSeconds(3600))));
            s.sync();
            assertEquals('{', Files.readAllBytes(wal)[0], "appended at the start, over the zeros");
        }
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(List.of(lease(10, NOW.plusSeconds(3600))), s.load());
        }
    }

    @Test
    void expiredLeasesAreReapedAtCompaction() {
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10, NOW.minusSeconds(1))));
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(11, NOW.plusSeconds(10))));
            s.sync();
        }
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(List.of(lease(11, NOW.plusSeconds(10))), s.load());
        }
    }

    @Test
    void compactionReplacesSnapshotAtomicallyAndEmptiesTheLog() throws Exception {
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            for (int i = 0; i < DurableLeaseStore.COMPACT_AFTER + 10; i++) {
                s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10 + i % 200, NOW.plusSeconds(i))));
            }
            s.sync(); // crosses the threshold
            s.prepareAhead(); // as after the batch's ACKs: the log is rotated, the snapshot written by the compactor
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(250, NOW.plusSeconds(5))));
            s.sync(); // goes on meanwhile, into the new log
            s.lastCompaction().get(10, TimeUnit.SECONDS);
            assertTrue(!Files.exists(dir.resolve("vbr0.wal.prev")), "the rotated log goes once the snapshot is written");
            byte[] log = Files.readAllBytes(dir.resolve("vbr0.wal"));
            int used = log.length;
            while (used > 0 && log[used - 1] == 0) {
                used--; // the zeros preallocated ahead
            }
            assertTrue(used > 0 && used < 1000, "only the newer record in the new log: " + used + " bytes");
            assertTrue(Files.exists(dir.resolve("vbr0.leases")));
            assertTrue(!Files.exists(dir.resolve("vbr0.leases.tmp")));
        }
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(201, s.load().size());
        }
    }

    @Test
    void aFollowedStoreSnapshotsTheServersLeases() throws Exception {
        // stands in for the DhcpServer that loaded the store: it applies each change, then appends it
        java.util.Map<Integer, DhcpLease> server = new java.util.HashMap<>();
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.follow(server::size, () -> new java.util.ArrayList<>(server.values()));
            for (int i = 0; i < DurableLeaseStore.COMPACT_AFTER + 10; i++) {
                DhcpLease l = lease(10 + i % 200, NOW.plusSeconds(3600 + i));
                server.put(l.ip(), l);
                s.append(new LeaseChange(LeaseChange.Kind.BOUND, l));
            }
            // bound in the server, its record not written yet when the log rotates: the snapshot may
            // hold it before its own record is durable, which replays to the same state
            DhcpLease ahead = lease(230, NOW.plusSeconds(60));
            server.put(ahead.ip(), ahead);
            s.sync(); // crosses the threshold
            s.prepareAhead(); // rotates: the snapshot is written from the server's leases
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, ahead));
            s.sync();
            s.lastCompaction().get(10, TimeUnit.SECONDS);
            assertTrue(!Files.exists(dir.resolve("vbr0.wal.prev")), "the rotated log goes once the snapshot is written");
            String snapshot = Files.readString(dir.resolve("vbr0.leases"));
            assertTrue(snapshot.contains("\"10.0.0.230\""), "the server's leases are the snapshot's");
            assertEquals(201, s.load().size(), "load() reads the followed leases too");
            DhcpLease late = lease(240, NOW.plusSeconds(60));
            server.put(late.ip(), late);
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, late));
            server.remove(lease(10, null).ip());
            s.append(new LeaseChange(LeaseChange.Kind.RELEASED, lease(10, NOW.plusSeconds(3600 + 200 * 100))));
        } // close: what was appended is synced, and the final snapshot is the server's leases again
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(new HashSet<>(server.values()), new HashSet<>(s.load()));
            assertEquals(201, s.load().size());
        }
    }

    @Test
    void theRotationNeitherDelaysTheSyncNorWaitsForTheLeasesToBeRead() throws Exception {
        // a server busy answering clients: iterating its leases waits; the sync thread (which sends
        // the ACKs) must not, even at the sync that starts a compaction
        java.util.Map<Integer, DhcpLease> server = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.Collection<DhcpLease> view = new java.util.AbstractCollection<>() {
            @Override
            public java.util.Iterator<DhcpLease> iterator() {
                try {
                    busy.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return server.values().iterator();
            }

            @Override
            public int size() {
                return server.size();
            }
        };
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.follow(server::size, () -> view);
            for (int i = 0; i < DurableLeaseStore.COMPACT_AFTER + 10; i++) {
                DhcpLease l = lease(10 + i % 200, NOW.plusSeconds(3600 + i));
                server.put(l.ip(), l);
                s.append(new LeaseChange(LeaseChange.Kind.BOUND, l));
            }
            Object logBefore = logFileKey();
            s.sync();
            assertEquals(logBefore, logFileKey(), "the sync that crosses the threshold leaves the rotation to prepareAhead");
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(3), s::prepareAhead,
                    "the rotation returns while the leases are still being read");
            assertTrue(Files.exists(dir.resolve("vbr0.wal.prev")), "rotated, snapshot not written yet");
            busy.countDown();
        }
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(new HashSet<>(server.values()), new HashSet<>(s.load()));
        }
    }

    @Test
    void aSnapshotReadFromAChangingServerReplaysToItsState() throws Exception {
        // the compactor iterates the server's live leases while binds and releases go on: whatever
        // state of a changing lease the snapshot catches, the log after the rotation has its change
        java.util.Map<Integer, DhcpLease> server = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Random random = new java.util.Random(5);
        int compactions = 0;
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.follow(server::size, () -> java.util.Collections.unmodifiableCollection(server.values()));
            for (int i = 0; i < 4 * DurableLeaseStore.COMPACT_AFTER; i++) {
                int n = random.nextInt(6000);
                MacAddress mac = MacAddress.parse(String.format("52:54:00:00:%02x:%02x", n >> 8, n & 0xff));
                DhcpLease l = new DhcpLease(IpAddresses.fromInt(0x0a000000 + 10 + n), ClientId.ofMac(mac), mac, null,
                        NOW.plusSeconds(3600 + i));
                if (random.nextInt(4) == 0) {
                    if (server.remove(l.ip()) != null) {
                        s.append(new LeaseChange(LeaseChange.Kind.RELEASED, l));
                    }
                } else {
                    server.put(l.ip(), l);
                    s.append(new LeaseChange(LeaseChange.Kind.BOUND, l));
                }
                if (i % 50 == 49) {
                    Object logBefore = logFileKey();
                    s.sync();
                    s.prepareAhead();
                    if (!logBefore.equals(logFileKey())) {
                        compactions++; // a rotation: the log is a new file
                    }
                }
            }
        }
        assertTrue(compactions >= 2, "compactions ran while the leases changed: " + compactions);
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(new HashSet<>(server.values()), new HashSet<>(s.load()));
        }
    }

    private Object logFileKey() throws java.io.IOException {
        return Files.readAttributes(dir.resolve("vbr0.wal"), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    /** The log's bytes after binding or releasing {@code changes} in a scratch store (read before its close compacts). */
    private byte[] logOf(String scratch, List<LeaseChange> changes) throws Exception {
        Path d = dir.resolve(scratch);
        try (DurableLeaseStore s = DurableLeaseStore.open(d, "vbr0", CLOCK)) {
            changes.forEach(s::append);
            s.sync();
            return Files.readAllBytes(d.resolve("vbr0.wal"));
        }
    }

    @Test
    void aCompactionThatDidNotFinishReplaysFromTheRotatedLog() throws Exception {
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(10, NOW.plusSeconds(60))));
        } // the snapshot holds 10
        // killed after a rotation, before the snapshot: 11 and 12 in the rotated log, newer records in the new one
        Files.write(dir.resolve("vbr0.wal.prev"), logOf("a", List.of(new LeaseChange(LeaseChange.Kind.BOUND, lease(11, NOW.plusSeconds(60))),
                new LeaseChange(LeaseChange.Kind.BOUND, lease(12, NOW.plusSeconds(60))))));
        Files.write(dir.resolve("vbr0.wal"), logOf("b", List.of(new LeaseChange(LeaseChange.Kind.RELEASED, lease(12, NOW.plusSeconds(60))),
                new LeaseChange(LeaseChange.Kind.BOUND, lease(13, NOW.plusSeconds(60))))));
        Set<DhcpLease> want = Set.of(lease(10, NOW.plusSeconds(60)), lease(11, NOW.plusSeconds(60)), lease(13, NOW.plusSeconds(60)));
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(want, new HashSet<>(s.load()));
            assertTrue(!Files.exists(dir.resolve("vbr0.wal.prev")), "folded into the snapshot at open");
        }
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(want, new HashSet<>(s.load()));
        }
    }

    @Test
    void anEmptyRotatedLogIsRemovedAtOpen() throws Exception {
        Files.write(dir.resolve("vbr0.wal.prev"), new byte[4096]);
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", CLOCK)) {
            assertEquals(List.of(), s.load());
            assertTrue(!Files.exists(dir.resolve("vbr0.wal.prev")), "a later rotation needs the name");
        }
    }

    @Test
    void unreadableSnapshotIsAnErrorNotAnEmptyStart() throws Exception {
        Files.writeString(dir.resolve("vbr0.leases"), "[{not json");
        VnetException e = assertThrows(VnetException.class, () -> DurableLeaseStore.open(dir, "vbr0", CLOCK));
        assertTrue(e.getMessage().contains("vbr0.leases"), e.getMessage());
        assertEquals("[{not json", Files.readString(dir.resolve("vbr0.leases")), "nothing stored was changed");
    }

    @Test
    void libvirtStatusFileIsImported() throws Exception {
        Path status = dir.resolve("virbr0.status");
        Files.writeString(status, """
                [
                  {
                    "ip-address": "192.168.122.45",
                    "mac-address": "52:54:00:11:22:33",
                    "hostname": "fedora",
                    "client-id": "01:52:54:00:11:22:33",
                    "expiry-time": 1893456000
                  },
                  {
                    "ip-address": "192.168.122.46",
                    "mac-address": "52:54:00:11:22:34",
                    "expiry-time": 0
                  },
                  {
                    "iaid": "1234",
                    "ip-address": "2001:db8::5",
                    "mac-address": "52:54:00:11:22:35",
                    "client-id": "00:04:aa",
                    "expiry-time": 1893456000
                  }
                ]
                """);
        int n = DhcpService.importLibvirtStatus(dir, "virbr0", status, CLOCK);
        assertEquals(2, n);
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "virbr0", CLOCK)) {
            List<DhcpLease> leases = s.load();
            DhcpLease a = leases.stream().filter(l -> l.address().getHostAddress().equals("192.168.122.45")).findFirst().orElseThrow();
            assertEquals("fedora", a.hostname());
            assertEquals("01:52:54:00:11:22:33", a.clientId().toString());
            assertEquals(Instant.ofEpochSecond(1893456000), a.expiry());
            DhcpLease b = leases.stream().filter(l -> l.address().getHostAddress().equals("192.168.122.46")).findFirst().orElseThrow();
            assertNull(b.expiry());
            assertEquals(ClientId.ofMac(MacAddress.parse("52:54:00:11:22:34")), b.clientId());
        }
        Files.writeString(status, "{\"ip-address\": 1}");
        assertThrows(VnetException.class, () -> LibvirtLeaseImport.read(status));
    }

    /** kill -9 of a JVM binding leases as fast as it can: every lease it reported as ACKed is on disk. */
    @Test
    void everyAckedLeaseSurvivesKillMinus9() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command(LeaseWriterChild.class, dir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Set<String> acked = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((line = r.readLine()) != null && acked.size() < 2000 && System.nanoTime() < deadline) {
                if (line.startsWith("ACKED ")) {
                    acked.add(line.substring(6));
                }
            }
            p.destroyForcibly(); // SIGKILL, mid-stream
            p.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(acked.size() >= 2000, "child acked " + acked.size());
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", Clock.systemUTC())) {
            Set<String> stored = s.load().stream().map(l -> l.address().getHostAddress()).collect(Collectors.toSet());
            Set<String> missing = new HashSet<>(acked);
            missing.removeAll(stored);
            assertTrue(missing.isEmpty(), missing.size() + " ACKed leases lost, e.g. " + missing.stream().limit(5).toList());
        }
    }

    @Test
    void aListingDoesNotWaitForASyncStalledOnTheDisk() throws Exception {
        DhcpLease told = lease(10, NOW.plusSeconds(3600));
        DhcpLease held = lease(11, NOW.plusSeconds(3600));
        try (DurableLeaseStore s = DurableLeaseStore.open(dir.resolve("dhcp"), "vbr0", CLOCK)) {
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, told));
            s.sync(List.of(told));
            s.replied(List.of(told));
            java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch disk = new java.util.concurrent.CountDownLatch(1);
            s.afterEachWrite(() -> {
                stalled.countDown();
                try {
                    disk.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, held));
            Thread sync = Thread.ofPlatform().start(() -> s.sync(List.of(held)));
            try {
                assertTrue(stalled.await(10, TimeUnit.SECONDS), "the sync wrote its batch and stalls, holding the I/O lock");
                List<DhcpLease> listed = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                        () -> s.repliedOf(List.of(told, held)), "a listing waited for the stalled sync");
                assertEquals(List.of(told), listed, "the held ACK's lease is durable but not listed");
            } finally {
                disk.countDown();
                sync.join(10_000);
            }
            s.afterEachWrite(() -> { });
            s.replied(List.of(held));
            assertEquals(List.of(told, held), s.repliedOf(List.of(told, held)));
        }
    }
}
