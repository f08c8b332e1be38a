package org.vnetd.cli.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallFinding;

/** Typed calls for every method of docs/rpc.md. Daemon errors surface as VnetException with its code. */
public final class VnetdApi implements AutoCloseable {
    private final RpcClient rpc;

    public VnetdApi(RpcClient rpc) {
        this.rpc = rpc;
    }

    public String version() {
        return field(rpc.call("daemon.version", Map.of()), "version");
    }

    public List<NetworkSummary> list() {
        return list(rpc.call("network.list", Map.of()), NetworkSummary::from);
    }

    public NetworkSummary lookup(String network) {
        return convert(rpc.call("network.lookup", Map.of("network", network)), NetworkSummary::from);
    }

    public String xml(String network, boolean inactive) {
        return field(rpc.call("network.getXml", Map.of("network", network, "inactive", inactive)), "xml");
    }

    public NetworkSummary define(String xml) {
        return convert(rpc.call("network.define", Map.of("xml", xml)), NetworkSummary::from);
    }

    public NetworkSummary create(String xml) {
        return convert(rpc.call("network.create", Map.of("xml", xml)), NetworkSummary::from);
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
        Map<String, Object> r = convert(rpc.call("network.update", p), o -> Json.object(o, "update result"));
        return new UpdateResult(r.containsKey("live") ? Json.bool(r, "live") : live,
                r.containsKey("config") ? Json.bool(r, "config") : config);
    }

    public List<Lease> leases(String network, String mac) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("network", network);
        if (mac != null) {
            p.put("mac", mac);
        }
        return list(rpc.call("network.dhcpLeases", p), Lease::from);
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
        return Optional.ofNullable(field(rpc.call("network.getMetadata", p), "value"));
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
            Optional<Map<String, Object>> n = rpc.nextNotification(timeout);
            if (n.isEmpty()) {
                return Optional.empty();
            }
            if ("event".equals(n.get().get("method"))) {
                return Optional.of(convert(n.get().get("params"), NetworkEvent::from));
            }
        }
    }

    public void firewallReload() {
        rpc.call("firewall.reload", Map.of());
    }

    /** {@code firewall.diagnose}: the daemon's findings about the host firewall for its running networks. */
    public List<FirewallFinding> firewallDiagnose() {
        return convert(rpc.call("firewall.diagnose", Map.of()), r -> {
            List<FirewallFinding> out = new ArrayList<>();
            for (Object o : Json.array(Json.object(r, "result").get("findings"), "findings")) {
                Map<String, Object> m = Json.object(o, "FirewallFinding");
                String severity = Json.string(m, "severity");
                out.add(new FirewallFinding(Json.string(m, "check"),
                        FirewallFinding.Severity.valueOf(severity == null ? "" : severity),
                        Json.string(m, "message"), Json.string(m, "hint")));
            }
            return out;
        });
    }

    public Port createPort(Map<String, Object> params) {
        return convert(rpc.call("port.create", params), Port::from);
    }

    public void deletePort(String network, String uuid) {
        rpc.call("port.delete", Map.of("network", network, "uuid", uuid, "releaseLease", false));
    }

    public List<Port> ports(String network) {
        return list(rpc.call("port.list", Map.of("network", network)), Port::from);
    }

    public String portXml(String network, String uuid) {
        return field(rpc.call("port.getXml", Map.of("network", network, "uuid", uuid)), "xml");
    }

    private static <T> T convert(Object result, Function<Object, T> reader) {
        try {
            return reader.apply(result);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new VnetException(ErrorCode.RPC_PROTOCOL, "unexpected reply from the daemon: " + e.getMessage(), e);
        }
    }

    private static <T> List<T> list(Object result, Function<Object, T> reader) {
        return convert(result, r -> {
            List<T> out = new ArrayList<>();
            for (Object o : Json.array(r, "result")) {
                out.add(reader.apply(o));
            }
            return out;
        });
    }

    /** A string field of an object result; null when absent or null. */
    private static String field(Object result, String name) {
        return convert(result, r -> Json.string(Json.object(r, "result"), name));
    }

    @Override
    public void close() {
        rpc.close();
    }
}
