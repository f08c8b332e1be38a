package org.vnetd.daemon.dhcp6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.net.IpAddresses;

import com.fasterxml.jackson.databind.ObjectMapper;

class Dhcp6LeaseStoreTest {
    private static final Instant NOW = Instant.parse("2026-12-07T20:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Dhcp6Lease lease(int n, Instant expiry) {
        return new Dhcp6Lease(Duid.parse("00:03:00:01:52:54:00:00:00:" + String.format("%02x", n)), n,
                (Inet6Address) IpAddresses.parse("fd00::" + Integer.toHexString(0x100 + n)), expiry, n == 1 ? "guest1" : null);
    }

    @Test
    void theFirstServersWholeFileLoadsAsItIs() throws Exception {
        // what the whole-file store wrote: an array of leases, no op, expiry -1 for infinite
        Files.writeString(dir.resolve("v6.dhcp6.json"), """
                [{"duid":"00:03:00:01:52:54:00:00:00:01","iaid":1,"address":"fd00::101","expiry":%d,"hostname":"guest1"},
                 {"duid":"00:03:00:01:52:54:00:00:00:02","iaid":2,"address":"fd00::102","expiry":-1,"hostname":null}]"""
                .formatted(NOW.plusSeconds(3600).getEpochSecond()));
        try (Dhcp6LeaseStore s = Dhcp6LeaseStore.open(dir, "v6", JSON, CLOCK)) {
            assertEquals(List.of(lease(1, NOW.plusSeconds(3600)), lease(2, Instant.MAX)), s.leases(NOW));
        }
    }

    @Test
    void aLongLogIsCompactedOffTheSyncThreadAndARotatedLogReplays() throws Exception {
        Dhcp6LeaseStore s = Dhcp6LeaseStore.open(dir, "v6", JSON, CLOCK);
        // renewals of two bindings: the log outgrows the compaction threshold and twice the live leases
        for (int i = 0; i <= Dhcp6LeaseStore.COMPACT_AFTER; i++) {
            s.append(new Dhcp6LeaseChange(false, lease(1 + i % 2, NOW.plusSeconds(60 + i))));
        }
        s.sync(List.of());
        s.prepareAhead(); // rotates the log; the compactor thread writes the snapshot
        assertTrue(Files.exists(dir.resolve("v6.dhcp6.wal.prev")) || s.lastCompaction().isDone(), "rotated");
        s.append(new Dhcp6LeaseChange(false, lease(3, NOW.plusSeconds(600)))); // into the new log meanwhile
        s.sync(List.of());
        s.lastCompaction().get(30, TimeUnit.SECONDS);
        assertTrue(Files.notExists(dir.resolve("v6.dhcp6.wal.prev")), "the rotated log goes once the snapshot is written");
        List<Dhcp6Lease> expected = List.of(lease(1, NOW.plusSeconds(60 + Dhcp6LeaseStore.COMPACT_AFTER)),
                lease(2, NOW.plusSeconds(60 + Dhcp6LeaseStore.COMPACT_AFTER - 1)), lease(3, NOW.plusSeconds(600)));
        // no close (kill -9): snapshot + new log replay to the same leases
        try (Dhcp6LeaseStore again = Dhcp6LeaseStore.open(dir, "v6", JSON, CLOCK)) {
            assertEquals(expected, again.leases(NOW));
        }
        // a compaction that did not finish (the rotated log still there, an old snapshot) replays as well
        Files.writeString(dir.resolve("v6.dhcp6.wal.prev"), "{\"op\":\"bind\",\"duid\":\"00:03:00:01:52:54:00:00:00:04\","
                + "\"iaid\":4,\"address\":\"fd00::104\",\"expiry\":" + NOW.plusSeconds(60).getEpochSecond() + "}\n");
        try (Dhcp6LeaseStore third = Dhcp6LeaseStore.open(dir, "v6", JSON, CLOCK)) {
            assertEquals(4, third.leases(NOW).size());
        }
        assertTrue(Files.notExists(dir.resolve("v6.dhcp6.wal.prev")), "compacted at that open");
        s.close();
    }

    @Test
    void aChangeIsListedOnlyOnceSyncedAndRepliedAndTheLogReplaysAfterACrash() throws Exception {
        Dhcp6LeaseStore s = Dhcp6LeaseStore.open(dir, "v6", JSON, CLOCK);
        List<List<Dhcp6LeaseChange>> told = new ArrayList<>();
        s.onDurable(told::add);
        s.append(new Dhcp6LeaseChange(false, lease(1, NOW.plusSeconds(60))));
        s.append(new Dhcp6LeaseChange(false, lease(2, NOW.plusSeconds(60))));
        assertEquals(List.of(), s.leases(NOW), "queued, not durable: no client was told yet");
        assertEquals(List.of(), told);
        s.sync(List.of(lease(1, NOW.plusSeconds(60)), lease(2, NOW.plusSeconds(60))));
        assertEquals(List.of(), s.leases(NOW), "durable, but their REPLYs have not left");
        assertEquals(List.of(), told, "the listener (DNS) waits until the sync's replies have left");
        s.replied(List.of(lease(1, NOW.plusSeconds(60)), lease(2, NOW.plusSeconds(60)))); // what the committer does next
        assertEquals(2, s.leases(NOW).size());
        s.prepareAhead(); // and then this
        assertEquals(1, told.size(), "one batch per sync");
        assertEquals(2, told.get(0).size());
        s.append(new Dhcp6LeaseChange(false, lease(1, NOW.plusSeconds(120)))); // renewed
        s.append(new Dhcp6LeaseChange(true, lease(2, NOW.plusSeconds(60)))); // released
        s.sync(List.of(lease(1, NOW.plusSeconds(120))));
        assertEquals(List.of(lease(1, NOW.plusSeconds(60))), s.leases(NOW), "the renewal is listed once its REPLY has left; "
                + "the release at once");
        s.replied(List.of(lease(1, NOW.plusSeconds(120))));
        assertEquals(List.of(lease(1, NOW.plusSeconds(120))), s.leases(NOW));
        s.prepareAhead(); // preallocates: the replay must stop at the zeros
        assertTrue(Files.size(dir.resolve("v6.dhcp6.wal")) > 0);
        // no close: the process died (kill -9); the next open replays the log
        try (Dhcp6LeaseStore again = Dhcp6LeaseStore.open(dir, "v6", JSON, CLOCK)) {
            assertEquals(List.of(lease(1, NOW.plusSeconds(120))), again.leases(NOW));
        }
        s.close();
        // compacted at that open: the snapshot alone holds the lease, the log is empty
        assertEquals(0, Files.size(dir.resolve("v6.dhcp6.wal")));
        try (Dhcp6LeaseStore third = Dhcp6LeaseStore.open(dir, "v6", JSON, CLOCK)) {
            assertEquals(List.of(lease(1, NOW.plusSeconds(120))), third.leases(NOW));
            assertEquals(List.of(), third.leases(NOW.plusSeconds(121)), "expired: not listed");
        }
    }

    @Test
    void aListingDoesNotWaitForASyncStalledOnTheDisk() throws Exception {
        Dhcp6LeaseStore s = Dhcp6LeaseStore.open(dir, "v6", JSON, CLOCK);
        s.append(new Dhcp6LeaseChange(false, lease(1, NOW.plusSeconds(60))));
        s.sync(List.of(lease(1, NOW.plusSeconds(60))));
        s.replied(List.of(lease(1, NOW.plusSeconds(60))));
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch disk = new CountDownLatch(1);
        s.afterEachWrite(() -> {
            stalled.countDown();
            try {
                disk.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.append(new Dhcp6LeaseChange(false, lease(2, NOW.plusSeconds(60))));
        Thread sync = Thread.ofPlatform().start(() -> s.sync(List.of(lease(2, NOW.plusSeconds(60)))));
        try {
            assertTrue(stalled.await(10, TimeUnit.SECONDS), "the sync wrote its batch and stalls, holding the store's lock");
            List<Dhcp6Lease> listed = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> s.leases(NOW),
                    "a listing waited for the stalled sync");
            assertEquals(List.of(lease(1, NOW.plusSeconds(60))), listed, "lease 2's REPLY waits for that sync: not listed");
        } finally {
            disk.countDown();
            sync.join(10_000);
        }
        s.replied(List.of(lease(2, NOW.plusSeconds(60))));
        assertEquals(2, s.leases(NOW).size());
        s.close();
    }
}
