package org.vnetd.core.ra;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When the next multicast router advertisement is due, on a monotonic millisecond clock the caller
 * supplies (RFC 4861 §6.2.4, §6.2.6): the first at once, the first {@value RaTiming#MAX_INITIAL_ADVERTISEMENTS}
 * at most 16 s apart, then every random MinRtrAdvInterval..MaxRtrAdvInterval; a solicitation brings
 * the next one forward to a random 0-500 ms from now, but never closer than 3 s to the previous one.
 * Many solicitations in a row share one answer.
 */
public final class RaSchedule {
    private final RaTiming timing;
    private final RandomGenerator random;
    private long next;
    private long lastSent;
    private int sent;
    private boolean started;
    /** A solicitation has brought the next advertisement forward and it has not gone out yet. */
    private boolean answerPending;
    /** What {@link #sent} replaced, for {@link #failed}. */
    private long lastSentBefore;
    private int sentBefore;

    public RaSchedule(RaTiming timing, RandomGenerator random) {
        this.timing = Objects.requireNonNull(timing, "timing");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Starts the schedule; the first advertisement is due at {@code now}. */
    public void start(long now) {
        started = true;
        next = now;
        sent = 0;
    }

    public boolean due(long now) {
        return started && now >= next;
    }

    /** The monotonic time the next advertisement is due; only meaningful once started. */
    public long nextDue() {
        return next;
    }

    /** Records a multicast advertisement sent at {@code now} and picks when the next is due. */
    public void sent(long now) {
        lastSentBefore = lastSent;
        sentBefore = sent;
        lastSent = now;
        sent++;
        answerPending = false;
        long interval = uniform(timing.min().toMillis(), timing.max().toMillis());
        if (sent < RaTiming.MAX_INITIAL_ADVERTISEMENTS) {
            interval = Math.min(interval, RaTiming.MAX_INITIAL_INTERVAL.toMillis());
        }
        next = now + interval;
    }

    /**
     * The advertisement {@link #sent} recorded did not go out (a bridge without carrier has no usable
     * link-local address yet): it is not one of the initial advertisements and does not hold the next
     * answer 3 s back, since nothing reached the link. The next try stays where {@link #sent} put it, so
     * a bridge without ports is not retried in a loop; the first guest to come up solicits and is
     * answered at once.
     */
    public void failed() {
        lastSent = lastSentBefore;
        sent = sentBefore;
    }

    /**
     * A valid solicitation arrived at {@code now}: the answer is the next multicast advertisement, brought
     * forward. Returns whether this solicitation got an answer of its own, false when it is rate-limited:
     * it shares the advertisement an earlier solicitation brought forward, or the 3 s spacing held its
     * answer back (RFC 4861 §6.2.6).
     */
    public boolean solicited(long now) {
        if (!started) {
            return false;
        }
        long wanted = now + uniform(0, RaTiming.MAX_RA_DELAY.toMillis());
        long answer = sent > 0 ? Math.max(wanted, lastSent + RaTiming.MIN_DELAY_BETWEEN_RAS.toMillis()) : wanted;
        boolean own = !answerPending && answer == wanted;
        if (answer < next) {
            next = answer;
            answerPending = true;
        }
        return own;
    }

    private long uniform(long lo, long hi) {
        return lo == hi ? lo : random.nextLong(lo, hi + 1);
    }
}
