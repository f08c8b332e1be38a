package org.vnetd.daemon.netlink;

import java.net.Inet4Address;

import org.vnetd.core.link.NeighbourSpec;

/** RTM_NEWNEIGH / DELNEIGH: permanent ARP/NDP entries. */
final class NeighbourOps {
    private final NetlinkSocket socket;
    private final LinkOps links;

    NeighbourOps(NetlinkSocket socket, LinkOps links) {
        this.socket = socket;
        this.links = links;
    }

    private NlMessageWriter message(int type, int flags, NeighbourSpec spec, String op) {
        int index = links.indexOf(spec.ifname(), op);
        return new NlMessageWriter(type, flags)
                .u8(spec.address() instanceof Inet4Address ? Nl.AF_INET : Nl.AF_INET6).u8(0).u16(0)
                .u32(index).u16(Nl.NUD_PERMANENT).u8(0).u8(0)
                .attr(Nl.NDA_DST, spec.address().getAddress());
    }

    /** Adds or replaces (NLM_F_REPLACE): a DHCP reply must reach the client even if a stale entry exists. */
    void add(NeighbourSpec spec) {
        String op = "add neighbour " + spec.address().getHostAddress() + " at " + spec.mac() + " on";
        socket.request(message(Nl.RTM_NEWNEIGH, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, spec, op)
                .attr(Nl.NDA_LLADDR, spec.mac().octets()), op, spec.ifname());
    }

    void delete(NeighbourSpec spec) {
        String op = "delete neighbour " + spec.address().getHostAddress() + " on";
        socket.request(message(Nl.RTM_DELNEIGH, 0, spec, op), op, spec.ifname());
    }
}
