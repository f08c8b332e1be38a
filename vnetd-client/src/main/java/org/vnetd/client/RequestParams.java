package org.vnetd.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Request;

/**
 * A {@link Request} record as the method name and params of docs/rpc.md, by hand (no reflection, for the same
 * start-up reason as {@link WireRecords}): optional values left out when null, flags and counts always sent.
 * {@code RequestParamsTest} decodes every one back with the daemon's {@code RequestDecoder}.
 */
final class RequestParams {
    private record Writer(String method, Function<Request, Map<String, Object>> params) {
    }

    private static final Map<Class<?>, Writer> WRITERS = Map.ofEntries(
            w(Request.DaemonVersion.class, Methods.DAEMON_VERSION, r -> present()),
            w(Request.NetworkList.class, Methods.NETWORK_LIST, r -> present()),
            w(Request.NetworkLookup.class, Methods.NETWORK_LOOKUP, r -> present("network", r.network())),
            w(Request.NetworkGetXml.class, Methods.NETWORK_GET_XML, r -> present("network", r.network(), "inactive", r.inactive())),
            w(Request.NetworkDefine.class, Methods.NETWORK_DEFINE, r -> present("xml", r.xml())),
            w(Request.NetworkCreate.class, Methods.NETWORK_CREATE, r -> present("xml", r.xml())),
            w(Request.NetworkUndefine.class, Methods.NETWORK_UNDEFINE, r -> present("network", r.network())),
            w(Request.NetworkStart.class, Methods.NETWORK_START, r -> present("network", r.network())),
            w(Request.NetworkDestroy.class, Methods.NETWORK_DESTROY, r -> present("network", r.network())),
            w(Request.NetworkSetAutostart.class, Methods.NETWORK_SET_AUTOSTART,
                    r -> present("network", r.network(), "autostart", r.autostart())),
            w(Request.NetworkUpdate.class, Methods.NETWORK_UPDATE, r -> present("network", r.network(), "command",
                    r.command(), "section", r.section(), "xml", r.xml(), "parentIndex", r.parentIndex(), "live", r.live(),
                    "config", r.config())),
            w(Request.NetworkDhcpLeases.class, Methods.NETWORK_DHCP_LEASES, r -> present("network", r.network(), "mac", r.mac())),
            w(Request.NetworkServiceStats.class, Methods.NETWORK_SERVICE_STATS, r -> present("network", r.network())),
            w(Request.NetworkGetMetadata.class, Methods.NETWORK_GET_METADATA, r -> present("network", r.network(), "type",
                    r.type(), "uri", r.uri(), "inactive", r.inactive())),
            w(Request.NetworkSetMetadata.class, Methods.NETWORK_SET_METADATA, r -> {
                Map<String, Object> p = present("network", r.network(), "type", r.type());
                p.put("value", r.value()); // null is sent: it removes the metadata
                p.putAll(present("key", r.key(), "uri", r.uri(), "live", r.live(), "config", r.config()));
                return p;
            }),
            w(Request.NetworkImportLibvirt.class, Methods.NETWORK_IMPORT_LIBVIRT, r -> present("configDir", r.configDir(),
                    "statusDir", r.statusDir(), "leaseDir", r.leaseDir(), "takeover", r.takeover(), "dryRun", r.dryRun())),
            w(Request.EventsSubscribe.class, Methods.EVENTS_SUBSCRIBE, r -> present("network", r.network(), "event", r.event())),
            w(Request.FirewallReload.class, Methods.FIREWALL_RELOAD, r -> present()),
            w(Request.FirewallDiagnose.class, Methods.FIREWALL_DIAGNOSE, r -> present()),
            w(Request.PortCreate.class, Methods.PORT_CREATE, r -> {
                Map<String, Object> p = present("network", r.network(), "mac", r.mac(), "ownerUid", r.ownerUid(), "ownerGid",
                        r.ownerGid(), "tap", r.tap());
                if (r.multiQueue()) {
                    p.put("multiQueue", true);
                }
                if (r.queues() != 1) {
                    p.put("queues", r.queues());
                }
                if (r.vnetHdr()) {
                    p.put("vnetHdr", true);
                }
                p.putAll(present("portgroup", r.portgroup()));
                if (r.passFd()) {
                    p.put("passFd", true);
                }
                p.putAll(present("ip", r.ip(), "isolated", r.isolated(), "ownerName", r.ownerName(), "ownerUuid",
                        r.ownerUuid()));
                return p;
            }),
            w(Request.PortDelete.class, Methods.PORT_DELETE, r -> present("network", r.network(), "uuid", r.uuid(),
                    "releaseLease", r.releaseLease())),
            w(Request.PortList.class, Methods.PORT_LIST, r -> present("network", r.network())),
            w(Request.PortGetXml.class, Methods.PORT_GET_XML, r -> present("network", r.network(), "uuid", r.uuid())),
            w(Request.PortFd.class, Methods.PORT_FD, r -> present("fdToken", r.fdToken())),
            w(Request.PortSetBandwidth.class, Methods.PORT_SET_BANDWIDTH, r -> {
                Map<String, Object> p = present("uuid", r.uuid(), "network", r.network());
                p.putAll(r.parameters());
                return p;
            }));

    private RequestParams() {
    }

    static String method(Request r) {
        return writer(r).method();
    }

    static Map<String, Object> params(Request r) {
        return writer(r).params().apply(r);
    }

    private static Writer writer(Request r) {
        Writer w = WRITERS.get(r.getClass());
        if (w == null) {
            throw new IllegalArgumentException("no params writer for " + r.getClass().getSimpleName());
        }
        return w;
    }

    private static <R extends Request> Map.Entry<Class<?>, Writer> w(Class<R> type, String method,
            Function<R, Map<String, Object>> params) {
        return Map.entry(type, new Writer(method, r -> params.apply(type.cast(r))));
    }

    /** Names and values in order, the null values left out. */
    private static Map<String, Object> present(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                m.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return m;
    }
}
