package org.vnetd.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Each method's params become its record once, with the documented defaults and errors that name the parameter. */
class RequestDecoderTest {
    private static JsonNode json(String text) {
        try {
            return RpcCodec.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String invalid(String method, String params) {
        RpcProtocolException e = assertThrows(RpcProtocolException.class, () -> RequestDecoder.decode(method, json(params)));
        assertEquals(RpcError.INVALID_PARAMS, e.error().code());
        return e.error().message();
    }

    @Test
    void decodesEveryMethodOfTheContract() {
        assertEquals(new TreeSet<>(Methods.ALL), new TreeSet<>(RequestDecoder.methods()));
    }

    @Test
    void paramsBecomeTheMethodsRecord() {
        assertEquals(new Request.NetworkList(), RequestDecoder.decode(Methods.NETWORK_LIST, null));
        assertEquals(new Request.NetworkGetXml("default", false),
                RequestDecoder.decode(Methods.NETWORK_GET_XML, json("{\"network\":\"default\"}")));
        assertEquals(new Request.NetworkUpdate("n", "add-last", "ip-dhcp-host", -1, "<host/>", true, false),
                RequestDecoder.decode(Methods.NETWORK_UPDATE, json("{\"network\":\"n\",\"command\":\"add-last\","
                        + "\"section\":\"ip-dhcp-host\",\"xml\":\"<host/>\",\"live\":true,\"unknown\":1}")));
        assertEquals(new Request.NetworkSetMetadata("n", "title", null, null, null, false, true),
                RequestDecoder.decode(Methods.NETWORK_SET_METADATA, json("{\"network\":\"n\",\"type\":\"title\",\"value\":null,"
                        + "\"config\":true}")));
        assertEquals(new Request.PortCreate("n", "52:54:00:00:00:01", 1000, null, null, false, 1, false, null, true, null,
                null, null, null), RequestDecoder.decode(Methods.PORT_CREATE, json("{\"network\":\"n\","
                        + "\"mac\":\"52:54:00:00:00:01\",\"ownerUid\":1000,\"passFd\":true}")));
        assertEquals(new Request.EventsSubscribe(null, "lifecycle"),
                RequestDecoder.decode(Methods.EVENTS_SUBSCRIBE, json("{\"event\":\"lifecycle\"}")));
        // docs/rpc.md names service-health among the events one may subscribe to; the daemon refused it
        assertEquals(new Request.EventsSubscribe("n", "service-health"),
                RequestDecoder.decode(Methods.EVENTS_SUBSCRIBE, json("{\"network\":\"n\",\"event\":\"service-health\"}")));
    }

    @Test
    void aBadParameterIsNamed() {
        assertEquals("Invalid params for network.start: missing required parameter 'network'",
                invalid(Methods.NETWORK_START, "{}"));
        assertEquals("Invalid params for network.getXml: parameter 'inactive' must be true or false",
                invalid(Methods.NETWORK_GET_XML, "{\"network\":\"n\",\"inactive\":\"yes\"}"));
        assertEquals("Invalid params for network.setAutostart: missing required parameter 'autostart'",
                invalid(Methods.NETWORK_SET_AUTOSTART, "{}"));
        assertEquals("Invalid params for port.create: parameter 'queues' must be an integer",
                invalid(Methods.PORT_CREATE, "{\"network\":\"n\",\"mac\":\"m\",\"queues\":1.5}"));
        assertEquals("Invalid params for events.subscribe: unknown event 'boot' (lifecycle, metadata-change, service-health)",
                invalid(Methods.EVENTS_SUBSCRIBE, "{\"event\":\"boot\"}"));
    }

    @Test
    void anUnknownMethodIsNotFound() {
        RpcProtocolException e = assertThrows(RpcProtocolException.class, () -> RequestDecoder.decode("network.fly", null));
        assertEquals(RpcError.METHOD_NOT_FOUND, e.error().code());
    }
}
