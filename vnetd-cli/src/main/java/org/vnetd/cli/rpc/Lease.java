package org.vnetd.cli.rpc;

import java.util.LinkedHashMap;
import java.util.Map;

/** docs/rpc.md Lease; {@code expiryTime} is epoch seconds (0 = infinite), hostname and clientId may be null. */
public record Lease(long expiryTime, String mac, String protocol, String ipAddress, int prefix, String hostname,
                    String clientId) implements Json.Jsonable {

    public static Lease from(Object json) {
        Map<String, Object> m = Json.object(json, "Lease");
        return new Lease(Json.number(m, "expiryTime", 0), Json.string(m, "mac"), Json.string(m, "protocol"),
                Json.string(m, "ipAddress"), (int) Json.number(m, "prefix", 0), Json.string(m, "hostname"),
                Json.string(m, "clientId"));
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expiryTime", expiryTime);
        m.put("mac", mac);
        m.put("protocol", protocol);
        m.put("ipAddress", ipAddress);
        m.put("prefix", prefix);
        m.put("hostname", hostname);
        m.put("clientId", clientId);
        return m;
    }
}
