package org.vnetd.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** The one mapping between ErrorCode and the wire, both ways. */
class RpcErrorsTest {
    @Test
    void everyCodeComesBackAsItself() {
        for (ErrorCode c : ErrorCode.values()) {
            VnetException e = RpcErrors.toException(RpcErrors.from(new VnetException(c, "m")));
            assertEquals(c, e.code());
            assertEquals("m", e.getMessage());
        }
    }

    @Test
    void theNameWinsOverTheNumberAndAnUnknownNameFallsBackToTheNumber() {
        assertEquals(ErrorCode.NO_SUCH_PORT, RpcErrors.toException(999, "m", "NO_SUCH_PORT").code());
        assertEquals(ErrorCode.NETWORK_ACTIVE, RpcErrors.toException(12, "m", "FROM_A_NEWER_DAEMON").code());
        assertEquals(ErrorCode.NETWORK_ACTIVE, RpcErrors.toException(12, "m", null).code());
    }

    @Test
    void protocolCodesMapOntoTheNearestErrorCode() {
        assertEquals(ErrorCode.RPC_UNKNOWN_METHOD, RpcErrors.toException(RpcError.METHOD_NOT_FOUND, "m", "METHOD_NOT_FOUND").code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, RpcErrors.toException(RpcError.INVALID_PARAMS, "m", "INVALID_PARAMS").code());
        assertEquals(ErrorCode.RPC_PROTOCOL, RpcErrors.toException(RpcError.PARSE_ERROR, "m", null).code());
        assertEquals(ErrorCode.RPC_PROTOCOL, RpcErrors.toException(-1, null, null).code());
        assertEquals("unknown error", RpcErrors.toException(-1, null, null).getMessage());
    }
}
