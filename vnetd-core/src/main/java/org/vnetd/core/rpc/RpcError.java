package org.vnetd.core.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code error} member of a reply: a stable {@code code} (a JSON-RPC protocol code, or an
 * {@link org.vnetd.core.error.ErrorCode} number), a message for humans, and {@code data.name}, the
 * code's symbolic name so clients need no table.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RpcError(int code, String message, Data data) {
    public record Data(String name) {
    }

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;

    public static RpcError protocol(int code, String message) {
        String name = switch (code) {
            case PARSE_ERROR -> "PARSE_ERROR";
            case INVALID_REQUEST -> "INVALID_REQUEST";
            case METHOD_NOT_FOUND -> "METHOD_NOT_FOUND";
            case INVALID_PARAMS -> "INVALID_PARAMS";
            default -> "PROTOCOL";
        };
        return new RpcError(code, message, new Data(name));
    }
}
