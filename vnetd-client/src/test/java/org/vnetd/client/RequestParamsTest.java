package org.vnetd.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Request;
import org.vnetd.core.rpc.RequestDecoder;
import org.vnetd.core.rpc.RpcCodec;

/** What the client sends for each request record is what the daemon's decoder reads back as that record. */
class RequestParamsTest {
    @Test
    void everyRequestRoundTripsThroughTheDaemonsDecoder() throws Exception {
        Class<?>[] types = Request.class.getPermittedSubclasses();
        assertEquals(Methods.ALL.size(), types.length, "one request record per method");
        for (Class<?> type : types) {
            for (boolean withOptionals : new boolean[] {true, false}) {
                Request sample = sample(type, withOptionals);
                String method = RequestParams.method(sample);
                byte[] json = Json.write(RequestParams.params(sample));
                assertEquals(sample, RequestDecoder.decode(method, RpcCodec.MAPPER.readTree(json)), method);
            }
        }
    }

    @Test
    void optionalValuesLeftOutFlagsSentAndANullMetadataValueKept() {
        assertEquals(Map.of("network", "n"), RequestParams.params(new Request.NetworkDhcpLeases("n", null)));
        assertEquals(Map.of("network", "n", "inactive", false), RequestParams.params(new Request.NetworkGetXml("n", false)));
        Map<String, Object> remove = RequestParams.params(new Request.NetworkSetMetadata("n", "title", null, null, null,
                false, true));
        assertTrue(remove.containsKey("value") && remove.get("value") == null, remove.toString());
        assertFalse(remove.containsKey("key") || remove.containsKey("uri"), remove.toString());
        assertEquals(Map.of("network", "n", "mac", "52:54:00:00:00:01", "tap", "vnet7"),
                RequestParams.params(new Request.PortCreate("n", "52:54:00:00:00:01", null, null, "vnet7", false, 1, false,
                        null, false, null, null, null, null)));
    }

    /** The components docs/rpc.md calls optional: absent, they decode as null. */
    private static final Set<String> OPTIONAL = Set.of("NetworkDhcpLeases.mac", "NetworkGetMetadata.uri",
            "NetworkSetMetadata.value", "NetworkSetMetadata.key", "NetworkSetMetadata.uri", "EventsSubscribe.network",
            "EventsSubscribe.event", "PortCreate.ownerUid", "PortCreate.ownerGid", "PortCreate.tap", "PortCreate.portgroup",
            "PortCreate.ip", "PortCreate.isolated", "PortCreate.ownerName", "PortCreate.ownerUuid", "PortDelete.network",
            "PortList.network", "PortGetXml.network", "NetworkImportLibvirt.configDir", "NetworkImportLibvirt.statusDir",
            "NetworkImportLibvirt.leaseDir");

    /** A request with a distinct value per component; the optional ones null unless asked for. */
    private static Request sample(Class<?> type, boolean withOptionals) throws Exception {
        RecordComponent[] cs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        Object[] values = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            Class<?> t = cs[i].getType();
            types[i] = t;
            boolean required = !OPTIONAL.contains(type.getSimpleName() + "." + cs[i].getName());
            if (t == boolean.class) {
                values[i] = i % 2 == 1;
            } else if (t == int.class) {
                values[i] = 10 + i;
            } else if (t == Integer.class) {
                values[i] = required || withOptionals ? 20 + i : null;
            } else if (t == Boolean.class) {
                values[i] = required || withOptionals ? Boolean.TRUE : null;
            } else if (t == String.class) {
                values[i] = required || withOptionals ? cs[i].getName() + i : null;
            } else if (t == Map.class) {
                values[i] = withOptionals ? Map.of("inbound.average", 1000L + i, "outbound.burst", 4294967295L) : Map.of();
            } else {
                throw new AssertionError("no sample for " + t);
            }
            if (type == Request.EventsSubscribe.class && cs[i].getName().equals("event") && values[i] != null) {
                values[i] = "lifecycle";
            }
        }
        return (Request) type.getDeclaredConstructor(types).newInstance(values);
    }
}
