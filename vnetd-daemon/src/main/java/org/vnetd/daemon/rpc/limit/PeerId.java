package org.vnetd.daemon.rpc.limit;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;

/**
 * Who a connection counts against: the uid on a Unix socket ({@code SO_PEERCRED}), the address on TCP.
 *
 * @param label  how logs and refusals name the peer ("uid 1000")
 * @param capped false for root, whom only the listener's total cap applies to
 */
record PeerId(String label, boolean capped) {
    static PeerId of(Channel ch) {
        if (ch instanceof EpollDomainSocketChannel d) {
            try {
                int uid = d.peerCredentials().uid();
                return new PeerId("uid " + uid, uid != 0);
            } catch (IOException e) {
                // not expected on a connected Unix socket; such peers share one slot set
                return new PeerId("uid ?", true);
            }
        }
        if (ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            return new PeerId(a.getAddress().getHostAddress(), true);
        }
        return new PeerId(String.valueOf(ch.remoteAddress()), true);
    }
}
