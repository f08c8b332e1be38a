package org.vnetd.cli.rpc;

import java.time.Duration;
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
import org.vnetd.core.rpc.Request;
import org.vnetd.core.rpc.ServiceStats;
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
        return read(rpc.call(new Request.DaemonVersion()), VersionResult.class).version();
    }

    public List<NetworkSummary> list() {
        return list(rpc.call(new Request.NetworkList()), NetworkSummary.class);
    }

    public NetworkSummary lookup(String network) {
        return read(rpc.call(new Request.NetworkLookup(network)), NetworkSummary.class);
    }

    public String xml(String network, boolean inactive) {
        return read(rpc.call(new Request.NetworkGetXml(network, inactive)), XmlResult.class).xml();
    }

    public NetworkSummary define(String xml) {
        return read(rpc.call(new Request.NetworkDefine(xml)), NetworkSummary.class);
    }

    public NetworkSummary create(String xml) {
        return read(rpc.call(new Request.NetworkCreate(xml)), NetworkSummary.class);
    }

    public void undefine(String network) {
        rpc.call(new Request.NetworkUndefine(network));
    }

    public void start(String network) {
        rpc.call(new Request.NetworkStart(network));
    }

    public void destroy(String network) {
        rpc.call(new Request.NetworkDestroy(network));
    }

    public void setAutostart(String network, boolean autostart) {
        rpc.call(new Request.NetworkSetAutostart(network, autostart));
    }

    public UpdateResult update(String network, String command, String section, String xml, int parentIndex,
                               boolean live, boolean config) {
        Map<String, Object> r = convert(rpc.call(new Request.NetworkUpdate(network, command, section, parentIndex, xml, live,
                config)), o -> Json.object(o, "update result"));
        // a daemon that does not say what it updated did what was asked
        r.putIfAbsent("live", live);
        r.putIfAbsent("config", config);
        return read(r, UpdateResult.class);
    }

    public List<Lease> leases(String network, String mac) {
        return list(rpc.call(new Request.NetworkDhcpLeases(network, mac)), Lease.class);
    }

    public ServiceStats serviceStats(String network) {
        return read(rpc.call(new Request.NetworkServiceStats(network)), ServiceStats.class);
    }

    /** {@code type} is title, description or element; empty when the daemon has no value. */
    public Optional<String> metadata(String network, String type, String uri, boolean inactive) {
        return Optional.ofNullable(read(rpc.call(new Request.NetworkGetMetadata(network, type, uri, inactive)),
                MetadataResult.class).value());
    }

    /** A null {@code value} removes the metadata. */
    public void setMetadata(String network, String type, String value, String key, String uri, boolean live,
                            boolean config) {
        rpc.call(new Request.NetworkSetMetadata(network, type, value, key, uri, live, config));
    }

    public void subscribe(String network, String event) {
        rpc.call(new Request.EventsSubscribe(network, event));
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
        rpc.call(new Request.FirewallReload());
    }

    /** {@code firewall.diagnose}: the daemon's findings about the host firewall for its running networks. */
    public List<FirewallFinding> firewallDiagnose() {
        return read(rpc.call(new Request.FirewallDiagnose()), DiagnoseResult.class).findings();
    }

    /** {@code network.importLibvirt}. */
    public ImportResult importLibvirt(Request.NetworkImportLibvirt request) {
        return read(rpc.call(request), ImportResult.class);
    }

    public Port createPort(Request.PortCreate request) {
        return read(rpc.call(request), Port.class);
    }

    public void deletePort(String network, String uuid) {
        rpc.call(new Request.PortDelete(network, uuid, false));
    }

    public List<Port> ports(String network) {
        return list(rpc.call(new Request.PortList(network)), Port.class);
    }

    public String portXml(String network, String uuid) {
        return read(rpc.call(new Request.PortGetXml(network, uuid)), XmlResult.class).xml();
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
