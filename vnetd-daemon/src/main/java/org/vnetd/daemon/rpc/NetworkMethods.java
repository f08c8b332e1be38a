package org.vnetd.daemon.rpc;

import static org.vnetd.daemon.rpc.RpcMethod.Access.READ;
import static org.vnetd.daemon.rpc.RpcMethod.Access.WRITE;
import static org.vnetd.daemon.rpc.RpcMethod.onWorker;

import java.util.List;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.rpc.MetadataResult;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Params;
import org.vnetd.core.rpc.UpdateResult;
import org.vnetd.core.rpc.XmlResult;

/** The {@code network.*} and {@code firewall.reload} methods (docs/rpc.md) over the network driver. */
public final class NetworkMethods {
    private final NetworkDriver driver;

    public NetworkMethods(NetworkDriver driver) {
        this.driver = driver;
    }

    public List<RpcMethod> all() {
        return List.of(
                onWorker(Methods.NETWORK_LIST, READ, c -> driver.list()),
                onWorker(Methods.NETWORK_LOOKUP, READ, c -> driver.lookup(c.params().string("network"))),
                onWorker(Methods.NETWORK_GET_XML, READ, c -> new XmlResult(
                        driver.getXml(c.params().string("network"), c.params().bool("inactive", false)))),
                onWorker(Methods.NETWORK_DEFINE, WRITE, c -> driver.define(c.params().string("xml"))),
                onWorker(Methods.NETWORK_CREATE, WRITE, c -> driver.create(c.params().string("xml"))),
                onWorker(Methods.NETWORK_UNDEFINE, WRITE, c -> {
                    driver.undefine(c.params().string("network"));
                    return null;
                }),
                onWorker(Methods.NETWORK_START, WRITE, c -> {
                    driver.start(c.params().string("network"));
                    return null;
                }),
                onWorker(Methods.NETWORK_DESTROY, WRITE, c -> {
                    driver.destroy(c.params().string("network"));
                    return null;
                }),
                onWorker(Methods.NETWORK_SET_AUTOSTART, WRITE, c -> setAutostart(c.params())),
                onWorker(Methods.NETWORK_UPDATE, WRITE, c -> update(c.params())),
                onWorker(Methods.NETWORK_DHCP_LEASES, READ,
                        c -> driver.dhcpLeases(c.params().string("network"), c.params().optString("mac"))),
                onWorker(Methods.NETWORK_GET_METADATA, READ, c -> getMetadata(c.params())),
                onWorker(Methods.NETWORK_SET_METADATA, WRITE, c -> setMetadata(c.params())),
                onWorker(Methods.FIREWALL_RELOAD, WRITE, c -> {
                    driver.reload();
                    return null;
                }));
    }

    private Object setAutostart(Params p) {
        if (!p.has("autostart")) {
            p.string("autostart"); // reports the missing parameter
        }
        driver.setAutostart(p.string("network"), p.bool("autostart", true));
        return null;
    }

    private UpdateResult update(Params p) {
        return driver.update(p.string("network"), p.string("command"), p.string("section"),
                p.integer("parentIndex", -1), p.string("xml"), p.bool("live", false), p.bool("config", false));
    }

    private MetadataResult getMetadata(Params p) {
        return new MetadataResult(driver.getMetadata(p.string("network"), p.string("type"), p.optString("uri"),
                p.bool("inactive", false)).orElse(null));
    }

    private Object setMetadata(Params p) {
        driver.setMetadata(p.string("network"), p.string("type"), p.optString("value"), p.optString("key"),
                p.optString("uri"), p.bool("live", false), p.bool("config", false));
        return null;
    }
}
