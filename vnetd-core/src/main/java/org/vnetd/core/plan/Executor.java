package org.vnetd.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * The one undo mechanism: applies actions in order through their {@link Effects}, recording each;
 * when one fails, undoes the recorded ones in reverse and rethrows the first error (undo failures
 * are attached as suppressed, never replace it), as libvirt's networkStartNetworkVirtual does with
 * virErrorPreserveLast. Teardown undoes recorded actions in reverse and goes on past failures
 * (netavark's NetavarkErrorList). Generic over the action type, so other owners of kernel objects
 * (ports) can use it too.
 */
public final class Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

    private Executor() {
    }

    /**
     * @param subject what is being set up, for messages (e.g. {@code network 'default'})
     * @param label   one action's name in messages
     */
    public static <A> List<Applied<A>> applyAll(String subject, List<A> actions, Effects<A> effects, Function<A, String> label) {
        return applyAll(subject, actions, effects, label, done -> { });
    }

    /**
     * @param progress called after each action with everything applied so far, for a caller that
     *                 persists it before the next action runs (a crash then leaves an exact record)
     */
    public static <A> List<Applied<A>> applyAll(String subject, List<A> actions, Effects<A> effects, Function<A, String> label,
            Consumer<List<Applied<A>>> progress) {
        List<Applied<A>> done = new ArrayList<>();
        for (A action : actions) {
            try {
                long t0 = System.nanoTime();
                Map<String, String> record = effects.apply(action);
                done.add(new Applied<>(action, record));
                progress.accept(List.copyOf(done));
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{}: {} took {} us", subject, label.apply(action), (System.nanoTime() - t0) / 1000);
                }
            } catch (Exception e) {
                // Exception, not RuntimeException: libraries (netty) may throw checked exceptions undeclared
                VnetException first = asVnet(e, subject, label.apply(action));
                LOG.info("{}: '{}' failed, undoing {} applied action(s)", subject, label.apply(action), done.size());
                rollbackAll(subject, done, effects, label).forEach(first::addSuppressed);
                throw first;
            }
        }
        return done;
    }

    /** Undoes {@code applied} in reverse; keeps going past failures and returns them all. */
    public static <A> List<RuntimeException> undoAll(String subject, List<Applied<A>> applied, Effects<A> effects,
            Function<A, String> label) {
        return revert(subject, applied, effects, label, false);
    }

    /** As {@link #undoAll}, for a start that failed or was interrupted: {@link Effects#rollback}. */
    public static <A> List<RuntimeException> rollbackAll(String subject, List<Applied<A>> applied, Effects<A> effects,
            Function<A, String> label) {
        return revert(subject, applied, effects, label, true);
    }

    /**
     * Takes over {@code applied} after a restart, in order; an action that cannot be adopted keeps its
     * old record (a later teardown still undoes it) and the error is logged.
     */
    public static <A> List<Applied<A>> adoptAll(String subject, List<Applied<A>> applied, Effects<A> effects,
            Function<A, String> label) {
        List<Applied<A>> adopted = new ArrayList<>();
        for (Applied<A> a : applied) {
            try {
                adopted.add(new Applied<>(a.action(), effects.adopt(a.action(), a.record())));
            } catch (Exception e) {
                LOG.error("{}: cannot adopt '{}': {}", subject, label.apply(a.action()), e.getMessage());
                adopted.add(a);
            }
        }
        return adopted;
    }

    /**
     * Tells each of {@code applied} that its start is on record as complete ({@link Effects#committed}); a failure
     * is logged and never undoes the start, which stands.
     */
    public static <A> void commitAll(String subject, List<Applied<A>> applied, Effects<A> effects, Function<A, String> label) {
        for (Applied<A> a : applied) {
            try {
                effects.committed(a.action(), a.record());
            } catch (Exception e) {
                LOG.warn("{}: after '{}' was recorded complete: {}", subject, label.apply(a.action()), e.getMessage());
            }
        }
    }

    /** Re-applies {@code applied} after a reload, in order; the first failure stops it and is thrown. */
    public static <A> List<Applied<A>> reloadAll(List<Applied<A>> applied, Effects<A> effects) {
        List<Applied<A>> updated = new ArrayList<>();
        for (Applied<A> a : applied) {
            updated.add(new Applied<>(a.action(), effects.reload(a.action(), a.record())));
        }
        return updated;
    }

    private static <A> List<RuntimeException> revert(String subject, List<Applied<A>> applied, Effects<A> effects,
            Function<A, String> label, boolean rollback) {
        List<RuntimeException> errors = new ArrayList<>();
        for (int i = applied.size() - 1; i >= 0; i--) {
            Applied<A> a = applied.get(i);
            try {
                long t0 = System.nanoTime();
                if (rollback) {
                    effects.rollback(a.action(), a.record());
                } else {
                    effects.undo(a.action(), a.record());
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{}: undo of {} took {} us", subject, label.apply(a.action()), (System.nanoTime() - t0) / 1000);
                }
            } catch (Exception e) {
                LOG.warn("{}: undo of '{}' failed: {}", subject, label.apply(a.action()), e.getMessage());
                errors.add(asVnet(e, subject, label.apply(a.action())));
            }
        }
        return errors;
    }

    private static VnetException asVnet(Exception e, String subject, String action) {
        if (e instanceof VnetException v) {
            return v;
        }
        return new VnetException(ErrorCode.INTERNAL, subject + ": '" + action + "' failed: " + e, e);
    }
}
