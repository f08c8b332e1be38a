package org.vnetd.daemon.port;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.LinkRef;

/**
 * Removes the taps of deleted ports in the background, in batches. Unregistering a net device waits
 * for RCU grace periods under RTNL (10-20 ms per device, whatever the device), while downing and
 * regrouping one costs ~0.1 ms. So a deleted port's tap is {@linkplain #retire retired} at once (down:
 * no traffic, a disabled port of its bridge until deleted; in link group {@link #GROUP}) and this reaper's thread deletes
 * the whole group with one RTM_DELLINK: the kernel unregisters every member in one batch and pays the
 * grace period once. A batch goes when port activity pauses for {@link #QUIET} (or when
 * {@link #MAX_BATCH} taps wait), so a burst of plugging and unplugging does not queue behind deletes;
 * taps retired while a batch is being deleted go with the next batch.
 * <p>
 * Group deletion removes every link in the group, so only this class ever sets {@link #GROUP}; at
 * startup {@link #reapLeftovers} removes what an earlier daemon left there (ports deleted just before
 * it stopped). Group deletes run on their own netlink socket ({@code deleter}), so port creation,
 * whose requests share the daemon's socket, never queues behind a grace period on our side.
 */
public final class TapReaper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TapReaper.class);
    /**
     * "vnet" in ASCII (1986946420). Link groups are free-form numbers that only matter to whoever set
     * them; iproute2 names only 0 ("default") in /etc/iproute2/group and admins pick small numbers, so a
     * foreign link in this group is not plausible. Group 0 can never be deleted by group (EPERM).
     */
    public static final int GROUP = 0x766e6574;
    /** A failed group delete is retried this often, a second apart, before its taps are given up on. */
    static final int ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** A batch is deleted once no tap was retired for this long... */
    static final Duration QUIET = Duration.ofMillis(20);
    /** ...or once this many wait (bounds both the RTNL hold of one delete and the taps left down). */
    static final int MAX_BATCH = 256;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final LinkBackend links;
    private final LinkBackend deleter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /**
     * Names of retired taps not yet known to be deleted, oldest first; a name can appear twice when a
     * new tap of that name was retired while the batch holding the old one was being deleted.
     */
    private final List<String> queued = new ArrayList<>();
    private final Thread thread;
    private long batches;
    private long reaped;
    private boolean closing;
    /** A caller waits for the queue to be deleted: no quiet period. */
    private boolean urgent;
    /** System.nanoTime() of the latest retire. */
    private long lastRetire;

    /**
     * @param links   retires taps (one quick request each, on the caller's thread)
     * @param deleter deletes the group, on the reaper's thread; a socket of its own in the same namespace
     */
    public TapReaper(LinkBackend links, LinkBackend deleter) {
        this.links = links;
        this.deleter = deleter;
        this.thread = Thread.ofPlatform().daemon().name("tap-reaper").start(this::run);
    }

    /**
     * Sets {@code tap} down and queues it for deletion, in one kernel request; when this returns the tap
     * carries no traffic. ENODEV (a {@link KernelException}) if it is
     * gone already.
     */
    public void retire(LinkRef tap) {
        links.retireLink(tap, GROUP);
        lock.lock();
        try {
            queued.add(tap.name());
            lastRetire = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code name} is a retired tap that may still exist in the kernel. */
    public boolean pending(String name) {
        lock.lock();
        try {
            return queued.contains(name);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code name} is no longer {@link #pending}; false when {@code timeout} passed first. */
    public boolean awaitReaped(String name, Duration timeout) throws InterruptedException {
        return awaitUntil(() -> !queued.contains(name), timeout);
    }

    /**
     * Deletes what is queued now, without waiting for a pause, and waits for it (a bridge is full of
     * retired ports, say); false when {@code timeout} passed first.
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            if (queued.isEmpty()) {
                return true;
            }
            urgent = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return awaitIdle(timeout);
    }

    /** Waits until every tap retired so far is deleted; false when {@code timeout} passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return awaitUntil(queued::isEmpty, timeout);
    }

    /** Waits (under the lock, woken by each change of the queue) until {@code done} holds. */
    private boolean awaitUntil(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes what an earlier daemon retired and did not delete (it stopped or crashed in between):
     * those were deleted ports. Runs on the caller's thread; true if there was something to delete.
     */
    public boolean reapLeftovers() {
        boolean any = deleter.deleteLinkGroup(GROUP);
        if (any) {
            LOG.info("removed taps of deleted ports left in link group {} by an earlier run", Integer.toUnsignedString(GROUP));
        }
        return any;
    }

    /** Group deletes sent so far (each removes every tap retired before it) and the taps they removed. */
    public record Counts(long batches, long reaped) {
    }

    public Counts counts() {
        lock.lock();
        try {
            return new Counts(batches, reaped);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<String> batch;
            lock.lock();
            try {
                while (queued.isEmpty() && !closing) {
                    changed.awaitUninterruptibly();
                }
                // a group delete holds RTNL for ~0.1-0.3 ms per tap; run while ports are being plugged and
                // unplugged, every one of those requests waits behind it: wait for a pause instead
                long sinceRetire;
                while (!closing && !urgent && queued.size() < MAX_BATCH
                        && (sinceRetire = System.nanoTime() - lastRetire) < QUIET.toNanos()) {
                    try {
                        changed.awaitNanos(QUIET.toNanos() - sinceRetire);
                    } catch (InterruptedException e) {
                        // nobody interrupts this thread but the JVM's exit: delete what is queued now
                        break;
                    }
                }
                if (queued.isEmpty()) {
                    return;
                }
                // every tap queued now was retired (its request acknowledged) before the delete below
                batch = List.copyOf(queued);
                urgent = false;
            } finally {
                lock.unlock();
            }
            long t0 = System.nanoTime();
            boolean deleted = deleteWithRetries(batch);
            lock.lock();
            try {
                queued.subList(0, batch.size()).clear(); // the batch is the queue's head: retire() only appends
                if (deleted) {
                    batches++;
                    reaped += batch.size();
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (deleted) {
                // one line per batch, never more than the "port deleted" lines it follows
                LOG.info("reaped {} tap(s) of deleted ports with one group delete in {} ms", batch.size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        }
    }

    /**
     * One group delete, retried; ENODEV (empty group: the taps went away by themselves, e.g. their
     * holders closed them) counts as done. After {@link #ATTEMPTS} failures the batch is given up on and
     * reported: its taps stay down in the group.
     */
    private boolean deleteWithRetries(List<String> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                deleter.deleteLinkGroup(GROUP);
                return true;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    LOG.error("cannot delete the {} retired tap(s) {} (link group {}): {}; they stay down; "
                            + "remove them with 'ip link del group {}'", batch.size(), batch, Integer.toUnsignedString(GROUP),
                            e.getMessage(), Integer.toUnsignedString(GROUP));
                    return false;
                }
                LOG.warn("deleting retired taps (link group {}) failed, retrying: {}", Integer.toUnsignedString(GROUP), e.getMessage());
                try {
                    Thread.sleep(RETRY_PAUSE);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Deletes what is queued, then stops the thread (bounded wait); the backends stay open (not ours). */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("tap reaper did not finish within {} s; retired taps left in link group {} go at the next start",
                    CLOSE_WAIT.toSeconds(), Integer.toUnsignedString(GROUP));
        }
    }
}
