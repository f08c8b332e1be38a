package org.vnetd.daemon.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.core.driver.KernelObserver;
import org.vnetd.core.pool.VirtualFunction;
import org.vnetd.core.pool.VirtualFunctions;
import org.vnetd.core.plan.KernelView;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.RouteInfo;

/** Reads links and main-table unicast routes over netlink. */
public final class NetlinkKernelObserver implements KernelObserver {
    private static final int RTN_UNICAST = 1;

    private final LinkBackend links;
    private final VirtualFunctions vfs;

    public NetlinkKernelObserver(LinkBackend links, VirtualFunctions vfs) {
        this.links = links;
        this.vfs = vfs;
    }

    @Override
    public List<VirtualFunction> virtualFunctions(String pf) {
        return vfs.of(pf);
    }

    @Override
    public KernelView observe() {
        Map<String, String> byName = new HashMap<>();
        for (LinkInfo l : links.listLinks()) {
            byName.put(l.name(), l.kind().orElse(""));
        }
        return new KernelView(byName, routes());
    }

    @Override
    public KernelView observe(Collection<String> linkNames) {
        Map<String, String> byName = new HashMap<>();
        for (String name : linkNames) {
            links.getLink(name).ifPresent(l -> byName.put(l.name(), l.kind().orElse("")));
        }
        return new KernelView(byName, routes());
    }

    private List<KernelView.Route> routes() {
        List<KernelView.Route> routes = new ArrayList<>();
        for (RouteInfo r : links.listRoutes()) {
            if (r.table() == RouteInfo.TABLE_MAIN && r.type() == RTN_UNICAST) {
                routes.add(new KernelView.Route(r.destination(), r.device().orElse(null)));
            }
        }
        return routes;
    }

    /**
     * By name, through the backend's lookup that takes no RTNL (ioctls, see {@link LinkBackend#linkRef}):
     * define's bridge-name choice asks this once per define, and an RTM_GETLINK would queue behind every
     * link change on the host (RTNL is one lock for all namespaces) and answer ENODEV, the usual answer
     * here, as an exception.
     */
    @Override
    public boolean linkExists(String name) {
        return links.linkRef(name).isPresent();
    }
}
