package org.vnetd.daemon.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.qos.HtbClassChange;
import org.vnetd.core.qos.KernelFeature;
import org.vnetd.core.qos.KernelFeatureMissing;
import org.vnetd.core.qos.TcBackend;
import org.vnetd.core.qos.TcHandle;
import org.vnetd.core.qos.TcObject;

/** How a kernel's refusal of a tc object becomes a typed error, a recorded omission, or passes through. */
class TcEffectsTest {
    static final TcObject POLICE = new TcObject.PoliceFilter("virbr1", 500, 500, 64);
    static final TcObject SFQ = new TcObject.SfqQdisc("virbr1", new TcHandle(1, 2), TcHandle.qdisc(2), 10);

    /** Refuses every add with {@code refusal}; records deletes. */
    static final class Refusing implements TcBackend {
        final KernelException refusal;
        final List<TcObject> deleted = new ArrayList<>();

        Refusing(KernelException refusal) {
            this.refusal = refusal;
        }

        public void add(TcObject object) {
            if (refusal != null) {
                throw refusal;
            }
        }

        public void delete(TcObject object) {
            deleted.add(object);
        }

        public void change(HtbClassChange change) {
        }

        public void clear(String device) {
        }
    }

    static KernelException kernel(int errno, String name, String text) {
        return new KernelException("tc: x:", "virbr1", errno, name, "", text);
    }

    @Test
    void aMissingPoliceActionFailsNamingTheKernelOption() {
        KernelException refusal = kernel(2, "ENOENT", "Failed to load TC action module.");
        KernelFeatureMissing e = assertThrows(KernelFeatureMissing.class, () -> new TcEffects(new Refusing(refusal)).apply(POLICE));
        assertEquals(KernelFeature.POLICE, e.feature());
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().startsWith("Operation not supported: outbound <bandwidth> (policing what the guests send) on 'virbr1' "
                + "needs the police action (CONFIG_NET_ACT_POLICE), which this kernel does not have"), e.getMessage());
        assertSame(refusal, e.getCause());
    }

    @Test
    void aMissingSfqIsRecordedAndLeftAloneOnUndo() {
        Refusing backend = new Refusing(kernel(2, "ENOENT", "Specified qdisc kind is unknown."));
        TcEffects effects = new TcEffects(backend);
        Map<String, String> record = effects.apply(SFQ);
        assertEquals(Map.of(TcEffects.SKIPPED, "CONFIG_NET_SCH_SFQ"), record);
        effects.undo(SFQ, record);
        assertEquals(List.of(), backend.deleted);
        effects.undo(SFQ, Map.of());
        assertEquals(List.of(SFQ), backend.deleted);
    }

    @Test
    void aTeardownDeletesTheQdiscsWithWhatHangsUnderThem() {
        Refusing backend = new Refusing(null);
        TcEffects effects = new TcEffects(backend);
        TcObject root = new TcObject.HtbQdisc("virbr1", TcHandle.qdisc(1), 2);
        TcObject cls = new TcObject.HtbClass("virbr1", TcHandle.qdisc(1), new TcHandle(1, 1), 1000, 1000, 0, 85);
        TcObject ingress = new TcObject.IngressQdisc("virbr1");
        for (TcObject o : List.of(POLICE, ingress, SFQ, cls, root)) {
            effects.undoWithQdisc(o, Map.of());
        }
        assertEquals(List.of(ingress, root), backend.deleted);
    }

    @Test
    void otherRefusalsPassThrough() {
        KernelException busy = kernel(17, "EEXIST", "Exclusivity flag on, cannot modify.");
        assertSame(busy, assertThrows(KernelException.class, () -> new TcEffects(new Refusing(busy)).apply(POLICE)));
    }
}
