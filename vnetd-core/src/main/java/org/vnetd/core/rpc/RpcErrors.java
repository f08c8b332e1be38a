package org.vnetd.core.rpc;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Maps failures to the wire's {@link RpcError}. */
public final class RpcErrors {
    private RpcErrors() {
    }

    public static RpcError of(ErrorCode code, String message) {
        return new RpcError(code.number(), message, new RpcError.Data(code.name()));
    }

    /**
     * A {@link VnetException} keeps its code and message; a protocol exception its own error;
     * anything else is a bug and says so without leaking a stack trace to the client.
     */
    public static RpcError from(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof VnetException v) {
            return of(v.code(), v.getMessage());
        }
        if (e instanceof RpcProtocolException p) {
            return p.error();
        }
        return of(ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    /** Converts a reply's error back into an exception on the client side. */
    public static VnetException toException(RpcError error) {
        return toException(error.code(), error.message(), error.data() == null ? null : error.data().name());
    }

    /**
     * A reply's error as the exception a client raises: the code's symbolic {@code name} (data.name) when this
     * build knows it, else its number; JSON-RPC's protocol codes map onto the nearest {@link ErrorCode}. The
     * CLI reads replies without jackson-databind, so it passes the fields, not an {@link RpcError}.
     */
    public static VnetException toException(int code, String message, String name) {
        return new VnetException(errorCode(code, name), message == null ? "unknown error" : message);
    }

    static ErrorCode errorCode(int code, String name) {
        if (name != null && !name.isEmpty()) {
            for (ErrorCode c : ErrorCode.values()) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
        }
        return switch (code) {
            case RpcError.METHOD_NOT_FOUND -> ErrorCode.RPC_UNKNOWN_METHOD;
            case RpcError.INVALID_PARAMS -> ErrorCode.INVALID_ARGUMENT;
            default -> code < 0 ? ErrorCode.RPC_PROTOCOL : ErrorCode.ofNumber(code);
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
