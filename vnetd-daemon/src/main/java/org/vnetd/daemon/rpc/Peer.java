package org.vnetd.daemon.rpc;

import java.io.IOException;

import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;

/** Who is on the other end of a connection, from {@code SO_PEERCRED}; -1 when the kernel did not say. */
public record Peer(int pid, int uid, int gid) {
    public static final Peer UNKNOWN = new Peer(-1, -1, -1);

    /** The peer of a Unix-socket connection ({@code SO_PEERCRED}); {@link #UNKNOWN} where the kernel does not say. */
    public static Peer of(Channel ch) {
        if (ch instanceof EpollDomainSocketChannel d) {
            try {
                PeerCredentials c = d.peerCredentials();
                int[] gids = c.gids();
                return new Peer(c.pid(), c.uid(), gids.length > 0 ? gids[0] : -1);
            } catch (IOException e) {
                LoggerFactory.getLogger(Peer.class).debug("no peer credentials: {}", e.toString());
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return "pid=" + pid + " uid=" + uid + " gid=" + gid;
    }
}
