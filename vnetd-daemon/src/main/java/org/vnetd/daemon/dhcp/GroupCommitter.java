package org.vnetd.daemon.dhcp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.netty.channel.socket.DatagramPacket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Holds ACKs until the lease changes behind them are durable. One thread loops: take every ACK
 * queued so far, {@link CommitLog#sync} once (which covers every change appended before the ACKs
 * were queued), then send the ACKs ({@link AckSender}: in the daemon straight from this thread, not
 * through the event loop) and tell the store they left ({@link CommitLog#replied}: listings show
 * those leases from then on). The event loop never waits for the disk, so it keeps serving while a sync
 * is in flight; ACKs queued meanwhile form the next batch. Only after the send does the thread do the
 * store's housekeeping ({@link CommitLog#prepareAhead()}), which no ACK waits for.
 *
 * <p>The hand-off is a lock-free queue plus park/unpark: the event loop never contends for a monitor
 * with this thread (with a shared lock it spun or blocked on it once per read burst).
 */
public final class GroupCommitter<L> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /**
     * Under load, a sync starts at most once per this window: ACKs arriving within it after the previous
     * sync's start share the next fdatasync. Each sync costs system calls, a disk request and thread
     * wake-ups (dear on a VM), so at thousands of ACKs a second fewer, larger syncs leave more CPU for
     * answering; a lone client (no sync in the last window) never waits for it. Why 3 ms rather than 1:
     * bench/dhcp/README.md, "Figures behind the code".
     */
    static final long WINDOW_NS = 3_000_000L;
    /** A batch this large syncs at once, window or not. */
    static final int FULL_BATCH = 256;

    private final CommitLog<L> store;
    private final AckSender sender;
    /** A sync slower than this is counted apart: it alone puts a lone client's bind time over 10 ms. */
    static final long SLOW_SYNC_NS = 10_000_000L;
    /**
     * A sync, or housekeeping (which an ACK arriving meanwhile waits for), slower than this is logged
     * at debug level: with the rest of a lone client's path it comes close to 10 ms
     * (bench/dhcp/README.md, "Figures behind the code").
     */
    static final long LOGGED_NS = 5_000_000L;
    /** A sync slower than this is a stalled disk, logged as a warning: guests wait that long for an ACK. */
    static final long STALLED_SYNC_NS = 1_000_000_000L;
    // syncs, acks, total ns, first sync ns, max ns after the first, syncs over SLOW_SYNC_NS
    private final AtomicLongArray stats = new AtomicLongArray(6);
    private final ConcurrentLinkedQueue<Held<L>> queue = new ConcurrentLinkedQueue<>();

    /** ACKs and the bindings they acknowledge (dropped from the store with them when a sync fails). */
    private record Held<L>(List<DatagramPacket> acks, List<L> leases) {
        static <L> Held<L> none() {
            return new Held<>(List.of(), List.of());
        }

        boolean isEmpty() {
            return acks.isEmpty();
        }

        int size() {
            return acks.size();
        }
    }
    private final Thread thread;
    private volatile boolean closed;
    /** The thread is gathering ACKs for the next sync until a deadline: submit() need not wake it. */
    private volatile boolean gathering;
    /** System.nanoTime, or a test's clock that its fake syncs advance instead of sleeping. */
    private final LongSupplier nanoClock;
    private long lastSyncStart;
    /**
     * While the store fails, an idle thread wakes this often for its housekeeping, which tries the disk
     * again (after the store's own backoff): the store recovers when space returns, not only at the
     * next client's request.
     */
    static final long RETRY_POLL_NS = 1_000_000_000L;
    private boolean storeFailing; // this thread only
    private final RateLimitedLog withheld = new RateLimitedLog(LOG, Level.ERROR, DurableLeaseStore.LOG_INTERVAL_NANOS);

    public GroupCommitter(CommitLog<L> store, AckSender sender, String name) {
        this(store, sender, name, System::nanoTime);
    }

    GroupCommitter(CommitLog<L> store, AckSender sender, String name, LongSupplier nanoClock) {
        this.store = store;
        this.sender = sender;
        this.nanoClock = nanoClock;
        this.lastSyncStart = nanoClock.getAsLong() - WINDOW_NS;
        this.thread = Thread.ofPlatform().daemon(true).name("dhcp-sync-" + name).start(this::run);
    }

    /** Queues ACKs; they are sent once durable, or dropped (and released) if the store fails. */
    public void submit(List<DatagramPacket> acks) {
        submit(acks, List.of());
    }

    /** Queues ACKs for {@code leases}: if the sync fails, the ACKs are dropped and so are those bindings. */
    public void submit(List<DatagramPacket> acks, List<L> leases) {
        if (closed) {
            acks.forEach(DatagramPacket::release);
            return;
        }
        queue.add(new Held<>(acks, leases));
        if (!gathering) {
            LockSupport.unpark(thread);
        }
    }

    public SyncStats stats() {
        return new SyncStats(stats.get(0), stats.get(1), stats.get(2) / 1e6, stats.get(3) / 1e6, stats.get(4) / 1e6, stats.get(5));
    }

    private Held<L> drain() {
        Held<L> first = queue.poll();
        if (first == null) {
            return Held.none();
        }
        Held<L> next = queue.poll();
        if (next == null) {
            return first;
        }
        List<DatagramPacket> acks = new ArrayList<>(first.size() + next.size() + 16);
        List<L> leases = new ArrayList<>(first.leases().size() + next.leases().size() + 16);
        acks.addAll(first.acks());
        leases.addAll(first.leases());
        do {
            acks.addAll(next.acks());
            leases.addAll(next.leases());
        } while ((next = queue.poll()) != null);
        return new Held<>(acks, leases);
    }

    private void run() {
        prepareAhead(); // preallocate the log before the first ACK needs it
        while (true) {
            Held<L> batch = drain();
            if (batch.isEmpty()) {
                if (closed) {
                    return; // closed and drained (close() releases whatever raced in after this)
                }
                if (storeFailing) {
                    LockSupport.parkNanos(this, RETRY_POLL_NS);
                    prepareAhead();
                } else {
                    LockSupport.park(this); // submit()'s unpark ends it, or has already given the permit
                }
                continue;
            }
            batch = gather(batch);
            long t0 = nanoClock.getAsLong();
            lastSyncStart = t0;
            try {
                store.sync(batch.leases());
            } catch (RuntimeException e) {
                // not durable: the clients get no ACK and retry; sending it would break the promise
                storeFailing = true;
                withheld.log("lease store failed, {} ACK(s) withheld: {}", batch.size(), e.getMessage());
                batch.acks().forEach(DatagramPacket::release);
                continue;
            }
            storeFailing = false;
            withheld.reset();
            long took = nanoClock.getAsLong() - t0;
            int acks = batch.size();
            if (send(batch.acks())) { // first: the figures below wait, the ACKs do not
                replied(batch.leases());
            }
            record(took, acks);
            prepareAhead();
        }
    }

    /**
     * The first sync is kept apart from the maximum: it makes the log's record writer (lazily, see
     * DurableLeaseStore), so it says how the start went, not how the disk does. This thread is the only
     * writer: plain sets, no accumulateAndGet(Math::max), whose method reference was linked (a class
     * read from the JDK's modules) at the first ACK.
     */
    private void record(long took, int acks) {
        long n = stats.incrementAndGet(0);
        stats.addAndGet(1, acks);
        stats.addAndGet(2, took);
        if (n == 1) {
            stats.set(3, took);
        } else if (took > stats.get(4)) {
            stats.set(4, took);
        }
        if (took > SLOW_SYNC_NS) {
            stats.incrementAndGet(5);
        }
        if (took > STALLED_SYNC_NS) {
            LOG.warn("lease log sync took {} ms: {} ACK(s) waited for the disk", took / 1_000_000, acks);
        } else if (took > LOGGED_NS && LOG.isDebugEnabled()) {
            LOG.debug("lease log sync took {} ms for {} ACK(s)", String.format("%.2f", took / 1e6), acks);
        }
    }

    /** Whether the batch left. */
    private boolean send(List<DatagramPacket> batch) {
        try {
            sender.send(batch);
            return true;
        } catch (RuntimeException e) {
            // this thread must outlive one bad batch: every later ACK depends on it (the leases are
            // durable, so the guests that miss this batch's ACKs get them when they ask again)
            LOG.error("{} synced ACK(s) not sent: {}", batch.size(), e.toString());
            return false;
        }
    }

    /** The batch's leases are listed from now on: their clients have been told. */
    private void replied(List<L> leases) {
        try {
            store.replied(leases);
        } catch (RuntimeException e) {
            LOG.warn("lease store: {} acknowledged lease(s) not listed: {}", leases.size(), e.toString());
        }
    }

    /** Waits out the rest of the window since the previous sync's start, taking in what is submitted meanwhile. */
    private Held<L> gather(Held<L> batch) {
        long deadline = lastSyncStart + WINDOW_NS;
        if (nanoClock.getAsLong() >= deadline || batch.size() >= FULL_BATCH) {
            return batch;
        }
        gathering = true;
        try {
            long left;
            while ((left = deadline - nanoClock.getAsLong()) > 0 && !closed) {
                LockSupport.parkNanos(this, left);
            }
        } finally {
            gathering = false;
        }
        Held<L> more = drain();
        if (more.isEmpty()) {
            return batch;
        }
        List<DatagramPacket> acks = new ArrayList<>(batch.size() + more.size());
        acks.addAll(batch.acks());
        acks.addAll(more.acks());
        List<L> leases = new ArrayList<>(batch.leases().size() + more.leases().size());
        leases.addAll(batch.leases());
        leases.addAll(more.leases());
        return new Held<>(acks, leases);
    }

    private void prepareAhead() {
        long t0 = nanoClock.getAsLong();
        try {
            store.prepareAhead();
        } catch (RuntimeException e) {
            LOG.warn("lease store housekeeping failed: {}", e.getMessage());
        }
        long took = nanoClock.getAsLong() - t0;
        if (took > LOGGED_NS && LOG.isDebugEnabled()) {
            LOG.debug("lease log housekeeping took {} ms", String.format("%.2f", took / 1e6));
        }
    }

    /** Syncs and sends what is queued, then stops the thread. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Held<L> late;
        while (!(late = drain()).isEmpty()) {
            late.acks().forEach(DatagramPacket::release); // submitted while closing: never synced, never sent
        }
    }

    /** The thread has ended: nothing will be sent any more (false while a sync still hangs after close). */
    public boolean stopped() {
        return !thread.isAlive();
    }
}
