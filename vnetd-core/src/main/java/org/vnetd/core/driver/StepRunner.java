package org.vnetd.core.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Applies steps in order; when one fails, undoes those already applied in reverse and rethrows the
 * first error (undo failures are attached as suppressed, never replace it), as libvirt's
 * networkStartNetworkVirtual does with virErrorPreserveLast.
 */
public final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private StepRunner() {
    }

    /**
     * @param progress called after each step with everything applied so far, so the caller can
     *                 persist it before the next step runs (a crash then leaves an exact record)
     */
    public static List<AppliedStep> applyAll(String network, List<NetworkStep> steps, Consumer<List<AppliedStep>> progress) {
        List<AppliedStep> done = new ArrayList<>();
        for (NetworkStep step : steps) {
            try {
                long t0 = System.nanoTime();
                Map<String, String> record = step.apply();
                long t1 = System.nanoTime();
                done.add(new AppliedStep(step.id(), record == null ? Map.of() : record));
                progress.accept(List.copyOf(done));
                if (LOG.isDebugEnabled()) {
                    LOG.debug("network '{}': {} took {} us (+{} us to record it)", network, step.id(), (t1 - t0) / 1000,
                            (System.nanoTime() - t1) / 1000);
                }
            } catch (Exception e) {
                // Exception, not RuntimeException: libraries (netty) may throw checked exceptions undeclared
                VnetException first = asVnet(e, network, step.id());
                LOG.info("starting network '{}' failed at step '{}', undoing {} step(s)", network, step.id(), done.size());
                List<RuntimeException> undoErrors = rollbackAll(network, steps, done);
                undoErrors.forEach(first::addSuppressed);
                throw first;
            }
        }
        return done;
    }

    /**
     * Undoes {@code applied} in reverse order using the matching steps; keeps going past failures
     * and returns them all (teardown must remove as much as it can).
     */
    public static List<RuntimeException> undoAll(String network, List<NetworkStep> steps, List<AppliedStep> applied) {
        return revert(network, steps, applied, false);
    }

    /** As {@link #undoAll}, for a start that failed or was interrupted: {@link NetworkStep#rollback}. */
    public static List<RuntimeException> rollbackAll(String network, List<NetworkStep> steps, List<AppliedStep> applied) {
        return revert(network, steps, applied, true);
    }

    private static List<RuntimeException> revert(String network, List<NetworkStep> steps, List<AppliedStep> applied, boolean rollback) {
        List<RuntimeException> errors = new ArrayList<>();
        for (int i = applied.size() - 1; i >= 0; i--) {
            AppliedStep a = applied.get(i);
            NetworkStep step = find(steps, a.id());
            if (step == null) {
                errors.add(new VnetException(ErrorCode.INTERNAL, "network '" + network + "': no step '" + a.id()
                        + "' in the plan to undo (definition changed since start?)"));
                continue;
            }
            try {
                long t0 = System.nanoTime();
                if (rollback) {
                    step.rollback(a.record());
                } else {
                    step.undo(a.record());
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("network '{}': undo of {} took {} us", network, a.id(), (System.nanoTime() - t0) / 1000);
                }
            } catch (Exception e) {
                LOG.warn("network '{}': undo of '{}' failed: {}", network, a.id(), e.getMessage());
                errors.add(asVnet(e, network, a.id()));
            }
        }
        return errors;
    }

    static NetworkStep find(List<NetworkStep> steps, String id) {
        for (NetworkStep s : steps) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    private static VnetException asVnet(Exception e, String network, String stepId) {
        if (e instanceof VnetException v) {
            return v;
        }
        return new VnetException(ErrorCode.INTERNAL, "network '" + network + "': step '" + stepId + "' failed: " + e, e);
    }
}
