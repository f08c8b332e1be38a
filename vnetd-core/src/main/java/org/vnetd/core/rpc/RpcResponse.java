package org.vnetd.core.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A JSON-RPC 2.0 reply: exactly one of {@code result} and {@code error} is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RpcResponse(String jsonrpc, @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode id, JsonNode result, RpcError error) {
    public static RpcResponse success(JsonNode id, Object result) {
        return new RpcResponse(RpcCodec.VERSION, id, RpcCodec.MAPPER.valueToTree(result == null ? java.util.Map.of() : result), null);
    }

    public static RpcResponse failure(JsonNode id, RpcError error) {
        return new RpcResponse(RpcCodec.VERSION, id, null, error);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isError() {
        return error != null;
    }
}
