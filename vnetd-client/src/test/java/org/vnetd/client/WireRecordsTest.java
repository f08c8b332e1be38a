package org.vnetd.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.firewall.FirewallFinding;
import org.vnetd.core.rpc.DiagnoseResult;
import org.vnetd.core.rpc.ImportResult;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.MetadataResult;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.Port;
import org.vnetd.core.rpc.ServiceStats;
import org.vnetd.core.rpc.UpdateResult;
import org.vnetd.core.rpc.VersionResult;
import org.vnetd.core.rpc.XmlResult;

/** The hand-written readers and writers agree with each record's components (reflection, here only). */
class WireRecordsTest {
    private static final List<Class<? extends Record>> RESULTS = List.of(NetworkSummary.class, Lease.class,
            Port.class, NetworkEvent.class, UpdateResult.class, VersionResult.class, XmlResult.class,
            MetadataResult.class, DiagnoseResult.class, FirewallFinding.class, ImportResult.class, ImportResult.Network.class,
            ServiceStats.class, ServiceStats.Dhcp.class, ServiceStats.Dhcp6.class, ServiceStats.RouterAdvertisements.class);

    @Test
    void everyComponentIsWrittenInOrderAndReadBack() throws Exception {
        for (Class<? extends Record> type : RESULTS) {
            Record sample = sample(type, 1);
            Map<String, Object> written = WireRecords.write(sample);
            List<String> names = new ArrayList<>();
            for (RecordComponent c : type.getRecordComponents()) {
                names.add(c.getName());
            }
            assertEquals(names, List.copyOf(written.keySet()), type.getSimpleName() + "'s writer");
            Object parsed = Json.parse(Json.write(sample));
            assertEquals(sample, Json.read(parsed, type), type.getSimpleName() + "'s reader");
        }
    }

    @Test
    void missingFieldsReadAsNullFalseZeroAndEmpty() {
        Port p = Json.read(Map.of("uuid", "u"), Port.class);
        assertEquals(new Port("u", null, null, null, null, null, null, null, null, null, false, null, 0, false, null,
                List.of(), null), p);
    }

    @Test
    void aMistypedFieldIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.read(Map.of("name", "n", "active", "yes"), NetworkSummary.class));
        assertEquals("NetworkSummary.active is not true or false", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Json.read(Map.of("findings", List.of(Map.of("severity", "FATAL"))), DiagnoseResult.class));
        assertTrue(e.getMessage().startsWith("FirewallFinding.severity is not one of"), e.getMessage());
    }

    @Test
    void otherRecordsAreWrittenByReflection() {
        record Other(String a, int b) {
        }
        assertEquals("{\"a\":\"x\",\"b\":2}", new String(Json.write(new Other("x", 2)), StandardCharsets.UTF_8));
    }

    /** A record whose every component has a value derived from {@code seed} and its position. */
    private static Record sample(Class<? extends Record> type, int seed) throws Exception {
        RecordComponent[] cs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        Object[] values = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            values[i] = value(cs[i].getGenericType(), seed * 100 + i);
        }
        return type.getDeclaredConstructor(types).newInstance(values);
    }

    private static Object value(Type t, int n) throws Exception {
        Class<?> raw = t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
        if (raw == String.class) {
            return "v" + n;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return n % 2 == 0;
        }
        if (raw == int.class || raw == Integer.class) {
            return n;
        }
        if (raw == long.class || raw == Long.class) {
            return 1_000_000_000_000L + n;
        }
        if (raw.isEnum()) {
            Object[] constants = raw.getEnumConstants();
            return constants[n % constants.length];
        }
        if (raw == List.class) {
            Type element = ((ParameterizedType) t).getActualTypeArguments()[0];
            return List.of(value(element, n + 1), value(element, n + 2));
        }
        if (raw.isRecord()) {
            @SuppressWarnings("unchecked")
            Class<? extends Record> r = (Class<? extends Record>) raw;
            return sample(r, n);
        }
        throw new AssertionError("no sample value for " + t);
    }
}
