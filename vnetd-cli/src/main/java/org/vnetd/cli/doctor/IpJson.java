package org.vnetd.cli.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vnetd.client.Json;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Parses iproute2's {@code -j} output into a list of objects. */
final class IpJson {
    private IpJson() {
    }

    static List<Map<String, Object>> parse(String text) {
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object o : Json.array(Json.parse(text.getBytes(StandardCharsets.UTF_8)), "ip -j output")) {
                out.add(Json.object(o, "ip -j entry"));
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new VnetException(ErrorCode.KERNEL, "cannot read the output of ip -j: " + e.getMessage(), e);
        }
    }

    static String text(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v == null ? "" : v.toString();
    }
}
