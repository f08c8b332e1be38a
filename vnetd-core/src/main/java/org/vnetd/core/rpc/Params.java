package org.vnetd.core.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed access to a request's params. A missing or ill-typed parameter is an
 * {@link RpcError#INVALID_PARAMS} error naming the method and the parameter.
 */
public final class Params {
    private final String method;
    private final JsonNode params;

    public Params(String method, JsonNode params) {
        this.method = method;
        this.params = params;
    }

    public String string(String name) {
        String v = optString(name);
        if (v == null) {
            throw invalid("missing required parameter '" + name + "'");
        }
        return v;
    }

    public String optString(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalid("parameter '" + name + "' must be a string");
        }
        return n.asText();
    }

    public boolean bool(String name, boolean dflt) {
        JsonNode n = get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw invalid("parameter '" + name + "' must be true or false");
        }
        return n.booleanValue();
    }

    public Boolean optBool(String name) {
        JsonNode n = get(name);
        return n == null ? null : bool(name, false);
    }

    public int integer(String name, int dflt) {
        JsonNode n = get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw invalid("parameter '" + name + "' must be an integer");
        }
        return n.intValue();
    }

    public Integer optInteger(String name) {
        JsonNode n = get(name);
        return n == null ? null : integer(name, 0);
    }

    /** An unsigned 32-bit integer (0 to 4294967295), or null when absent. */
    public Long optUnsignedInt(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0 || n.longValue() > 0xFFFF_FFFFL) {
            throw invalid("parameter '" + name + "' must be an integer from 0 to 4294967295");
        }
        return n.longValue();
    }

    public boolean has(String name) {
        return get(name) != null;
    }

    /** True when the parameter is present with an explicit JSON null. */
    public boolean isExplicitNull(String name) {
        return params != null && params.has(name) && params.get(name).isNull();
    }

    private JsonNode get(String name) {
        if (params == null) {
            return null;
        }
        JsonNode n = params.get(name);
        return n == null || n.isNull() ? null : n;
    }

    private RpcProtocolException invalid(String what) {
        return new RpcProtocolException(null, RpcError.protocol(RpcError.INVALID_PARAMS,
                "Invalid params for " + method + ": " + what));
    }
}
