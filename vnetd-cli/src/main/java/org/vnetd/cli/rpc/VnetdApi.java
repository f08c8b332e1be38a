package org.vnetd.cli.rpc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.vnetd.client.Json;
import org.vnetd.client.RpcClient;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallFinding;
import org.vnetd.core.rpc.DiagnoseResult;
import org.vnetd.core.rpc.ImportResult;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.MetadataResult;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.Port;
import org.vnetd.core.rpc.UpdateResult;
import org.vnetd.core.rpc.VersionResult;
import org.vnetd.core.rpc.XmlResult;

/**
 * Typed calls for every method of docs/rpc.md, answered with the records of {@code org.vnetd.core.rpc} that the
 * daemon writes. Daemon errors surface as VnetException with its code.
 */
public final class VnetdApi implements AutoCloseable {
    private final RpcClient rpc;

    public VnetdApi(RpcClient rpc) {
        this.rpc = rpc;
    }

    public String version() {
        return read(rpc.call(Methods.DAEMON_VERSION, Map.of()), VersionResult.class).version();
    }

    public List<NetworkSummary> list() {
        return list(rpc.call(Methods.NETWORK_LIST, Map.of()), NetworkSummary.class);
    }

    public NetworkSummary lookup(String network) {
        return read(rpc.call(Methods.NETWORK_LOOKUP, Map.of("network", network)), NetworkSummary.class);
    }

    public String xml(String network, boolean inactive) {
        return read(rpc.call(Methods.NETWORK_GET_XML, Map.of("network", network, "inactive", inactive)), XmlResult.class).xml();
    }

    public NetworkSummary define(String xml) {
        return read(rpc.call(Methods.NETWORK_DEFINE, Map.of("xml", xml)), NetworkSummary.class);
    }

    public NetworkSummary create(String xml) {
        return read(rpc.call(Methods.NETWORK_CREATE, Map.of("xml", xml)), NetworkSummary.class);
    }

    public void undefine(String network) {
        rpc.call(Methods.NETWORK_UNDEFINE, Map.of("network", network));
    }

    public void start(String network) {
        rpc.call(Methods.NETWORK_START, Map.of("network", network));
    }

    public void destroy(String network) {
        rpc.call(Methods.NETWORK_DESTROY, Map.of("network", network));
    }

    public void setAutostart(String network, boolean autostart) {
        rpc.call(Methods.NETWORK_SET_AUTOSTART, Map.of("network", network, "autostart", autostart));
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
        Map<String, Object> r = convert(rpc.call(Methods.NETWORK_UPDATE, p), o -> Json.object(o, "update result"));
        // a daemon that does not say what it updated did what was asked
        r.putIfAbsent("live", live);
        r.putIfAbsent("config", config);
        return read(r, UpdateResult.class);
    }

    public List<Lease> leases(String network, String mac) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("network", network);
        if (mac != null) {
            p.put("mac", mac);
        }
        return list(rpc.call(Methods.NETWORK_DHCP_LEASES, p), Lease.class);
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
        return Optional.ofNullable(read(rpc.call(Methods.NETWORK_GET_METADATA, p), MetadataResult.class).value());
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
        rpc.call(Methods.NETWORK_SET_METADATA, p);
    }

    public void subscribe(String network, String event) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (network != null) {
            p.put("network", network);
        }
        if (event != null) {
            p.put("event", event);
        }
        rpc.call(Methods.EVENTS_SUBSCRIBE, p);
    }

    /** The next {@code event} notification within {@code timeout} (null: wait forever). */
    public Optional<NetworkEvent> nextEvent(Duration timeout) {
        while (true) {
            Optional<Map<String, Object>> n = rpc.nextNotification(timeout);
            if (n.isEmpty()) {
                return Optional.empty();
            }
            if (Methods.EVENT.equals(n.get().get("method"))) {
                return Optional.of(read(n.get().get("params"), NetworkEvent.class));
            }
        }
    }

    public void firewallReload() {
        rpc.call(Methods.FIREWALL_RELOAD, Map.of());
    }

    /** {@code firewall.diagnose}: the daemon's findings about the host firewall for its running networks. */
    public List<FirewallFinding> firewallDiagnose() {
        return read(rpc.call(Methods.FIREWALL_DIAGNOSE, Map.of()), DiagnoseResult.class).findings();
    }

    /** {@code network.importLibvirt} with its params (configDir, statusDir, leaseDir, takeover, dryRun). */
    public ImportResult importLibvirt(Map<String, Object> params) {
        return read(rpc.call(Methods.NETWORK_IMPORT_LIBVIRT, params), ImportResult.class);
    }

    public Port createPort(Map<String, Object> params) {
        return read(rpc.call(Methods.PORT_CREATE, params), Port.class);
    }

    public void deletePort(String network, String uuid) {
        rpc.call(Methods.PORT_DELETE, Map.of("network", network, "uuid", uuid, "releaseLease", false));
    }

    public List<Port> ports(String network) {
        return list(rpc.call(Methods.PORT_LIST, Map.of("network", network)), Port.class);
    }

    public String portXml(String network, String uuid) {
        return read(rpc.call(Methods.PORT_GET_XML, Map.of("network", network, "uuid", uuid)), XmlResult.class).xml();
    }

    private static <T> T convert(Object result, Function<Object, T> reader) {
        try {
            return reader.apply(result);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new VnetException(ErrorCode.RPC_PROTOCOL, "unexpected reply from the daemon: " + e.getMessage(), e);
        }
    }

    private static <T> T read(Object result, Class<T> type) {
        return convert(result, r -> Json.read(r, type));
    }

    private static <T> List<T> list(Object result, Class<T> type) {
        return convert(result, r -> Json.readList(r, type));
    }

    @Override
    public void close() {
        rpc.close();
    }
}
