package org.vnetd.core.rpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON of the RPC, shared by the daemon and vnetctl. Decoding a request never throws anything but
 * {@link RpcProtocolException}, which carries the JSON-RPC code the reply must use.
 */
public final class RpcCodec {
    public static final String VERSION = "2.0";
    /** Frames larger than this close the connection (docs/rpc.md). */
    public static final int MAX_FRAME = 4 * 1024 * 1024;

    /** Immutable once built; ObjectMapper is thread-safe for reading and writing. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static {
        // a deeply nested document is refused instead of exhausting the stack
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private RpcCodec() {
    }

    public static RpcRequest decodeRequest(byte[] frame) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(frame);
        } catch (IOException e) {
            throw new RpcProtocolException(NullNode.getInstance(),
                    RpcError.protocol(RpcError.PARSE_ERROR, "Parse error: " + firstLine(e)));
        }
        if (tree == null || tree.isMissingNode()) {
            throw new RpcProtocolException(NullNode.getInstance(),
                    RpcError.protocol(RpcError.PARSE_ERROR, "Parse error: empty message"));
        }
        if (!tree.isObject()) {
            throw new RpcProtocolException(NullNode.getInstance(),
                    RpcError.protocol(RpcError.INVALID_REQUEST, "Invalid request: a request is a JSON object"));
        }
        JsonNode id = tree.has("id") ? tree.get("id") : NullNode.getInstance();
        if (!(id.isNull() || id.isIntegralNumber() || id.isTextual())) {
            throw new RpcProtocolException(NullNode.getInstance(),
                    RpcError.protocol(RpcError.INVALID_REQUEST, "Invalid request: 'id' must be a number, a string or null"));
        }
        JsonNode version = tree.get("jsonrpc");
        if (version == null || !VERSION.equals(version.asText(null))) {
            throw new RpcProtocolException(id,
                    RpcError.protocol(RpcError.INVALID_REQUEST, "Invalid request: 'jsonrpc' must be \"2.0\""));
        }
        JsonNode method = tree.get("method");
        if (method == null || !method.isTextual() || method.asText().isEmpty()) {
            throw new RpcProtocolException(id,
                    RpcError.protocol(RpcError.INVALID_REQUEST, "Invalid request: 'method' must be a non-empty string"));
        }
        JsonNode params = tree.get("params");
        if (params != null && !(params.isObject() || params.isNull())) {
            throw new RpcProtocolException(id,
                    RpcError.protocol(RpcError.INVALID_PARAMS, "Invalid params: 'params' must be an object"));
        }
        return new RpcRequest(VERSION, id, method.asText(), params == null || params.isNull() ? null : params);
    }

    public static byte[] encode(Object message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            // only our own records are written; failing here is a bug
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** Decodes any server message (reply or notification) as a tree; used by clients. */
    public static ObjectNode decodeTree(byte[] frame) throws IOException {
        JsonNode n = MAPPER.readTree(frame);
        if (n == null || !n.isObject()) {
            throw new IOException("server sent something other than a JSON object: " + new String(frame, StandardCharsets.UTF_8));
        }
        return (ObjectNode) n;
    }

    private static String firstLine(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
