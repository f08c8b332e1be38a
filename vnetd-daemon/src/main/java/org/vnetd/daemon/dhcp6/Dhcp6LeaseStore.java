package org.vnetd.daemon.dhcp6;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.dhcp.CommitLog;
import org.vnetd.daemon.dhcp.LeaseLog;
import org.vnetd.daemon.dhcp.LeaseLogReplay;
import org.vnetd.daemon.state.AtomicFiles;
import org.vnetd.daemon.state.FileModes;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One network's DHCPv6 leases on disk, on DHCPv4's lease log: a snapshot ({@code NAME.dhcp6.json},
 * {@link Dhcp6LeaseFile}) plus a preallocated write-ahead log of JSON lines ({@code NAME.dhcp6.wal},
 * {@link LeaseLog}). The event loop {@link #append}s each change of a REPLY; the {@code GroupCommitter}'s
 * thread {@link #sync}s every change queued so far with one fdatasync and only then sends the replies:
 * every REPLY'd lease is durable before the client hears of it, and the disk is never waited for on the
 * event loop. Opening replays the snapshot then the log (the last record of a binding decides) and
 * compacts; the log is compacted again (snapshot rewritten, log emptied) in the housekeeping after a
 * batch has left, once it holds {@link #COMPACT_AFTER} records. A snapshot written by the first
 * DHCPv6 server (the whole-file store, no log) loads as it is.
 *
 * <p>Only leases whose records are durable are {@link #leases() listed}: a binding whose REPLY was
 * withheld (the write failed) never is, and its change is dropped, not retried (the client was never
 * told; its next request binds anew). Two locks: the queue's ({@code pendingLock}), which appends take,
 * and {@code ioLock} for the files and the durable set.
 */
final class Dhcp6LeaseStore implements CommitLog<Dhcp6Lease>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6LeaseStore.class);
    /** Records in the log that make the housekeeping compact it (a snapshot of the live leases). */
    static final int COMPACT_AFTER = 20_000;

    private record Binding(Duid client, long iaid) {
        static Binding of(Dhcp6Lease l) {
            return new Binding(l.client(), l.iaid());
        }
    }

    private final Object pendingLock = new Object();
    private List<Dhcp6LeaseChange> pending = new ArrayList<>(); // pendingLock
    private boolean closed; // pendingLock
    private final Object ioLock = new Object();
    private final Map<Binding, Dhcp6Lease> durable = new LinkedHashMap<>(); // ioLock
    private final Dhcp6LeaseFile snapshot;
    private final LeaseLog log; // ioLock
    private final Clock clock;
    private volatile Consumer<Dhcp6LeaseChange> durableListener = c -> { };

    private Dhcp6LeaseStore(Path dir, String name, ObjectMapper json, Clock clock) throws IOException {
        this.clock = clock;
        if (!Files.isDirectory(dir)) {
            FileModes.directory(dir, FileModes.PRIVATE_DIR);
        }
        this.snapshot = new Dhcp6LeaseFile(dir.resolve(name + ".dhcp6.json"), json);
        Path wal = dir.resolve(name + ".dhcp6.wal");
        boolean walExisted = Files.exists(wal);
        for (Dhcp6Lease l : snapshot.read()) {
            durable.put(Binding.of(l), l);
        }
        LeaseLogReplay replayed = LeaseLogReplay.of(wal, line -> apply(json.readValue(line, Dhcp6LeaseRecord.class)));
        this.log = LeaseLog.open(wal, () -> json.writerFor(Dhcp6LeaseRecord.class).withRootValueSeparator("\n"));
        if (replayed.used()) {
            try {
                compact();
            } catch (VnetException | IOException e) {
                // no room for a snapshot: go on appending to the replayed log, compact later
                log.appendAfter(replayed);
                LOG.warn("DHCPv6 lease store {}: cannot compact at open ({}); appending to the replayed log", wal, e.getMessage());
            }
        } else if (walExisted) {
            log.appendFromStart();
        } else {
            AtomicFiles.syncDirectory(dir); // the new log's entry durable before a record is synced into it
        }
    }

    /** Opens (creating if needed) {@code dir/NAME.dhcp6.json} + {@code dir/NAME.dhcp6.wal}. */
    static Dhcp6LeaseStore open(Path dir, String name, ObjectMapper json, Clock clock) {
        try {
            return new Dhcp6LeaseStore(dir, name, json, clock);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot open the DHCPv6 lease store " + dir.resolve(name) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Told each change once it is durable, on the syncing thread under the store's lock: quick, non-blocking. */
    void onDurable(Consumer<Dhcp6LeaseChange> listener) {
        durableListener = Objects.requireNonNull(listener);
    }

    /** The leases the files hold, expired ones included (the server skips them). */
    List<Dhcp6Lease> load() {
        synchronized (ioLock) {
            return List.copyOf(durable.values());
        }
    }

    /** The durable leases not expired at {@code now}: the ones clients were told of. */
    List<Dhcp6Lease> leases(Instant now) {
        synchronized (ioLock) {
            return durable.values().stream().filter(l -> !l.isExpired(now)).toList();
        }
    }

    /** Queues a change; it is durable once a later {@link #sync} returns. */
    void append(Dhcp6LeaseChange c) {
        synchronized (pendingLock) {
            if (closed) {
                throw new VnetException(ErrorCode.STATE_IO, "the DHCPv6 lease store " + log.path() + " is closed");
            }
            pending.add(c);
        }
    }

    @Override
    public void sync(Collection<Dhcp6Lease> acknowledged) {
        synchronized (ioLock) {
            List<Dhcp6LeaseChange> batch;
            synchronized (pendingLock) {
                batch = pending;
                pending = new ArrayList<>();
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                log.write(batch, Dhcp6LeaseRecord::of);
            } catch (IOException e) {
                putBack(batch, acknowledged);
                throw new VnetException(ErrorCode.STATE_IO, "cannot write the DHCPv6 lease log " + log.path() + ": "
                        + e.getMessage(), e);
            }
            Consumer<Dhcp6LeaseChange> told = durableListener;
            for (Dhcp6LeaseChange c : batch) {
                applyDurable(c);
                told.accept(c);
            }
        }
    }

    /** Everything queued, written now (tests, close). */
    void sync() {
        sync(List.of());
    }

    /** A batch that failed goes back to the queue's head, except the bindings of withheld replies. */
    private void putBack(List<Dhcp6LeaseChange> batch, Collection<Dhcp6Lease> acknowledged) {
        Set<Dhcp6Lease> withheld = Collections.newSetFromMap(new IdentityHashMap<>());
        withheld.addAll(acknowledged);
        List<Dhcp6LeaseChange> kept = new ArrayList<>();
        for (Dhcp6LeaseChange c : batch) {
            if (c.removes() || !withheld.contains(c.lease())) {
                kept.add(c);
            }
        }
        synchronized (pendingLock) {
            kept.addAll(pending);
            pending = kept;
        }
    }

    @Override
    public void prepareAhead() {
        synchronized (ioLock) {
            synchronized (pendingLock) {
                if (closed) {
                    return;
                }
            }
            if (log.records() >= COMPACT_AFTER) {
                try {
                    compact();
                } catch (IOException | VnetException e) {
                    LOG.warn("DHCPv6 lease store {}: compaction failed, the log goes on: {}", log.path(), e.getMessage());
                }
            }
            log.preallocate();
        }
    }

    /** Under ioLock (or at open): the durable leases, expired ones dropped, into a new snapshot, then an empty log. */
    private void compact() throws IOException {
        Instant now = clock.instant();
        durable.values().removeIf(l -> l.isExpired(now));
        snapshot.write(durable.values());
        log.truncate();
    }

    private void apply(Dhcp6LeaseRecord r) {
        Dhcp6Lease l = r.toLease();
        applyDurable(new Dhcp6LeaseChange(r.removes(), l));
    }

    private void applyDurable(Dhcp6LeaseChange c) {
        Binding b = Binding.of(c.lease());
        if (!c.removes()) {
            durable.put(b, c.lease());
        } else {
            Dhcp6Lease cur = durable.get(b);
            if (cur != null && cur.address().equals(c.lease().address())) {
                durable.remove(b);
            }
        }
    }

    /** Writes what is queued, compacts when the log holds anything, closes. */
    @Override
    public void close() {
        synchronized (ioLock) {
            synchronized (pendingLock) {
                if (closed) {
                    return;
                }
            }
            try {
                sync();
                if (log.records() > 0) {
                    compact();
                }
            } catch (IOException e) {
                throw new VnetException(ErrorCode.STATE_IO, "closing the DHCPv6 lease store " + log.path() + ": " + e.getMessage(), e);
            } finally {
                synchronized (pendingLock) {
                    closed = true;
                }
                log.close();
            }
        }
    }
}
