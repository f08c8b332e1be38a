package org.vnetd.daemon.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vnetd.core.link.RouteInfo;
import org.vnetd.core.link.RouteSpec;

/**
 * RTM_NEWROUTE / DELROUTE / GETROUTE in the main table. Like {@code ip route add}: protocol "boot",
 * unicast, scope link for a device route without gateway, universe otherwise.
 */
final class RouteOps {
    private final NetlinkSocket socket;
    private final LinkOps links;

    RouteOps(NetlinkSocket socket, LinkOps links) {
        this.socket = socket;
        this.links = links;
    }

    private NlMessageWriter message(int type, int flags, RouteSpec spec, boolean delete, String op) {
        int scope = delete ? Nl.RT_SCOPE_NOWHERE // matches any scope, as `ip route del` does
                : spec.gateway().isPresent() ? Nl.RT_SCOPE_UNIVERSE : Nl.RT_SCOPE_LINK;
        NlMessageWriter w = new NlMessageWriter(type, flags)
                .u8(spec.destination().isIpv4() ? Nl.AF_INET : Nl.AF_INET6)
                .u8(spec.destination().length()).u8(0).u8(0) // dst_len, src_len, tos
                .u8(Nl.RT_TABLE_MAIN).u8(delete ? 0 : Nl.RTPROT_BOOT).u8(scope).u8(delete ? 0 : Nl.RTN_UNICAST)
                .u32(0);
        if (spec.destination().length() > 0) {
            w.attr(Nl.RTA_DST, spec.destination().address().getAddress());
        }
        spec.gateway().ifPresent(g -> w.attr(Nl.RTA_GATEWAY, g.getAddress()));
        if (spec.device().isPresent()) {
            w.attrU32(Nl.RTA_OIF, links.indexOf(spec.device().get(), op));
        }
        spec.metric().ifPresent(m -> w.attrU32(Nl.RTA_PRIORITY, m));
        return w;
    }

    void add(RouteSpec spec) {
        String op = "add route to " + spec.destination() + describe(spec);
        socket.request(message(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, spec, false, op), op,
                spec.device().orElse(null));
    }

    void delete(RouteSpec spec) {
        String op = "delete route to " + spec.destination() + describe(spec);
        socket.request(message(Nl.RTM_DELROUTE, 0, spec, true, op), op, spec.device().orElse(null));
    }

    private static String describe(RouteSpec spec) {
        return spec.gateway().map(g -> " via " + g.getHostAddress()).orElse("") + (spec.device().isPresent() ? " dev" : "");
    }

    List<RouteInfo> list() {
        Map<Integer, String> names = links.names();
        List<NlMessage> msgs = socket.dump(() -> new NlMessageWriter(Nl.RTM_GETROUTE, 0)
                .u8(Nl.AF_UNSPEC).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0), "list routes");
        List<RouteInfo> out = new ArrayList<>();
        for (NlMessage m : msgs) {
            if (m.type() == Nl.RTM_NEWROUTE) {
                RouteInfo r = RtParsers.route(m, names);
                if (r.table() == Nl.RT_TABLE_MAIN) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
