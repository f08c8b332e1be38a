package org.vnetd.daemon.rpc;

import java.util.List;
import java.util.function.Function;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.Request;
import org.vnetd.core.rpc.ServiceStats;

/**
 * {@code network.serviceStats} (docs/rpc.md): the network found by name or UUID as every method finds it
 * (an unknown one is the driver's NO_SUCH_NETWORK), then the counters its running services keep; an
 * inactive network runs none.
 */
public final class ServiceStatsMethod {
    private final NetworkDriver driver;
    private final Function<String, ServiceStats> counters;

    /** @param counters the counters of a running network's services, by network name */
    public ServiceStatsMethod(NetworkDriver driver, Function<String, ServiceStats> counters) {
        this.driver = driver;
        this.counters = counters;
    }

    public List<RpcMethod> all() {
        return List.of(RpcMethod.onWorker(Methods.NETWORK_SERVICE_STATS, RpcMethod.Access.READ, Request.NetworkServiceStats.class,
                (r, c) -> stats(r.network())));
    }

    private ServiceStats stats(String network) {
        NetworkSummary n = driver.lookup(network);
        return n.active() ? counters.apply(n.name()) : new ServiceStats(n.name(), null, null, null);
    }
}
