package org.vnetd.daemon.dhcp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLongArray;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.LeaseStore;

/**
 * Holds ACKs until the lease changes behind them are durable. One thread loops: take every ACK
 * queued so far, {@link LeaseStore#sync()} once (which covers every change appended before the ACKs
 * were queued), then hand the ACKs to the channel. The event loop never waits for the disk, so it
 * keeps serving while a sync is in flight; ACKs queued meanwhile form the next batch. A synced batch
 * goes to the event loop as one task (not one task per ACK plus a flush), and only then does the
 * thread do the store's housekeeping ({@link LeaseStore#prepareAhead()}), which no ACK waits for.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private final LeaseStore store;
    private final Channel channel;
    private final Object lock = new Object();
    private final AtomicLongArray stats = new AtomicLongArray(4); // syncs, acks, total ns, max ns
    private final Thread thread;
    private List<DatagramPacket> queue = new ArrayList<>();
    private boolean closed;

    GroupCommitter(LeaseStore store, Channel channel, String name) {
        this.store = store;
        this.channel = channel;
        this.thread = Thread.ofPlatform().daemon(true).name("dhcp-sync-" + name).start(this::run);
    }

    /** Queues ACKs; they are sent once durable, or dropped (and released) if the store fails. */
    void submit(List<DatagramPacket> acks) {
        synchronized (lock) {
            if (closed) {
                acks.forEach(DatagramPacket::release);
                return;
            }
            boolean wasEmpty = queue.isEmpty();
            queue.addAll(acks);
            if (wasEmpty) {
                lock.notifyAll();
            }
        }
    }

    SyncStats stats() {
        return new SyncStats(stats.get(0), stats.get(1), stats.get(2) / 1e6, stats.get(3) / 1e6);
    }

    private void run() {
        prepareAhead(); // preallocate the log before the first ACK needs it
        while (true) {
            List<DatagramPacket> batch;
            synchronized (lock) {
                while (queue.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return; // closed and drained
                }
                batch = queue;
                queue = new ArrayList<>();
            }
            long t0 = System.nanoTime();
            try {
                store.sync();
            } catch (RuntimeException e) {
                // not durable: the clients get no ACK and retry; sending it would break the promise
                LOG.error("lease store failed, {} ACK(s) withheld: {}", batch.size(), e.getMessage());
                batch.forEach(DatagramPacket::release);
                continue;
            }
            long took = System.nanoTime() - t0;
            stats.incrementAndGet(0);
            stats.addAndGet(1, batch.size());
            stats.addAndGet(2, took);
            stats.accumulateAndGet(3, took, Math::max);
            send(batch);
            prepareAhead();
        }
    }

    private void send(List<DatagramPacket> batch) {
        try {
            channel.eventLoop().execute(() -> {
                for (DatagramPacket p : batch) {
                    channel.write(p);
                }
                channel.flush();
            });
        } catch (RejectedExecutionException e) {
            // the loop is shutting down: the socket is gone, the leases are durable, the clients retry
            batch.forEach(DatagramPacket::release);
        }
    }

    private void prepareAhead() {
        try {
            store.prepareAhead();
        } catch (RuntimeException e) {
            LOG.warn("lease store housekeeping failed: {}", e.getMessage());
        }
    }

    /** Syncs and sends what is queued, then stops the thread. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
