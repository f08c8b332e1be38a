package org.vnetd.daemon.netlink;

import org.vnetd.core.link.KernelException;
import org.vnetd.core.net.MacAddress;

/**
 * A bridge's forwarding entries (RTM_NEWNEIGH / DELNEIGH, family AF_BRIDGE, {@code NTF_MASTER}), as libvirt's
 * virNetDevBridgeFDBAddDel writes them for {@code macTableManager='libvirt'}: state {@code NUD_NOARP |
 * NUD_REACHABLE} (a static entry: it never ages out), addressed by the port only (the kernel knows its bridge).
 */
final class FdbOps {
    /** EEXIST from errno.h. */
    static final int EEXIST = 17;

    private final NetlinkSocket socket;
    private final LinkOps links;

    FdbOps(NetlinkSocket socket, LinkOps links) {
        this.socket = socket;
        this.links = links;
    }

    private NlMessageWriter message(int type, int flags, String port, MacAddress mac, String op) {
        int index = links.indexOf(port, op);
        return new NlMessageWriter(type, flags)
                .u8(Nl.AF_BRIDGE).u8(0).u16(0)
                .u32(index).u16(Nl.NUD_NOARP | Nl.NUD_REACHABLE).u8(Nl.NTF_MASTER).u8(0)
                .attr(Nl.NDA_LLADDR, mac.octets());
    }

    /** Adds the entry; one already there is fine (libvirt ignores EEXIST too). */
    void add(String port, MacAddress mac) {
        String op = "add FDB entry " + mac + " on";
        try {
            socket.request(message(Nl.RTM_NEWNEIGH, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, port, mac, op), op, port);
        } catch (KernelException e) {
            if (e.errno() != EEXIST) {
                throw e;
            }
        }
    }

    void delete(String port, MacAddress mac) {
        String op = "delete FDB entry " + mac + " on";
        socket.request(message(Nl.RTM_DELNEIGH, 0, port, mac, op), op, port);
    }
}
