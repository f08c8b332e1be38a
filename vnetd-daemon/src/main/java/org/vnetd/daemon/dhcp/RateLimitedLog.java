package org.vnetd.daemon.dhcp;

import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One log line per interval for an error that repeats: the first occurrence is logged at once, later
 * ones within the interval are counted, and the next line logged says how many were left out. A full
 * disk failed the lease log's preallocation 306 times in 3.5 s, each a line of its own.
 */
final class RateLimitedLog {
    private final Logger log;
    private final Level level;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lastLogged;
    private boolean logged;
    private long suppressed;

    RateLimitedLog(Logger log, Level level, long intervalNanos, LongSupplier nanoTime) {
        this.log = log;
        this.level = level;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
    }

    RateLimitedLog(Logger log, Level level, long intervalNanos) {
        this(log, level, intervalNanos, System::nanoTime);
    }

    /** Logs {@code message} (slf4j {} placeholders) unless a line was logged within the interval. */
    synchronized void log(String message, Object... args) {
        long now = nanoTime.getAsLong();
        if (logged && now - lastLogged < intervalNanos) {
            suppressed++;
            return;
        }
        String line = suppressed == 0 ? message
                : message + " (" + suppressed + " more like it in the last " + (now - lastLogged) / 1_000_000 + " ms)";
        log.atLevel(level).log(line, args);
        lastLogged = now;
        logged = true;
        suppressed = 0;
    }

    /** The next occurrence is logged at once (the condition ended). */
    synchronized void reset() {
        logged = false;
        suppressed = 0;
    }
}
