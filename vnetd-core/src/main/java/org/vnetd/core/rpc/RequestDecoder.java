package org.vnetd.core.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.rpc.Request.DaemonVersion;
import org.vnetd.core.rpc.Request.EventsSubscribe;
import org.vnetd.core.rpc.Request.FirewallDiagnose;
import org.vnetd.core.rpc.Request.FirewallReload;
import org.vnetd.core.rpc.Request.NetworkCreate;
import org.vnetd.core.rpc.Request.NetworkDefine;
import org.vnetd.core.rpc.Request.NetworkDestroy;
import org.vnetd.core.rpc.Request.NetworkDhcpLeases;
import org.vnetd.core.rpc.Request.NetworkGetMetadata;
import org.vnetd.core.rpc.Request.NetworkGetXml;
import org.vnetd.core.rpc.Request.NetworkList;
import org.vnetd.core.rpc.Request.NetworkLookup;
import org.vnetd.core.rpc.Request.NetworkServiceStats;
import org.vnetd.core.rpc.Request.NetworkSetAutostart;
import org.vnetd.core.rpc.Request.NetworkSetMetadata;
import org.vnetd.core.rpc.Request.NetworkStart;
import org.vnetd.core.rpc.Request.NetworkUndefine;
import org.vnetd.core.rpc.Request.NetworkUpdate;
import org.vnetd.core.rpc.Request.PortCreate;
import org.vnetd.core.rpc.Request.PortDelete;
import org.vnetd.core.rpc.Request.PortFd;
import org.vnetd.core.rpc.Request.PortGetXml;
import org.vnetd.core.rpc.Request.PortList;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON RPC request's params as the method's {@link Request} record: the one place that reads params. A
 * missing or ill-typed parameter is an {@link RpcError#INVALID_PARAMS} {@link RpcProtocolException} naming the
 * method and the parameter ({@link Params}); unknown parameters are ignored, as they always were.
 */
public final class RequestDecoder {
    private static final Map<String, Function<Params, Request>> BY_METHOD = Map.ofEntries(
            Map.entry(Methods.DAEMON_VERSION, p -> new DaemonVersion()),
            Map.entry(Methods.NETWORK_LIST, p -> new NetworkList()),
            Map.entry(Methods.NETWORK_LOOKUP, p -> new NetworkLookup(p.string("network"))),
            Map.entry(Methods.NETWORK_GET_XML, p -> new NetworkGetXml(p.string("network"), p.bool("inactive", false))),
            Map.entry(Methods.NETWORK_DEFINE, p -> new NetworkDefine(p.string("xml"))),
            Map.entry(Methods.NETWORK_CREATE, p -> new NetworkCreate(p.string("xml"))),
            Map.entry(Methods.NETWORK_UNDEFINE, p -> new NetworkUndefine(p.string("network"))),
            Map.entry(Methods.NETWORK_START, p -> new NetworkStart(p.string("network"))),
            Map.entry(Methods.NETWORK_DESTROY, p -> new NetworkDestroy(p.string("network"))),
            Map.entry(Methods.NETWORK_SET_AUTOSTART, RequestDecoder::setAutostart),
            Map.entry(Methods.NETWORK_UPDATE, p -> {
                String network = p.string("network");
                String command = p.string("command");
                String section = p.string("section");
                int parentIndex = p.integer("parentIndex", -1);
                return new NetworkUpdate(network, command, section, parentIndex, p.string("xml"), p.bool("live", false),
                        p.bool("config", false));
            }),
            Map.entry(Methods.NETWORK_DHCP_LEASES, p -> new NetworkDhcpLeases(p.string("network"), p.optString("mac"))),
            Map.entry(Methods.NETWORK_SERVICE_STATS, p -> new NetworkServiceStats(p.string("network"))),
            Map.entry(Methods.NETWORK_GET_METADATA, p -> {
                String network = p.string("network");
                String type = p.string("type");
                return new NetworkGetMetadata(network, type, p.optString("uri"), p.bool("inactive", false));
            }),
            Map.entry(Methods.NETWORK_SET_METADATA, p -> {
                String network = p.string("network");
                String type = p.string("type");
                String value = p.optString("value");
                String key = p.optString("key");
                return new NetworkSetMetadata(network, type, value, key, p.optString("uri"), p.bool("live", false),
                        p.bool("config", false));
            }),
            Map.entry(Methods.NETWORK_IMPORT_LIBVIRT, p -> {
                String configDir = p.optString("configDir");
                String statusDir = p.optString("statusDir");
                String leaseDir = p.optString("leaseDir");
                return new Request.NetworkImportLibvirt(configDir, statusDir, leaseDir, p.bool("takeover", false),
                        p.bool("dryRun", false));
            }),
            Map.entry(Methods.EVENTS_SUBSCRIBE, RequestDecoder::subscribe),
            Map.entry(Methods.FIREWALL_RELOAD, p -> new FirewallReload()),
            Map.entry(Methods.FIREWALL_DIAGNOSE, p -> new FirewallDiagnose()),
            Map.entry(Methods.PORT_CREATE, RequestDecoder::portCreate),
            Map.entry(Methods.PORT_DELETE, p -> {
                String network = p.optString("network");
                return new PortDelete(network, p.string("uuid"), p.bool("releaseLease", false));
            }),
            Map.entry(Methods.PORT_LIST, p -> new PortList(p.optString("network"))),
            Map.entry(Methods.PORT_GET_XML, p -> {
                String network = p.optString("network");
                return new PortGetXml(network, p.string("uuid"));
            }),
            Map.entry(Methods.PORT_FD, p -> new PortFd(p.string("fdToken"))),
            Map.entry(Methods.PORT_SET_BANDWIDTH, RequestDecoder::setBandwidth));

    private RequestDecoder() {
    }

    /** The methods it decodes: {@link Methods#ALL}. */
    public static Set<String> methods() {
        return BY_METHOD.keySet();
    }

    /** {@code params} (null or an object) of a call of {@code method}, one of {@link Methods#ALL}. */
    public static Request decode(String method, JsonNode params) {
        Function<Params, Request> decoder = BY_METHOD.get(method);
        if (decoder == null) {
            throw new RpcProtocolException(null, RpcError.protocol(RpcError.METHOD_NOT_FOUND,
                    "Method not found: '" + method + "'"));
        }
        return decoder.apply(new Params(method, params));
    }

    private static Request setAutostart(Params p) {
        if (!p.has("autostart")) {
            p.string("autostart"); // reports the missing parameter
        }
        return new NetworkSetAutostart(p.string("network"), p.bool("autostart", true));
    }

    private static Request subscribe(Params p) {
        String network = p.optString("network");
        String event = p.optString("event");
        if (event != null && !event.equals(NetworkEvent.LIFECYCLE) && !event.equals(NetworkEvent.METADATA_CHANGE)
                && !event.equals(NetworkEvent.SERVICE_HEALTH)) {
            throw new RpcProtocolException(null, RpcError.protocol(RpcError.INVALID_PARAMS, "Invalid params for "
                    + "events.subscribe: unknown event '" + event + "' (lifecycle, metadata-change, service-health)"));
        }
        return new EventsSubscribe(network, event);
    }

    private static Request setBandwidth(Params p) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String field : Bandwidths.PARAMETERS) {
            Long v = p.optUnsignedInt(field);
            if (v != null) {
                values.put(field, v);
            }
        }
        String network = p.optString("network");
        return new Request.PortSetBandwidth(network, p.string("uuid"), values);
    }

    private static Request portCreate(Params p) {
        String network = p.string("network");
        String mac = p.string("mac");
        Integer ownerUid = p.optInteger("ownerUid");
        Integer ownerGid = p.optInteger("ownerGid");
        String tap = p.optString("tap");
        boolean multiQueue = p.bool("multiQueue", false);
        int queues = p.integer("queues", 1);
        boolean passFd = p.bool("passFd", false);
        String ip = p.optString("ip");
        return new PortCreate(network, mac, ownerUid, ownerGid, tap, multiQueue, queues, p.bool("vnetHdr", false),
                p.optString("portgroup"), passFd, ip, p.optBool("isolated"), p.optString("ownerName"),
                p.optString("ownerUuid"));
    }
}
