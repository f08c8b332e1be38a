package org.vnetd.daemon.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.link.AddressInfo;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.RouteInfo;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;

/** Turns rtnetlink messages (RTM_NEWLINK / NEWADDR / NEWROUTE, from dumps or events) into core records. */
final class RtParsers {
    private RtParsers() {
    }

    /** ifinfomsg + IFLA_*; {@code names} resolves the master's index (may lack it: then master name is empty). */
    static LinkInfo link(NlMessage m, Map<Integer, String> names) {
        ByteBuffer p = m.payload();
        int index = p.getInt(4);
        int flags = p.getInt(8);
        NlAttrs a = m.attrs(Nl.IFINFOMSG_LEN);
        String name = a.string(Nl.IFLA_IFNAME).orElse("if" + index);
        Optional<String> kind = a.nested(Nl.IFLA_LINKINFO).flatMap(li -> li.string(Nl.IFLA_INFO_KIND));
        OptionalInt master = a.u32(Nl.IFLA_MASTER);
        if (master.isPresent() && master.getAsInt() == 0) {
            master = OptionalInt.empty();
        }
        Optional<String> masterName = master.isPresent() ? Optional.ofNullable(names.get(master.getAsInt())) : Optional.empty();
        Optional<MacAddress> mac = a.bytes(Nl.IFLA_ADDRESS).filter(b -> b.length == 6).map(MacAddress::of);
        int mtu = a.u32(Nl.IFLA_MTU).orElse(0);
        return new LinkInfo(index, name, kind, master, masterName, flags, mac, mtu);
    }

    static int linkIndex(NlMessage m) {
        return m.payload().getInt(4);
    }

    static Optional<String> linkName(NlMessage m) {
        return m.attrs(Nl.IFINFOMSG_LEN).string(Nl.IFLA_IFNAME);
    }

    /** ifaddrmsg + IFA_*. IFA_LOCAL is our address (IFA_ADDRESS is the peer on point-to-point links). */
    static AddressInfo address(NlMessage m, Map<Integer, String> names) {
        ByteBuffer p = m.payload();
        int prefixLen = p.get(1) & 0xFF;
        int flags8 = p.get(2) & 0xFF;
        int scope = p.get(3) & 0xFF;
        int index = p.getInt(4);
        NlAttrs a = m.attrs(Nl.IFADDRMSG_LEN);
        byte[] addr = a.bytes(Nl.IFA_LOCAL).or(() -> a.bytes(Nl.IFA_ADDRESS))
                .orElseThrow(() -> new IllegalStateException("address message without IFA_LOCAL/IFA_ADDRESS"));
        Optional<InetAddress> bcast = a.bytes(Nl.IFA_BROADCAST).map(RtParsers::inet);
        int flags = a.u32(Nl.IFA_FLAGS).orElse(flags8);
        String ifname = names.getOrDefault(index, "if" + index);
        return new AddressInfo(index, ifname, new IpPrefix(inet(addr), prefixLen), bcast, flags, scope,
                a.string(Nl.IFA_LABEL));
    }

    /** rtmsg + RTA_*; RTA_TABLE (32-bit) overrides rtm_table. */
    static RouteInfo route(NlMessage m, Map<Integer, String> names) {
        ByteBuffer p = m.payload();
        int family = p.get(0) & 0xFF;
        int dstLen = p.get(1) & 0xFF;
        int table = p.get(4) & 0xFF;
        int protocol = p.get(5) & 0xFF;
        int scope = p.get(6) & 0xFF;
        int type = p.get(7) & 0xFF;
        NlAttrs a = m.attrs(Nl.RTMSG_LEN);
        table = a.u32(Nl.RTA_TABLE).orElse(table);
        InetAddress dst = a.bytes(Nl.RTA_DST).map(RtParsers::inet)
                .orElseGet(() -> inet(new byte[family == Nl.AF_INET6 ? 16 : 4]));
        OptionalInt oif = a.u32(Nl.RTA_OIF);
        Optional<String> dev = oif.isPresent() ? Optional.ofNullable(names.get(oif.getAsInt())) : Optional.empty();
        return new RouteInfo(new IpPrefix(dst, dstLen), a.bytes(Nl.RTA_GATEWAY).map(RtParsers::inet), oif, dev,
                a.u32(Nl.RTA_PRIORITY), table, protocol, scope, type);
    }

    static InetAddress inet(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + raw.length + " bytes from the kernel", e);
        }
    }
}
