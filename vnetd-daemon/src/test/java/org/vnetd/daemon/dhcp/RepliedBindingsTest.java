package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.dhcp.ClientId;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.net.MacAddress;

/** The listed bindings: read without a lock while batches (and the table's growth) change them. */
@Timeout(60)
class RepliedBindingsTest {
    private static final Instant EXPIRY = Instant.parse("2026-06-01T01:00:00Z");

    private static DhcpLease lease(int n) {
        MacAddress mac = MacAddress.parse(String.format("52:54:00:%02x:%02x:%02x", n >> 16 & 0xff, n >> 8 & 0xff, n & 0xff));
        return new DhcpLease(0x0a00_0000 + n, ClientId.ofMac(mac), mac, null, EXPIRY);
    }

    @Test
    void addedAreListedInTheirOrderAndRemovedAreNot() {
        RepliedBindings b = new RepliedBindings();
        b.addAll(List.of(lease(3), lease(1), lease(2)));
        b.remove(lease(2));
        assertEquals(List.of(lease(1), lease(3)), b.listedOf(List.of(lease(1), lease(2), lease(3), lease(4))));
        assertTrue(b.contains(lease(3)));
        assertFalse(b.contains(lease(2)));
        assertEquals(2, b.size());
        MacAddress other = MacAddress.parse("52:54:00:ff:ff:ff");
        assertFalse(b.contains(new DhcpLease(lease(1).ip(), ClientId.ofMac(other), other, null, EXPIRY)),
                "the same address bound to another client is another binding");
    }

    @Test
    void readersNeverMissAStableBindingNorSeeOneNeverAddedWhileBatchesChangeAndGrowTheTable() throws Exception {
        RepliedBindings b = new RepliedBindings();
        List<DhcpLease> stable = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            stable.add(lease(i));
        }
        b.addAll(stable);
        List<DhcpLease> asked = new ArrayList<>(stable);
        for (int i = 1; i <= 100; i++) {
            asked.add(lease(1_000_000 + i)); // never added
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch reading = new CountDownLatch(2);
        try (ExecutorService threads = Executors.newFixedThreadPool(3)) {
            Future<?> writer = threads.submit(() -> {
                try {
                    assertTrue(reading.await(20, TimeUnit.SECONDS), "both readers have started");
                    for (int batch = 0; batch < 2_000; batch++) {
                        List<DhcpLease> churn = new ArrayList<>();
                        for (int i = 0; i < 64; i++) {
                            churn.add(lease(10_000 + batch * 64 + i)); // new keys: the table keeps filling and rehashing
                        }
                        b.addAll(churn);
                        if (batch % 2 == 1) {
                            churn.forEach(b::remove);
                        }
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(threads.submit(() -> {
                    int reads = 0;
                    do {
                        assertEquals(stable, b.listedOf(asked));
                        if (++reads == 1) {
                            reading.countDown(); // the writer starts once both readers read
                        }
                    } while (writing.get() && reads < 1_000_000);
                    return reads;
                }));
            }
            writer.get(50, TimeUnit.SECONDS);
            for (Future<Integer> r : readers) {
                r.get(50, TimeUnit.SECONDS);
            }
        }
        assertEquals(stable, b.listedOf(asked));
        assertEquals(100 + 1_000 * 64, b.size());
    }
}
