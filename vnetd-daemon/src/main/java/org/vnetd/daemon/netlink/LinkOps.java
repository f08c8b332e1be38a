package org.vnetd.daemon.netlink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.link.BridgePortOptions;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.LinkNames;
import org.vnetd.core.link.LinkRef;
import org.vnetd.core.net.MacAddress;
import org.vnetd.daemon.sys.Libc;

/**
 * RTM_NEWLINK / DELLINK / GETLINK. Existing links are addressed by IFLA_IFNAME with ifi_index 0, which
 * rtnl_setlink and rtnl_dellink accept, so most changes cost a single request; only IFLA_MASTER needs
 * the master's index, found by one RTM_GETLINK.
 */
final class LinkOps {
    private final NetlinkSocket socket;

    LinkOps(NetlinkSocket socket) {
        this.socket = socket;
    }

    private static NlMessageWriter ifinfo(int type, int flags, int index, int ifFlags, int change) {
        return new NlMessageWriter(type, flags)
                .u8(Nl.AF_UNSPEC).u8(0).u16(0) // family, pad, ifi_type
                .u32(index).u32(ifFlags).u32(change);
    }

    void createBridge(BridgeSpec spec) {
        NlMessageWriter w = ifinfo(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, 0, 0, 0)
                .attrString(Nl.IFLA_IFNAME, spec.name());
        spec.mtu().ifPresent(mtu -> w.attrU32(Nl.IFLA_MTU, mtu));
        spec.mac().ifPresent(mac -> w.attr(Nl.IFLA_ADDRESS, mac.octets()));
        // br_changelink applies FORWARD_DELAY before STP_STATE, so any delay is accepted; when STP then
        // starts, the kernel raises a delay under its 2 s minimum to 2 s (br_stp_start), exactly what
        // happens to libvirt's virbr0 ("stp on, delay 0"), which sets the delay before STP too
        w.beginNest(Nl.IFLA_LINKINFO)
                .attrString(Nl.IFLA_INFO_KIND, "bridge")
                .beginNest(Nl.IFLA_INFO_DATA)
                .attrU32(Nl.IFLA_BR_FORWARD_DELAY, (int) (spec.forwardDelay().toMillis() / 10)) // clock_t: 1/100 s
                .attrU32(Nl.IFLA_BR_STP_STATE, spec.stp() ? 1 : 0)
                .endNest()
                .endNest();
        socket.request(w, "create bridge", spec.name());
    }

    void createVeth(String name, String peer) {
        LinkNames.check(name);
        LinkNames.check(peer);
        NlMessageWriter w = ifinfo(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, 0, 0, 0)
                .attrString(Nl.IFLA_IFNAME, name)
                .beginNest(Nl.IFLA_LINKINFO)
                .attrString(Nl.IFLA_INFO_KIND, "veth")
                .beginNest(Nl.IFLA_INFO_DATA)
                .beginNestRaw(Nl.VETH_INFO_PEER)
                .u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0) // the peer's ifinfomsg
                .attrString(Nl.IFLA_IFNAME, peer)
                .endNest()
                .endNest()
                .endNest();
        socket.request(w, "create veth pair with peer '" + peer + "'", name);
    }

    /**
     * A macvtap on {@code lowerIndex} (IFLA_LINK) in macvlan mode {@code mode} (IFLA_MACVLAN_MODE), with {@code mac},
     * up, in one RTM_NEWLINK.
     */
    void createMacvtap(String name, int lowerIndex, int mode, MacAddress mac) {
        LinkNames.check(name);
        NlMessageWriter w = ifinfo(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, 0, Nl.IFF_UP, Nl.IFF_UP)
                .attrString(Nl.IFLA_IFNAME, name)
                .attrU32(Nl.IFLA_LINK, lowerIndex)
                .attr(Nl.IFLA_ADDRESS, mac.octets())
                .beginNest(Nl.IFLA_LINKINFO)
                .attrString(Nl.IFLA_INFO_KIND, "macvtap")
                .beginNest(Nl.IFLA_INFO_DATA)
                .attrU32(Nl.IFLA_MACVLAN_MODE, mode)
                .endNest()
                .endNest();
        socket.request(w, "create macvtap on ifindex " + lowerIndex + " with MAC " + mac, name);
    }

    /** IFLA_NET_NS_FD with a descriptor of the target namespace, opened only for this request. */
    void moveToNetns(String name, String netnsPath) {
        LinkNames.check(name);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            int nsFd = Libc.open(st, arena.allocateFrom(netnsPath), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (nsFd < 0) {
                throw Errno.exception("open network namespace " + netnsPath + " to move", name, st.errno(), null);
            }
            try {
                socket.request(ifinfo(Nl.RTM_NEWLINK, 0, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name)
                        .attrU32(Nl.IFLA_NET_NS_FD, nsFd), "move to network namespace " + netnsPath, name);
            } finally {
                Libc.close(st, nsFd);
            }
        }
    }

    void delete(String name) {
        LinkNames.check(name);
        socket.request(ifinfo(Nl.RTM_DELLINK, 0, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name), "delete link", name);
    }

    /**
     * IFF_UP cleared and IFLA_GROUP in one RTM_NEWLINK addressed by ifindex. The link stays enslaved:
     * a bridge port whose device is down is disabled (no forwarding, its learned entries flushed), and
     * leaving the bridge waits for an RCU grace period (netdev_rx_handler_unregister), which the
     * group delete pays anyway when it unregisters the link.
     */
    void retire(int index, String name, int group) {
        LinkNames.check(name);
        if (index <= 0) {
            throw new IllegalArgumentException("link '" + name + "' has no ifindex (" + index + ")");
        }
        NlMessageWriter w = ifinfo(Nl.RTM_NEWLINK, 0, index, 0, Nl.IFF_UP)
                .attrU32(Nl.IFLA_GROUP, group);
        socket.request(w, "retire (set down, move to link group " + Integer.toUnsignedString(group)
                + ") of link", name);
    }

    /**
     * RTM_DELLINK with ifi_index 0, no name and IFLA_GROUP: rtnl_dellink hands that to
     * rtnl_group_dellink, which checks every member can be deleted, queues them all and calls
     * unregister_netdevice_many once. It answers EPERM for group 0 and ENODEV for an empty group.
     */
    boolean deleteGroup(int group) {
        if (group == 0) {
            throw new IllegalArgumentException("link group 0 is every link's default group; refusing to delete it");
        }
        try {
            socket.request(ifinfo(Nl.RTM_DELLINK, 0, 0, 0, 0).attrU32(Nl.IFLA_GROUP, group),
                    "delete the links of link group " + Integer.toUnsignedString(group), null);
            return true;
        } catch (KernelException e) {
            if (e.errno() == Errno.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    void setFlags(String name, boolean up) {
        LinkNames.check(name);
        socket.request(ifinfo(Nl.RTM_NEWLINK, 0, 0, up ? Nl.IFF_UP : 0, Nl.IFF_UP).attrString(Nl.IFLA_IFNAME, name),
                up ? "set link up" : "set link down", name);
    }

    /** Port options through the master's slave data, as {@code ip link set NAME type bridge_slave ...} does. */
    void setBridgePort(String name, BridgePortOptions o) {
        LinkNames.check(name);
        NlMessageWriter w = ifinfo(Nl.RTM_NEWLINK, 0, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name)
                .beginNest(Nl.IFLA_LINKINFO)
                .attrString(Nl.IFLA_INFO_SLAVE_KIND, "bridge")
                .beginNest(Nl.IFLA_INFO_SLAVE_DATA)
                .attrU8(Nl.IFLA_BRPORT_LEARNING, o.learning() ? 1 : 0)
                .attrU8(Nl.IFLA_BRPORT_UNICAST_FLOOD, o.unicastFlood() ? 1 : 0)
                .attrU8(Nl.IFLA_BRPORT_ISOLATED, o.isolated() ? 1 : 0)
                .endNest()
                .endNest();
        socket.request(w, "set bridge port options " + o + " on", name);
    }

    /** {@code ip link set NAME type bridge vlan_filtering 0|1}. */
    void setBridgeVlanFiltering(String name, boolean on) {
        LinkNames.check(name);
        NlMessageWriter w = ifinfo(Nl.RTM_NEWLINK, 0, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name)
                .beginNest(Nl.IFLA_LINKINFO)
                .attrString(Nl.IFLA_INFO_KIND, "bridge")
                .beginNest(Nl.IFLA_INFO_DATA)
                .attrU8(Nl.IFLA_BR_VLAN_FILTERING, on ? 1 : 0)
                .endNest()
                .endNest();
        socket.request(w, "set vlan_filtering " + (on ? 1 : 0) + " on bridge", name);
    }

    void setMtu(String name, int mtu) {
        LinkNames.check(name);
        socket.request(ifinfo(Nl.RTM_NEWLINK, 0, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name).attrU32(Nl.IFLA_MTU, mtu),
                "set MTU " + mtu + " on", name);
    }

    void setMac(String name, MacAddress mac) {
        LinkNames.check(name);
        socket.request(ifinfo(Nl.RTM_NEWLINK, 0, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name).attr(Nl.IFLA_ADDRESS, mac.octets()),
                "set MAC " + mac + " on", name);
    }

    /**
     * Sets IFLA_MASTER ({@code masterIndex} 0 detaches). The kernel first detaches the port from its
     * current bridge and then attaches it to the new one; when the second step fails it does not put the
     * port back. We report what is left: the exception gets a note with the port's master after the failure.
     */
    void setMaster(String name, int masterIndex, String masterName) {
        LinkNames.check(name);
        NlMessageWriter w = ifinfo(Nl.RTM_NEWLINK, 0, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name)
                .attrU32(Nl.IFLA_MASTER, masterIndex);
        String op = masterIndex == 0 ? "detach from its bridge" : "attach '" + name + "' to bridge '" + masterName + "'";
        try {
            socket.request(w, op, name);
        } catch (KernelException e) {
            if (masterIndex == 0) {
                throw e;
            }
            Optional<LinkInfo> now;
            try {
                now = get(name);
            } catch (KernelException again) {
                throw e;
            }
            String note = now.map(l -> l.masterIndex().isEmpty()
                    ? "'" + name + "' now has no master (the kernel detached it before the attach failed)"
                    : "'" + name + "' is now attached to ifindex " + l.masterIndex().getAsInt()).orElse("'" + name + "' no longer exists");
            throw e.withNote(note);
        }
    }

    /**
     * MAC, MTU, master and IFF_UP in one RTM_NEWLINK: do_setlink applies the address and MTU, then the
     * master, then the flags, so the port joins the bridge with its final MAC and MTU and comes up last.
     * The link is addressed by {@code index}, or by {@code name} when the index is 0.
     */
    void plug(int index, String name, MacAddress mac, int mtu, int masterIndex, String masterName) {
        NlMessageWriter w = ifinfo(Nl.RTM_NEWLINK, 0, index, Nl.IFF_UP, Nl.IFF_UP);
        if (index == 0) {
            w.attrString(Nl.IFLA_IFNAME, name);
        }
        w.attr(Nl.IFLA_ADDRESS, mac.octets()).attrU32(Nl.IFLA_MTU, mtu).attrU32(Nl.IFLA_MASTER, masterIndex);
        socket.request(w, "set MAC " + mac + ", MTU " + mtu + ", attach to bridge '" + masterName + "' and set up", name);
    }

    /** SIOCGIFINDEX and SIOCGIFMTU from linux/sockios.h. */
    static final long SIOCGIFINDEX = 0x8933L;
    static final long SIOCGIFMTU = 0x8921L;

    /**
     * Index and MTU by two ioctls, which take no RTNL (see {@link NetlinkSocket#ifreqInt}); empty for
     * ENODEV. A link renamed between the two is reported gone (the second answers ENODEV).
     */
    Optional<LinkRef> ref(String name) {
        LinkNames.check(name);
        OptionalInt index = socket.ifreqInt(SIOCGIFINDEX, name, "look up the index of link");
        if (index.isEmpty()) {
            return Optional.empty();
        }
        OptionalInt mtu = socket.ifreqInt(SIOCGIFMTU, name, "look up the MTU of link");
        return mtu.isEmpty() ? Optional.empty() : Optional.of(new LinkRef(index.getAsInt(), name, mtu.getAsInt()));
    }

    /** RTM_GETLINK by name; empty for ENODEV. */
    Optional<LinkInfo> get(String name) {
        return get(name, true);
    }

    /** RTM_GETLINK by name, and a second one for the master's name when {@code resolveMaster}; empty for ENODEV. */
    Optional<LinkInfo> get(String name, boolean resolveMaster) {
        LinkNames.check(name);
        NlMessage m;
        try {
            m = socket.get(ifinfo(Nl.RTM_GETLINK, 0, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name), "look up link", name);
        } catch (KernelException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
        LinkInfo raw = RtParsers.link(m, Map.of());
        if (resolveMaster && raw.masterIndex().isPresent()) {
            Optional<String> masterName = nameOf(raw.masterIndex().getAsInt());
            raw = new LinkInfo(raw.index(), raw.name(), raw.kind(), raw.masterIndex(), masterName, raw.flags(), raw.mac(), raw.mtu());
        }
        return Optional.of(raw);
    }

    /** The index of {@code name}; ENODEV as a {@link KernelException} if there is none. */
    int indexOf(String name, String operation) {
        LinkNames.check(name);
        NlMessage m = socket.get(ifinfo(Nl.RTM_GETLINK, 0, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name), operation, name);
        return RtParsers.linkIndex(m);
    }

    Optional<String> nameOf(int index) {
        try {
            return RtParsers.linkName(socket.get(ifinfo(Nl.RTM_GETLINK, 0, index, 0, 0), "look up link", "#" + index));
        } catch (KernelException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    List<LinkInfo> list() {
        List<NlMessage> msgs = socket.dump(() -> ifinfo(Nl.RTM_GETLINK, 0, 0, 0, 0), "list links");
        Map<Integer, String> names = new HashMap<>();
        for (NlMessage m : msgs) {
            RtParsers.linkName(m).ifPresent(n -> names.put(RtParsers.linkIndex(m), n));
        }
        List<LinkInfo> out = new ArrayList<>(msgs.size());
        for (NlMessage m : msgs) {
            if (m.type() == Nl.RTM_NEWLINK) {
                out.add(RtParsers.link(m, names));
            }
        }
        out.sort(java.util.Comparator.comparingInt(LinkInfo::index));
        return out;
    }

    /** Index → name of every link; reads only the name of each (a route listing needs no more). */
    Map<Integer, String> names() {
        Map<Integer, String> names = new HashMap<>();
        for (NlMessage m : socket.dump(() -> ifinfo(Nl.RTM_GETLINK, 0, 0, 0, 0), "list links")) {
            if (m.type() == Nl.RTM_NEWLINK) {
                RtParsers.linkName(m).ifPresent(n -> names.put(RtParsers.linkIndex(m), n));
            }
        }
        return names;
    }
}
