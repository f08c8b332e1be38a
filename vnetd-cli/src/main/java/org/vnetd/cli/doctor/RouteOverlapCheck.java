package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

/**
 * A host route into a network's subnet through another device (a VPN, a second LAN) steals the guests'
 * replies: the host sends them there instead of to the bridge.
 */
public final class RouteOverlapCheck implements Check {
    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        List<Finding> out = new ArrayList<>();
        List<Map<String, Object>> routes = new ArrayList<>(IpJson.parse(host.ipJson("-4", "route", "show")));
        routes.addAll(IpJson.parse(host.ipJson("-6", "route", "show")));
        for (NetworkFacts n : networks) {
            String bridge = n.summary().bridge();
            boolean clash = false;
            for (IpPrefix subnet : n.subnets()) {
                for (Map<String, Object> r : routes) {
                    String dst = IpJson.text(r, "dst");
                    String dev = IpJson.text(r, "dev");
                    if (dst.isEmpty() || dst.equals("default") || dev.equals(bridge)) {
                        continue;
                    }
                    IpPrefix route = toPrefix(dst);
                    if (route != null && route.overlaps(subnet)) {
                        clash = true;
                        out.add(new Finding("route-overlap", Severity.FAIL,
                                "network '" + n.name() + "' (" + subnet + ") overlaps the host route " + dst
                                        + " via " + (dev.isEmpty() ? "?" : dev),
                                "the host sends replies for guests of '" + n.name() + "' to " + dev
                                        + " instead of the bridge, so guests time out",
                                "give '" + n.name() + "' a free subnet (vnetctl net-edit " + n.name()
                                        + "), or remove the route if it is stale: ip route del " + dst
                                        + (dev.isEmpty() ? "" : " dev " + dev)));
                    }
                }
            }
            if (!clash && !n.subnets().isEmpty()) {
                out.add(Finding.ok("route-overlap", "no host route overlaps network '" + n.name() + "'"));
            }
        }
        return out;
    }

    private static IpPrefix toPrefix(String dst) {
        try {
            if (dst.contains("/")) {
                return IpPrefix.parse(dst);
            }
            var a = IpAddresses.parse(dst);
            return new IpPrefix(a, IpPrefix.maxLength(a));
        } catch (RuntimeException e) {
            return null; // a route type ip -j prints that is not an address (e.g. "multicast"); not comparable
        }
    }
}
