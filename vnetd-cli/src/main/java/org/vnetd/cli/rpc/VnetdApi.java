package org.vnetd.cli.rpc;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Typed calls for every method of docs/rpc.md. Daemon errors surface as VnetException with its code. */
public final class VnetdApi implements AutoCloseable {
    private final RpcClient rpc;
    private final ObjectMapper json;

    public VnetdApi(RpcClient rpc, ObjectMapper json) {
        this.rpc = rpc;
        this.json = json;
    }

    public String version() {
        return rpc.call("daemon.version", Map.of()).path("version").asText();
    }

    public List<NetworkSummary> list() {
        return Arrays.asList(convert(rpc.call("network.list", Map.of()), NetworkSummary[].class));
    }

    public NetworkSummary lookup(String network) {
        return convert(rpc.call("network.lookup", Map.of("network", network)), NetworkSummary.class);
    }

    public String xml(String network, boolean inactive) {
        return rpc.call("network.getXml", Map.of("network", network, "inactive", inactive)).path("xml").asText();
    }

    public NetworkSummary define(String xml) {
        return convert(rpc.call("network.define", Map.of("xml", xml)), NetworkSummary.class);
    }

    public NetworkSummary create(String xml) {
        return convert(rpc.call("network.create", Map.of("xml", xml)), NetworkSummary.class);
    }

    public void undefine(String network) {
        rpc.call("network.undefine", Map.of("network", network));
    }

    public void start(String network) {
        rpc.call("network.start", Map.of("network", network));
    }

    public void destroy(String network) {
        rpc.call("network.destroy", Map.of("network", network));
    }

    public void setAutostart(String network, boolean autostart) {
        rpc.call("network.setAutostart", Map.of("network", network, "autostart", autostart));
    }

    /** What the daemon updated: {@code live} and/or {@code config}. */
    public record UpdateResult(boolean live, boolean config) {
    }

    public UpdateResult update(String network, String command, String section, String xml, int parentIndex,
                               boolean live, boolean config) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("network", network);
        p.put("command", command);
        p.put("section", section);
        p.put("xml", xml);
        p.put("parentIndex", parentIndex);
        p.put("live", live);
        p.put("config", config);
        JsonNode r = rpc.call("network.update", p);
        return new UpdateResult(r.path("live").asBoolean(live), r.path("config").asBoolean(config));
    }

    public List<Lease> leases(String network, String mac) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("network", network);
        if (mac != null) {
            p.put("mac", mac);
        }
        return Arrays.asList(convert(rpc.call("network.dhcpLeases", p), Lease[].class));
    }

    /** {@code type} is title, description or element; empty when the daemon has no value. */
    public Optional<String> metadata(String network, String type, String uri, boolean inactive) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("network", network);
        p.put("type", type);
        if (uri != null) {
            p.put("uri", uri);
        }
        p.put("inactive", inactive);
        JsonNode v = rpc.call("network.getMetadata", p).path("value");
        return v.isNull() || v.isMissingNode() ? Optional.empty() : Optional.of(v.asText());
    }

    /** A null {@code value} removes the metadata. */
    public void setMetadata(String network, String type, String value, String key, String uri, boolean live,
                            boolean config) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("network", network);
        p.put("type", type);
        p.put("value", value);
        if (key != null) {
            p.put("key", key);
        }
        if (uri != null) {
            p.put("uri", uri);
        }
        p.put("live", live);
        p.put("config", config);
        rpc.call("network.setMetadata", p);
    }

    public void subscribe(String network, String event) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (network != null) {
            p.put("network", network);
        }
        if (event != null) {
            p.put("event", event);
        }
        rpc.call("events.subscribe", p);
    }

    /** The next {@code event} notification within {@code timeout} (null: wait forever). */
    public Optional<NetworkEvent> nextEvent(Duration timeout) {
        while (true) {
            Optional<JsonNode> n = rpc.nextNotification(timeout);
            if (n.isEmpty()) {
                return Optional.empty();
            }
            if ("event".equals(n.get().path("method").asText())) {
                return Optional.of(convert(n.get().path("params"), NetworkEvent.class));
            }
        }
    }

    public void firewallReload() {
        rpc.call("firewall.reload", Map.of());
    }

    public Port createPort(Map<String, Object> params) {
        return convert(rpc.call("port.create", params), Port.class);
    }

    public void deletePort(String network, String uuid) {
        rpc.call("port.delete", Map.of("network", network, "uuid", uuid, "releaseLease", false));
    }

    public List<Port> ports(String network) {
        return Arrays.asList(convert(rpc.call("port.list", Map.of("network", network)), Port[].class));
    }

    public String portXml(String network, String uuid) {
        return rpc.call("port.getXml", Map.of("network", network, "uuid", uuid)).path("xml").asText();
    }

    private <T> T convert(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new org.vnetd.core.error.VnetException(org.vnetd.core.error.ErrorCode.RPC_PROTOCOL,
                    "unexpected reply from the daemon (not a " + type.getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        rpc.close();
    }
}
