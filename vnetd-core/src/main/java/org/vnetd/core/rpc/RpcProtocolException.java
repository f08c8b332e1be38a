package org.vnetd.core.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** A request that cannot be served as sent; the reply carries {@link #error()} for {@link #id()}. */
public final class RpcProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient JsonNode id;
    private final transient RpcError error;

    public RpcProtocolException(JsonNode id, RpcError error) {
        super(error.message());
        this.id = id;
        this.error = error;
    }

    public JsonNode id() {
        return id;
    }

    public RpcError error() {
        return error;
    }
}
