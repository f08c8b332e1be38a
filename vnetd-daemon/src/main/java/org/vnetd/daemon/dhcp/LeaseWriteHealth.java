package org.vnetd.daemon.dhcp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Whether a lease log can be written, and when to try again when it cannot (a full disk): a failed
 * write withholds ACKs until a later write or probe goes through, tried after a bounded backoff
 * ({@link RetryBackoff}) so that a disk that stays full costs one attempt every few seconds. The
 * listener hears each change of {@link #problem()}. Changed under the store's I/O lock; read from any thread.
 */
final class LeaseWriteHealth {
    // the store's category: operators grep for one logger per lease store
    private static final Logger LOG = LoggerFactory.getLogger(DurableLeaseStore.class);

    private final Path wal;
    /** Why the last write failed; null while the log is writable. */
    private volatile IOException failure;
    private final RetryBackoff retry = new RetryBackoff(System::nanoTime);
    private final RateLimitedLog errors = new RateLimitedLog(LOG, Level.ERROR, DurableLeaseStore.LOG_INTERVAL_NANOS);
    private volatile Runnable listener = () -> { };

    LeaseWriteHealth(Path wal) {
        this.wal = wal;
    }

    /** Why the last write failed, or null while the log is writable. */
    IOException failure() {
        return failure;
    }

    /** Whether a write may be tried again now. */
    boolean retryDue() {
        return retry.due();
    }

    long retryInMillis() {
        return retry.remaining() / 1_000_000;
    }

    /** The log cannot be written; later syncs withhold their ACKs until it can. */
    void failed(IOException e) {
        boolean first = failure == null;
        failure = e;
        long delay = retry.failed();
        errors.log("lease log {} cannot be written: {}; ACKs are withheld, next try in {} ms", wal, e.toString(), delay / 1_000_000);
        if (first) {
            listener.run();
        }
    }

    /** A write (or a probe) went through after failures. */
    void recovered() {
        failure = null;
        retry.succeeded();
        errors.reset();
        LOG.info("lease log {} is writable again; ACKs are sent again", wal);
        listener.run();
    }

    Optional<String> problem() {
        IOException f = failure;
        return f == null ? Optional.empty()
                : Optional.of("lease log " + wal + " cannot be written (" + f.getMessage() + "); DHCP ACKs are withheld until it can");
    }

    void onChange(Runnable l) {
        listener = l;
    }
}
