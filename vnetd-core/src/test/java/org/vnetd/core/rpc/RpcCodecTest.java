package org.vnetd.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

class RpcCodecTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int codeOf(String json) {
        return assertThrows(RpcProtocolException.class, () -> RpcCodec.decodeRequest(b(json))).error().code();
    }

    @Test
    void decodesAWellFormedRequest() {
        RpcRequest r = RpcCodec.decodeRequest(b("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"network.start\",\"params\":{\"network\":\"default\"}}"));
        assertEquals("network.start", r.method());
        assertEquals(7, r.id().intValue());
        assertEquals(new Request.NetworkStart("default"), RequestDecoder.decode(r.method(), r.params()));
    }

    @Test
    void badInputGetsTheJsonRpcCode() {
        assertEquals(RpcError.PARSE_ERROR, codeOf("{not json"));
        assertEquals(RpcError.PARSE_ERROR, codeOf(""));
        assertEquals(RpcError.INVALID_REQUEST, codeOf("[1,2]"));
        assertEquals(RpcError.INVALID_REQUEST, codeOf("{\"id\":1,\"method\":\"x\"}"));
        assertEquals(RpcError.INVALID_REQUEST, codeOf("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}"));
        assertEquals(RpcError.INVALID_REQUEST, codeOf("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":3}"));
        assertEquals(RpcError.INVALID_PARAMS, codeOf("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":[1]}"));
        assertEquals(RpcError.PARSE_ERROR, codeOf("[".repeat(5000)));
    }

    @Test
    void paramsNameTheMissingOrWrongParameter() {
        Params p = new Params("network.start", RpcCodec.MAPPER.valueToTree(Map.of("autostart", "yes")));
        RpcProtocolException e = assertThrows(RpcProtocolException.class, () -> p.string("network"));
        assertTrue(e.getMessage().contains("'network'"), e.getMessage());
        e = assertThrows(RpcProtocolException.class, () -> p.bool("autostart", false));
        assertTrue(e.getMessage().contains("true or false"), e.getMessage());
        assertEquals(-1, p.integer("parentIndex", -1));
    }

    @Test
    void vnetExceptionsKeepCodeAndMessage() {
        RpcError e = RpcErrors.from(new VnetException(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching name 'x'"));
        assertEquals(10, e.code());
        assertEquals("NO_SUCH_NETWORK", e.data().name());
        assertEquals(ErrorCode.NO_SUCH_NETWORK, RpcErrors.toException(e).code());
        assertEquals(ErrorCode.INTERNAL.number(), RpcErrors.from(new IllegalStateException("boom")).code());
    }

    @Test
    void replyShapeMatchesTheContract() throws Exception {
        String ok = new String(RpcCodec.encode(RpcResponse.success(RpcCodec.MAPPER.valueToTree(3), null)), StandardCharsets.UTF_8);
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}", ok);
        String err = new String(RpcCodec.encode(RpcResponse.failure(null, RpcErrors.of(ErrorCode.CONFLICT, "x"))), StandardCharsets.UTF_8);
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":14,\"message\":\"x\",\"data\":{\"name\":\"CONFLICT\"}}}", err);
        assertFalse(Methods.isReadOnly(Methods.NETWORK_START));
        assertTrue(Methods.isReadOnly(Methods.NETWORK_LIST));
    }
}
