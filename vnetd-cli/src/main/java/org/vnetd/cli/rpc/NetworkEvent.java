package org.vnetd.cli.rpc;

import java.util.Map;

/**
 * The params of an {@code event} notification; {@code timestamp} is epoch milliseconds; {@code uri} the namespace of
 * changed element metadata (null otherwise, and from daemons that do not send it).
 */
public record NetworkEvent(String network, String uuid, String event, String detail, long timestamp, String uri) {

    public static NetworkEvent from(Object json) {
        Map<String, Object> m = Json.object(json, "event");
        return new NetworkEvent(Json.string(m, "network"), Json.string(m, "uuid"), Json.string(m, "event"),
                Json.string(m, "detail"), Json.number(m, "timestamp", 0), Json.string(m, "uri"));
    }
}
