package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;

import org.junit.jupiter.api.Test;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.dhcp.LeaseStore;
import org.vnetd.testing.Await;

class GroupCommitterTest {
    /**
     * The committer's clock: the machine's, plus whatever the fake disk and the test add. A fake sync
     * "takes" its time by moving this clock on, so no test sleeps for a disk it does not have.
     */
    private static final class TestClock implements LongSupplier {
        final AtomicLong added = new AtomicLong();

        @Override
        public long getAsLong() {
            return System.nanoTime() + added.get();
        }

        void advanceMillis(double ms) {
            added.addAndGet((long) (ms * 1_000_000));
        }
    }

    /** Counts syncs; each takes a little while (on the clock), as an fdatasync does. */
    private static class CountingStore implements LeaseStore {
        final AtomicInteger syncs = new AtomicInteger();
        final TestClock clock;

        CountingStore(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public List<DhcpLease> load() {
            return List.of();
        }

        @Override
        public void append(LeaseChange change) {
        }

        @Override
        public void sync() {
            syncs.incrementAndGet();
            clock.advanceMillis(0.2);
        }

        @Override
        public void close() {
        }
    }

    private static DatagramPacket ack(int i) {
        return new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {(byte) i}), new InetSocketAddress("10.0.0." + (i % 250 + 1), 68));
    }

    /** Counts (and releases) what the committer sends. */
    private static final class CountingSender implements AckSender {
        final AtomicInteger sent = new AtomicInteger();

        @Override
        public void send(List<DatagramPacket> acks) {
            acks.forEach(DatagramPacket::release);
            sent.addAndGet(acks.size());
        }

        /** Waits (bounded) until {@code n} ACKs in all were sent; returns how many were. */
        int await(int n) {
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(1), n + " ACK(s) sent", () -> sent.get() >= n);
            return sent.get();
        }
    }

    @Test
    void aLoneAckIsSentAfterOneSyncAndAStreamOfAcksSharesSyncs() throws Exception {
        TestClock clock = new TestClock();
        CountingStore store = new CountingStore(clock);
        CountingSender sender = new CountingSender();
        GroupCommitter<DhcpLease> c = new GroupCommitter<>(CommitLog.of(store), sender, "test", clock);
        try {
            c.submit(new java.util.ArrayList<>(List.of(ack(0))));
            assertEquals(1, sender.await(1), "a lone ACK leaves after its sync");
            assertEquals(1, store.syncs.get());
            clock.advanceMillis(GroupCommitter.WINDOW_NS / 1e6 + 2); // past the window: the next ACK waits for nobody either
            int before = store.syncs.get();
            long t0 = clock.getAsLong();
            // 200 ACKs, one per read burst, arriving over ~20 ms: within each window they share a sync
            for (int i = 1; i <= 200; i++) {
                c.submit(new java.util.ArrayList<>(List.of(ack(i))));
                if (i % 10 == 0) {
                    Thread.sleep(1); // the arrival rate (real time: the committer's thread runs meanwhile), not a wait
                }
            }
            assertEquals(201, sender.await(201), "every ACK is sent");
            int syncs = store.syncs.get() - before;
            long windows = (clock.getAsLong() - t0) / GroupCommitter.WINDOW_NS;
            // without the window each of the 20 bursts would take a sync of its own (or more)
            assertTrue(syncs >= 1 && syncs <= windows + 2, syncs + " syncs for 200 ACKs over " + windows + " windows (at most one per window)");
        } finally {
            c.close();
        }
    }

    @Test
    void aSenderThatThrowsDoesNotStopTheAcksAfterIt() throws Exception {
        CountingStore store = new CountingStore(new TestClock());
        CountingSender counting = new CountingSender();
        java.util.concurrent.atomic.AtomicBoolean thrown = new java.util.concurrent.atomic.AtomicBoolean();
        GroupCommitter<DhcpLease> c = new GroupCommitter<>(CommitLog.of(store), acks -> {
            if (thrown.compareAndSet(false, true)) {
                acks.forEach(DatagramPacket::release);
                throw new IllegalStateException("first batch fails");
            }
            counting.send(acks);
        }, "test");
        try {
            c.submit(new java.util.ArrayList<>(List.of(ack(0))));
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(1), "the first batch's send to throw", thrown::get);
            c.submit(new java.util.ArrayList<>(List.of(ack(1))));
            assertEquals(1, counting.await(1), "the next batch is still synced and sent");
            assertTrue(!c.stopped(), "running");
        } finally {
            c.close();
        }
        assertTrue(c.stopped(), "closed: the thread has ended, so its socket descriptor may close");
    }

    @Test
    void theFirstSyncIsReportedApartAndSlowSyncsAreCounted() throws Exception {
        long[] syncMs = {80, 1, 15}; // the first (record writer set-up), a quick one, a slow disk
        AtomicInteger n = new AtomicInteger();
        TestClock clock = new TestClock();
        LeaseStore store = new CountingStore(clock) {
            @Override
            public void sync() {
                clock.advanceMillis(syncMs[Math.min(n.getAndIncrement(), syncMs.length - 1)]);
            }
        };
        CountingSender sender = new CountingSender();
        GroupCommitter<DhcpLease> c = new GroupCommitter<>(CommitLog.of(store), sender, "test", clock);
        try {
            for (int i = 0; i < 3; i++) {
                c.submit(new java.util.ArrayList<>(List.of(ack(i))));
                assertEquals(i + 1, sender.await(i + 1), "ACK " + i + " sent after its own sync");
            }
            SyncStats s = c.stats();
            assertEquals(3, s.syncs(), s.toString());
            assertEquals(3, s.acks(), s.toString());
            assertTrue(s.firstMillis() >= 80, "the first sync on its own: " + s);
            assertTrue(s.maxMillis() >= 15 && s.maxMillis() < s.firstMillis(), "the maximum leaves the first out: " + s);
            assertTrue(s.slowSyncs() >= 2, "the first and the 15 ms sync took over 10 ms: " + s);
        } finally {
            c.close();
        }
    }

    @Test
    void aBatchsLeasesAreRepliedAfterItsAcksLeftAndNotWhenTheSendFailed() throws Exception {
        TestClock clock = new TestClock();
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountingStore store = new CountingStore(clock) {
            @Override
            public void sync(java.util.Collection<DhcpLease> acknowledged) {
                super.sync();
                events.add("sync " + acknowledged.size());
            }

            @Override
            public void replied(java.util.Collection<DhcpLease> acknowledged) {
                events.add("replied " + acknowledged.size());
            }
        };
        java.util.concurrent.atomic.AtomicBoolean failSends = new java.util.concurrent.atomic.AtomicBoolean();
        AckSender sender = acks -> {
            acks.forEach(DatagramPacket::release);
            if (failSends.get()) {
                events.add("send failed");
                throw new IllegalStateException("no route");
            }
            events.add("sent " + acks.size());
        };
        DhcpLease lease = new DhcpLease(0x0a00_0002, org.vnetd.core.dhcp.ClientId.ofMac(org.vnetd.core.net.MacAddress.parse(
                "52:54:00:00:00:02")), org.vnetd.core.net.MacAddress.parse("52:54:00:00:00:02"), null, java.time.Instant.EPOCH);
        GroupCommitter<DhcpLease> c = new GroupCommitter<>(CommitLog.of(store), sender, "test", clock);
        try {
            c.submit(new java.util.ArrayList<>(List.of(ack(0))), List.of(lease));
            Await.until(Duration.ofSeconds(10), "the batch is replied", () -> events.contains("replied 1"));
            assertEquals(List.of("sync 1", "sent 1", "replied 1"), events, "listed only once its ACK has left");
            events.clear();
            failSends.set(true);
            clock.advanceMillis(GroupCommitter.WINDOW_NS / 1e6 + 2);
            c.submit(new java.util.ArrayList<>(List.of(ack(1))), List.of(lease));
            Await.until(Duration.ofSeconds(10), "the failed send", () -> events.contains("send failed"));
        } finally {
            c.close(); // joins the thread: whatever it did after the failed send is in the events now
        }
        assertEquals(List.of("sync 1", "send failed"), events, "a batch whose ACKs did not leave is not listed");
    }
}
