package org.vnetd.daemon.libvirtimport;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * A test's fault-injection point in the release: with {@code VNETD_TEST_PAUSE_RELEASE_AT=STEP} in its
 * environment the daemon stops after that step of a release from libvirt (for at most five minutes) and says
 * so in its log, so a test can kill it there and see what a restarted daemon makes of the half-done takeover.
 * Without it, {@link #after} does nothing.
 */
final class ReleasePause {
    private static final Logger LOG = LoggerFactory.getLogger(ReleasePause.class);
    static final String VARIABLE = "VNETD_TEST_PAUSE_RELEASE_AT";
    /** What the log says once paused: a test waits for it. */
    static final String PAUSED = "paused for a test after the release step";
    private static final long MAX_PAUSE_NANOS = TimeUnit.MINUTES.toNanos(5);

    /** The steps, in the order the release takes them. */
    enum Step {
        RECORDED, STATUS_SET_ASIDE, RULES_REMOVED, DNSMASQ_STOPPED, RADVD_STOPPED, RELEASED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Optional<Step> at;

    ReleasePause(Optional<Step> at) {
        this.at = at;
    }

    static ReleasePause none() {
        return new ReleasePause(Optional.empty());
    }

    /** From {@link #VARIABLE} in {@code environment}; an unknown step is an error naming the known ones. */
    static ReleasePause fromEnvironment(Map<String, String> environment) {
        String v = environment.get(VARIABLE);
        if (v == null || v.isEmpty()) {
            return none();
        }
        for (Step s : Step.values()) {
            if (s.label().equals(v)) {
                LOG.warn("{}={}: a release from libvirt will pause after that step (a test's fault-injection point)", VARIABLE, v);
                return new ReleasePause(Optional.of(s));
            }
        }
        throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "%s=%s: no such step (known: %s)", VARIABLE, v,
                String.join(", ", java.util.Arrays.stream(Step.values()).map(Step::label).toList()));
    }

    void after(Step step, String network) {
        if (at.isEmpty() || at.get() != step) {
            return;
        }
        LOG.warn("network '{}': {} '{}' ({}); kill the daemon now", network, PAUSED, step.label(), VARIABLE);
        long deadline = System.nanoTime() + MAX_PAUSE_NANOS;
        for (long left = MAX_PAUSE_NANOS; left > 0 && !Thread.currentThread().isInterrupted(); left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        LOG.warn("network '{}': not killed within five minutes of the pause; going on", network);
    }
}
