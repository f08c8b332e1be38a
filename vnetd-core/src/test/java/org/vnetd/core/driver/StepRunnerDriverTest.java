package org.vnetd.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;

class StepRunnerDriverTest {
    private final List<String> log = new ArrayList<>();

    private NetworkStep step(String id, RuntimeException applyFails, RuntimeException undoFails) {
        return new NetworkStep() {
            public String id() {
                return id;
            }

            public Map<String, String> apply() {
                log.add("apply " + id);
                if (applyFails != null) {
                    throw applyFails;
                }
                return Map.of("handle", id + "-h");
            }

            public void undo(Map<String, String> record) {
                log.add("undo " + id + " " + record.get("handle"));
                if (undoFails != null) {
                    throw undoFails;
                }
            }
        };
    }

    @Test
    void failureUndoesInReverseAndKeepsTheFirstError() {
        VnetException cause = new VnetException(ErrorCode.DHCP, "port 67 taken");
        VnetException undoErr = new VnetException(ErrorCode.KERNEL, "delete failed");
        List<NetworkStep> steps = List.of(step("bridge", null, null), step("fw", null, undoErr), step("dhcp", cause, null),
                step("dns", null, null));
        List<List<AppliedStep>> progress = new ArrayList<>();
        VnetException e = assertThrows(VnetException.class, () -> StepRunner.applyAll("n", steps, progress::add));
        assertSame(cause, e);
        assertEquals(List.of(undoErr), List.of(e.getSuppressed()));
        assertEquals(List.of("apply bridge", "apply fw", "apply dhcp", "undo fw fw-h", "undo bridge bridge-h"), log);
        assertEquals(2, progress.size());
        assertEquals(2, progress.get(1).size());
    }

    @Test
    void aFailedStartRollsBackWhileAStopUndoes() {
        List<NetworkStep> kept = new ArrayList<>();
        NetworkStep shared = new NetworkStep() {
            public String id() {
                return "table";
            }

            public Map<String, String> apply() {
                kept.add(this);
                return Map.of();
            }

            public void undo(Map<String, String> record) {
                log.add("undo table, keep it for the next start");
            }

            public void rollback(Map<String, String> record) {
                log.add("rollback table");
            }
        };
        VnetException cause = new VnetException(ErrorCode.DHCP, "port 67 taken");
        assertThrows(VnetException.class, () -> StepRunner.applyAll("n", List.of(shared, step("dhcp", cause, null)), p -> { }));
        assertEquals(List.of("apply dhcp", "rollback table"), log);
        log.clear();
        List<AppliedStep> applied = StepRunner.applyAll("n", List.of(shared), p -> { });
        StepRunner.undoAll("n", List.of(shared), applied);
        assertEquals(List.of("undo table, keep it for the next start"), log);
        log.clear();
        StepRunner.rollbackAll("n", List.of(shared, step("x", null, null)), List.of(new AppliedStep("table", Map.of()),
                new AppliedStep("x", Map.of("handle", "x-h"))));
        assertEquals(List.of("undo x x-h", "rollback table"), log, "a step without its own rollback undoes");
    }

    @Test
    void undoAllContinuesPastFailures() {
        List<NetworkStep> steps = List.of(step("a", null, new VnetException(ErrorCode.KERNEL, "x")), step("b", null, null));
        List<AppliedStep> applied = StepRunner.applyAll("n", steps, p -> { });
        log.clear();
        List<RuntimeException> errors = StepRunner.undoAll("n", steps, applied);
        assertEquals(List.of("undo b b-h", "undo a a-h"), log);
        assertEquals(1, errors.size());
    }

    @Test
    void defaultSubnetSkipsRoutedPrefixes() {
        assertEquals("192.168.122.0/24", SubnetChooser.choose(List.of(IpPrefix.parse("10.0.0.0/8"))).orElseThrow().toString());
        assertEquals("192.168.124.0/24", SubnetChooser.choose(List.of(IpPrefix.parse("192.168.122.0/24"),
                IpPrefix.parse("192.168.123.7/32"))).orElseThrow().toString());
        assertEquals(true, SubnetChooser.choose(List.of(IpPrefix.parse("192.168.0.0/16"))).isEmpty());
    }

    @Test
    void namesThatWouldEscapeTheConfigDirAreRefused() {
        for (String bad : new String[] {"", "a/b", "..", ".hidden", "x\ny", "a".repeat(201)}) {
            assertThrows(VnetException.class, () -> NetworkNames.check(bad), bad);
        }
        assertEquals("my-net_1.0 ü", NetworkNames.check("my-net_1.0 ü"));
    }
}
