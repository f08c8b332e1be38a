package org.vnetd.cli.rpc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * docs/rpc.md NetworkSummary: what net-list and net-info show. {@code bridge} and {@code title} may be
 * null; {@code degraded} is null unless the network runs but a service of it does not (the reason).
 */
public record NetworkSummary(String name, String uuid, boolean active, boolean persistent, boolean autostart,
                             String bridge, String title, String degraded) implements Json.Jsonable {

    public NetworkSummary(String name, String uuid, boolean active, boolean persistent, boolean autostart,
            String bridge, String title) {
        this(name, uuid, active, persistent, autostart, bridge, title, null);
    }

    public static NetworkSummary from(Object json) {
        Map<String, Object> m = Json.object(json, "NetworkSummary");
        return new NetworkSummary(Json.string(m, "name"), Json.string(m, "uuid"), Json.bool(m, "active"),
                Json.bool(m, "persistent"), Json.bool(m, "autostart"), Json.string(m, "bridge"),
                Json.string(m, "title"), Json.string(m, "degraded"));
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("uuid", uuid);
        m.put("active", active);
        m.put("persistent", persistent);
        m.put("autostart", autostart);
        m.put("bridge", bridge);
        m.put("title", title);
        if (degraded != null) {
            m.put("degraded", degraded);
        }
        return m;
    }
}
