package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Parses iproute2's {@code -j} output into a list of objects. */
final class IpJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IpJson() {
    }

    static List<JsonNode> parse(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            List<JsonNode> out = new ArrayList<>();
            root.forEach(out::add);
            return out;
        } catch (JsonProcessingException e) {
            throw new VnetException(ErrorCode.KERNEL, "cannot read the output of ip -j: " + e.getOriginalMessage(), e);
        }
    }
}
