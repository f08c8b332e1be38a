package org.vnetd.daemon.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vnetd.core.link.AddressInfo;
import org.vnetd.core.link.AddressSpec;
import org.vnetd.core.net.IpPrefix;

/** RTM_NEWADDR / DELADDR / GETADDR for IPv4 and IPv6. */
final class AddressOps {
    private final NetlinkSocket socket;
    private final LinkOps links;

    AddressOps(NetlinkSocket socket, LinkOps links) {
        this.socket = socket;
        this.links = links;
    }

    private static NlMessageWriter ifaddr(int type, int flags, IpPrefix prefix, int flags8, int index) {
        return new NlMessageWriter(type, flags)
                .u8(prefix.isIpv4() ? Nl.AF_INET : Nl.AF_INET6).u8(prefix.length()).u8(flags8).u8(Nl.RT_SCOPE_UNIVERSE)
                .u32(index);
    }

    /** NLM_F_EXCL: an address already present is EEXIST, so the driver never "adopts" one by accident. */
    void add(AddressSpec spec) {
        String op = "add address " + spec.prefix() + " to";
        int index = links.indexOf(spec.ifname(), op);
        int flags = spec.noDad() ? Nl.IFA_F_NODAD : 0;
        byte[] addr = spec.prefix().address().getAddress();
        NlMessageWriter w = ifaddr(Nl.RTM_NEWADDR, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, spec.prefix(), flags & 0xFF, index)
                .attr(Nl.IFA_LOCAL, addr)
                .attr(Nl.IFA_ADDRESS, addr);
        spec.broadcast().ifPresent(b -> w.attr(Nl.IFA_BROADCAST, b.getAddress()));
        if (flags != 0) {
            w.attrU32(Nl.IFA_FLAGS, flags);
        }
        socket.request(w, op, spec.ifname());
    }

    void delete(String ifname, IpPrefix prefix) {
        String op = "delete address " + prefix + " from";
        int index = links.indexOf(ifname, op);
        byte[] addr = prefix.address().getAddress();
        socket.request(ifaddr(Nl.RTM_DELADDR, 0, prefix, 0, index).attr(Nl.IFA_LOCAL, addr).attr(Nl.IFA_ADDRESS, addr),
                op, ifname);
    }

    List<AddressInfo> list() {
        Map<Integer, String> names = links.names();
        List<NlMessage> msgs = socket.dump(() -> new NlMessageWriter(Nl.RTM_GETADDR, 0)
                .u8(Nl.AF_UNSPEC).u8(0).u8(0).u8(0).u32(0), "list addresses");
        List<AddressInfo> out = new ArrayList<>(msgs.size());
        for (NlMessage m : msgs) {
            if (m.type() == Nl.RTM_NEWADDR) {
                out.add(RtParsers.address(m, names));
            }
        }
        return out;
    }
}
