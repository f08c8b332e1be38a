package org.vnetd.daemon.rpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.vnetd.core.rpc.RpcCodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RPC calls the process tests make against a real daemon: result or typed failure, and readiness. */
public final class DaemonRpc {
    private DaemonRpc() {
    }

    /** True once the daemon in {@code runDir} has both sockets and answers {@code daemon.version}. */
    public static boolean answers(Path runDir) throws IOException {
        if (!Files.exists(runDir.resolve(RpcServer.READ_ONLY_SOCKET))) {
            return false;
        }
        try (RpcClient c = RpcClient.connect(runDir.resolve(RpcServer.SOCKET))) {
            return c.call("daemon.version", null).has("result");
        }
    }

    /** The reply's result; a daemon error becomes an {@link RpcFailure} naming the method. */
    public static JsonNode result(String method, ObjectNode reply) {
        if (reply.has("error")) {
            throw failure(method, reply);
        }
        return reply.get("result");
    }

    public static JsonNode call(Path socket, String method, Map<String, ?> params) throws IOException {
        try (RpcClient c = RpcClient.connect(socket)) {
            return result(method, c.call(method, params));
        }
    }

    /** Calls a method that must fail and returns the error. */
    public static RpcFailure fail(Path socket, String method, Map<String, ?> params) throws IOException {
        try (RpcClient c = RpcClient.connect(socket)) {
            ObjectNode reply = c.call(method, params);
            if (!reply.has("error")) {
                throw new AssertionError(method + " succeeded: " + RpcCodec.MAPPER.writeValueAsString(reply));
            }
            return failure(method, reply);
        }
    }

    private static RpcFailure failure(String method, ObjectNode reply) {
        return new RpcFailure(reply.get("error").get("code").asInt(), method + ": " + reply.get("error").get("message").asText());
    }

    /** A daemon error reply: its code and message. */
    public static final class RpcFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final int code;

        RpcFailure(int code, String message) {
            super("error " + code + ": " + message);
            this.code = code;
        }
    }
}
