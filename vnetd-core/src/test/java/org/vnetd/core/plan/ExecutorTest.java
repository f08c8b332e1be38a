package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** The one undo mechanism, over actions that are plain strings. */
class ExecutorTest {
    private final List<String> log = new ArrayList<>();
    private final Map<String, RuntimeException> applyFails = new HashMap<>();
    private final Map<String, RuntimeException> undoFails = new HashMap<>();
    /** Actions with a rollback of their own (like the firewall table a failed start removes). */
    private final Set<String> ownRollback = new java.util.HashSet<>();
    private static final Function<String, String> LABEL = a -> a;

    private final Effects<String> effects = new Effects<>() {
        public Map<String, String> apply(String id) {
            if (!ownRollback.contains(id)) {
                log.add("apply " + id);
            }
            RuntimeException f = applyFails.get(id);
            if (f != null) {
                throw f;
            }
            return Map.of("handle", id + "-h");
        }

        public void undo(String id, Map<String, String> record) {
            log.add(ownRollback.contains(id) ? "undo " + id + ", keep it for the next start" : "undo " + id + " " + record.get("handle"));
            RuntimeException f = undoFails.get(id);
            if (f != null) {
                throw f;
            }
        }

        public void rollback(String id, Map<String, String> record) {
            if (ownRollback.contains(id)) {
                log.add("rollback " + id);
            } else {
                undo(id, record);
            }
        }
    };

    @Test
    void failureUndoesInReverseAndKeepsTheFirstError() {
        VnetException cause = new VnetException(ErrorCode.DHCP, "port 67 taken");
        VnetException undoErr = new VnetException(ErrorCode.KERNEL, "delete failed");
        undoFails.put("fw", undoErr);
        applyFails.put("dhcp", cause);
        List<List<Applied<String>>> progress = new ArrayList<>();
        VnetException e = assertThrows(VnetException.class,
                () -> Executor.applyAll("n", List.of("bridge", "fw", "dhcp", "dns"), effects, LABEL, progress::add));
        assertSame(cause, e);
        assertEquals(List.of(undoErr), List.of(e.getSuppressed()));
        assertEquals(List.of("apply bridge", "apply fw", "apply dhcp", "undo fw fw-h", "undo bridge bridge-h"), log);
        assertEquals(2, progress.size());
        assertEquals(2, progress.get(1).size());
    }

    @Test
    void aFailedStartRollsBackWhileAStopUndoes() {
        ownRollback.add("table");
        applyFails.put("dhcp", new VnetException(ErrorCode.DHCP, "port 67 taken"));
        assertThrows(VnetException.class, () -> Executor.applyAll("n", List.of("table", "dhcp"), effects, LABEL));
        assertEquals(List.of("apply dhcp", "rollback table"), log);
        log.clear();
        List<Applied<String>> applied = Executor.applyAll("n", List.of("table"), effects, LABEL);
        log.clear();
        Executor.undoAll("n", applied, effects, LABEL);
        assertEquals(List.of("undo table, keep it for the next start"), log);
        log.clear();
        Executor.rollbackAll("n", List.of(new Applied<>("table", Map.of()), new Applied<>("x", Map.of("handle", "x-h"))), effects, LABEL);
        assertEquals(List.of("undo x x-h", "rollback table"), log, "an action without its own rollback undoes");
    }

    @Test
    void undoAllContinuesPastFailures() {
        undoFails.put("a", new VnetException(ErrorCode.KERNEL, "x"));
        List<Applied<String>> applied = Executor.applyAll("n", List.of("a", "b"), effects, LABEL);
        log.clear();
        List<RuntimeException> errors = Executor.undoAll("n", applied, effects, LABEL);
        assertEquals(List.of("undo b b-h", "undo a a-h"), log);
        assertEquals(1, errors.size());
    }

    @Test
    void adoptionKeepsTheOldRecordOfWhatCannotBeAdopted() {
        Effects<String> failingAdopt = new Effects<>() {
            public Map<String, String> apply(String id) {
                return Map.of();
            }

            public void undo(String id, Map<String, String> record) {
            }

            public Map<String, String> adopt(String id, Map<String, String> record) {
                if (id.equals("dhcp")) {
                    throw new VnetException(ErrorCode.DHCP, "port 67 taken");
                }
                return Map.of("adopted", "yes");
            }
        };
        List<Applied<String>> adopted = Executor.adoptAll("n", List.of(new Applied<>("bridge", Map.of()),
                new Applied<>("dhcp", Map.of("old", "1"))), failingAdopt, LABEL);
        assertEquals(List.of(new Applied<>("bridge", Map.of("adopted", "yes")), new Applied<>("dhcp", Map.of("old", "1"))), adopted);
    }
}
