package org.vnetd.core.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A JSON-RPC 2.0 request. {@code id} is whatever the client sent (number, string or null) and is
 * echoed unchanged; {@code params} is an object, or null when the method takes none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RpcRequest(String jsonrpc, JsonNode id, String method, JsonNode params) {
    public static RpcRequest of(long id, String method, Object params) {
        return new RpcRequest(RpcCodec.VERSION, RpcCodec.MAPPER.valueToTree(id), method,
                params == null ? null : RpcCodec.MAPPER.valueToTree(params));
    }

    public JsonNode idOrNull() {
        return id == null ? NullNode.getInstance() : id;
    }
}
