package org.vnetd.cli.rpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docs/rpc.md Port: a tap attached to a network's bridge on behalf of a VM launcher. */
public record Port(String uuid, String network, String tap, String tapMac, String mac, String bridge,
                   Integer ownerUid, Integer ownerGid, List<String> notes) implements Json.Jsonable {

    public static Port from(Object json) {
        Map<String, Object> m = Json.object(json, "Port");
        List<String> notes = new ArrayList<>();
        if (m.get("notes") instanceof List<?> l) {
            l.forEach(n -> notes.add(String.valueOf(n)));
        }
        return new Port(Json.string(m, "uuid"), Json.string(m, "network"), Json.string(m, "tap"),
                Json.string(m, "tapMac"), Json.string(m, "mac"), Json.string(m, "bridge"),
                Json.optionalInt(m, "ownerUid"), Json.optionalInt(m, "ownerGid"), notes);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", uuid);
        m.put("network", network);
        m.put("tap", tap);
        m.put("tapMac", tapMac);
        m.put("mac", mac);
        m.put("bridge", bridge);
        m.put("ownerUid", ownerUid);
        m.put("ownerGid", ownerGid);
        m.put("notes", notes);
        return m;
    }
}
