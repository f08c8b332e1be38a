package org.vnetd.daemon.rpc;

import java.util.HashMap;
import java.util.Map;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Params;

/** Maps each RPC method (docs/rpc.md) onto the network driver. */
public final class NetworkRpcService implements RpcDispatcher {
    public static final String VERSION = "0.1.0";

    private final NetworkDriver driver;
    private final Runnable firewallReload;

    public NetworkRpcService(NetworkDriver driver, Runnable firewallReload) {
        this.driver = driver;
        this.firewallReload = firewallReload;
    }

    @Override
    public Object call(RpcCall call) {
        Params p = call.params();
        return switch (call.method()) {
            case Methods.DAEMON_VERSION -> Map.of("version", VERSION);
            case Methods.NETWORK_LIST -> driver.list();
            case Methods.NETWORK_LOOKUP -> driver.lookup(p.string("network"));
            case Methods.NETWORK_GET_XML -> Map.of("xml", driver.getXml(p.string("network"), p.bool("inactive", false)));
            case Methods.NETWORK_DEFINE -> driver.define(p.string("xml"));
            case Methods.NETWORK_CREATE -> driver.create(p.string("xml"));
            case Methods.NETWORK_UNDEFINE -> {
                driver.undefine(p.string("network"));
                yield null;
            }
            case Methods.NETWORK_START -> {
                driver.start(p.string("network"));
                yield null;
            }
            case Methods.NETWORK_DESTROY -> {
                driver.destroy(p.string("network"));
                yield null;
            }
            case Methods.NETWORK_SET_AUTOSTART -> {
                if (!p.has("autostart")) {
                    p.string("autostart"); // reports the missing parameter
                }
                driver.setAutostart(p.string("network"), p.bool("autostart", true));
                yield null;
            }
            case Methods.NETWORK_UPDATE -> {
                NetworkDriver.UpdateResult r = driver.update(p.string("network"), p.string("command"), p.string("section"),
                        p.integer("parentIndex", -1), p.string("xml"), p.bool("live", false), p.bool("config", false));
                yield Map.of("live", r.live(), "config", r.config());
            }
            case Methods.NETWORK_DHCP_LEASES -> driver.dhcpLeases(p.string("network"), p.optString("mac"));
            case Methods.NETWORK_GET_METADATA -> {
                Map<String, Object> m = new HashMap<>();
                m.put("value", driver.getMetadata(p.string("network"), p.string("type"), p.optString("uri"),
                        p.bool("inactive", false)).orElse(null));
                yield m;
            }
            case Methods.NETWORK_SET_METADATA -> {
                driver.setMetadata(p.string("network"), p.string("type"), p.optString("value"), p.optString("key"),
                        p.optString("uri"), p.bool("live", false), p.bool("config", false));
                yield null;
            }
            case Methods.FIREWALL_RELOAD -> {
                firewallReload.run();
                yield null;
            }
            case Methods.PORT_CREATE, Methods.PORT_DELETE, Methods.PORT_LIST, Methods.PORT_GET_XML ->
                    throw new VnetException(ErrorCode.OPERATION_UNSUPPORTED, call.method() + " is not implemented in this daemon yet");
            default -> throw new VnetException(ErrorCode.RPC_UNKNOWN_METHOD, "unknown method " + call.method());
        };
    }
}
