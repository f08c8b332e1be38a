package org.vnetd.daemon.rpc;

import static org.vnetd.daemon.rpc.RpcMethod.Access.READ;
import static org.vnetd.daemon.rpc.RpcMethod.Access.WRITE;
import static org.vnetd.daemon.rpc.RpcMethod.onWorker;

import java.util.List;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.rpc.MetadataResult;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Request;
import org.vnetd.core.rpc.XmlResult;

/** The {@code network.*} and {@code firewall.reload} methods (docs/rpc.md) over the network driver. */
public final class NetworkMethods {
    private final NetworkDriver driver;

    public NetworkMethods(NetworkDriver driver) {
        this.driver = driver;
    }

    public List<RpcMethod> all() {
        return List.of(
                onWorker(Methods.NETWORK_LIST, READ, Request.NetworkList.class, (r, c) -> driver.list()),
                onWorker(Methods.NETWORK_LOOKUP, READ, Request.NetworkLookup.class, (r, c) -> driver.lookup(r.network())),
                onWorker(Methods.NETWORK_GET_XML, READ, Request.NetworkGetXml.class,
                        (r, c) -> new XmlResult(driver.getXml(r.network(), r.inactive()))),
                onWorker(Methods.NETWORK_DEFINE, WRITE, Request.NetworkDefine.class, (r, c) -> driver.define(r.xml())),
                onWorker(Methods.NETWORK_CREATE, WRITE, Request.NetworkCreate.class, (r, c) -> driver.create(r.xml())),
                onWorker(Methods.NETWORK_UNDEFINE, WRITE, Request.NetworkUndefine.class, (r, c) -> {
                    driver.undefine(r.network());
                    return null;
                }),
                onWorker(Methods.NETWORK_START, WRITE, Request.NetworkStart.class, (r, c) -> {
                    driver.start(r.network());
                    return null;
                }),
                onWorker(Methods.NETWORK_DESTROY, WRITE, Request.NetworkDestroy.class, (r, c) -> {
                    driver.destroy(r.network());
                    return null;
                }),
                onWorker(Methods.NETWORK_SET_AUTOSTART, WRITE, Request.NetworkSetAutostart.class, (r, c) -> {
                    driver.setAutostart(r.network(), r.autostart());
                    return null;
                }),
                onWorker(Methods.NETWORK_UPDATE, WRITE, Request.NetworkUpdate.class, (r, c) -> driver.update(r.network(),
                        r.command(), r.section(), r.parentIndex(), r.xml(), r.live(), r.config())),
                onWorker(Methods.NETWORK_DHCP_LEASES, READ, Request.NetworkDhcpLeases.class,
                        (r, c) -> driver.dhcpLeases(r.network(), r.mac())),
                onWorker(Methods.NETWORK_GET_METADATA, READ, Request.NetworkGetMetadata.class,
                        (r, c) -> new MetadataResult(driver.getMetadata(r.network(), r.type(), r.uri(), r.inactive()).orElse(null))),
                onWorker(Methods.NETWORK_SET_METADATA, WRITE, Request.NetworkSetMetadata.class, (r, c) -> {
                    driver.setMetadata(r.network(), r.type(), r.value(), r.key(), r.uri(), r.live(), r.config());
                    return null;
                }),
                onWorker(Methods.FIREWALL_RELOAD, WRITE, Request.FirewallReload.class, (r, c) -> {
                    driver.reload();
                    return null;
                }));
    }
}
