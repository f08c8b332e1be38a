package org.vnetd.daemon.netlink;

/**
 * Constants from the kernel's uapi headers (linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h,
 * neighbour.h, veth.h), copied by value; each group names its header.
 */
final class Nl {
    private Nl() {
    }

    // linux/netlink.h
    static final int NETLINK_ROUTE = 0;
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;
    static final int NLM_F_REQUEST = 0x01;
    static final int NLM_F_MULTI = 0x02;
    static final int NLM_F_ACK = 0x04;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;
    static final int NETLINK_ADD_MEMBERSHIP = 1;
    static final int SOL_NETLINK_LEVEL = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int NLA_F_NESTED = 1 << 15;
    static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | (1 << 14)) & 0xFFFF;

    // linux/rtnetlink.h: message types
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_DELNEIGH = 29;

    // linux/rtnetlink.h: multicast groups (enum rtnetlink_groups; bit = 1 << (group - 1))
    static final int RTNLGRP_LINK = 1;
    static final int RTNLGRP_IPV4_IFADDR = 5;
    static final int RTNLGRP_IPV6_IFADDR = 9;

    // linux/rtnetlink.h: routes
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_TABLE = 15;
    static final int RTN_UNICAST = 1;
    static final int RTPROT_BOOT = 3;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RT_TABLE_MAIN = 254;

    // sys/socket.h address families
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    // linux/if_link.h
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_LINK = 5;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_GROUP = 27;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_EXT_MASK = 29;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_INFO_SLAVE_KIND = 4;
    static final int IFLA_INFO_SLAVE_DATA = 5;
    static final int IFLA_BRPORT_LEARNING = 8;
    static final int IFLA_BRPORT_UNICAST_FLOOD = 9;
    static final int IFLA_BRPORT_ISOLATED = 33;
    static final int IFLA_MACVLAN_MODE = 1;
    static final int IFLA_BR_FORWARD_DELAY = 1;
    static final int IFLA_BR_STP_STATE = 5;
    static final int IFLA_BR_VLAN_FILTERING = 7;
    // linux/veth.h
    static final int VETH_INFO_PEER = 1;
    // linux/if.h
    static final int IFF_UP = 0x1;
    static final int IFINFOMSG_LEN = 16;

    // linux/if_addr.h
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_BROADCAST = 4;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_NODAD = 0x02;
    static final int IFADDRMSG_LEN = 8;

    // linux/rtnetlink.h struct rtmsg
    static final int RTMSG_LEN = 12;

    // linux/neighbour.h
    static final int NDA_DST = 1;
    static final int NDA_LLADDR = 2;
    static final int NUD_PERMANENT = 0x80;
    static final int NUD_NOARP = 0x40;
    static final int NUD_REACHABLE = 0x02;
    static final int NTF_MASTER = 0x04;
    static final int AF_BRIDGE = 7;
    static final int NDMSG_LEN = 12;

    static int align(int len) {
        return (len + 3) & ~3;
    }
}
