package org.vnetd.daemon.socket;

import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * {@code SO_RCVBUFFORCE} for netty's epoll channels: a DHCP server's socket must queue a burst of
 * requests (every VM of a host booting, or the server's own GC pause), and {@code net.core.rmem_max}
 * would cap {@code SO_RCVBUF}; root may exceed it for one socket.
 */
public final class ForcedReceiveBuffer {
    /** SOL_SOCKET, SO_RCVBUFFORCE. */
    public static final IntegerUnixChannelOption OPTION = new IntegerUnixChannelOption("SO_RCVBUFFORCE", 1, 33);
    /**
     * Not more than ~1 MiB: under overload, answering requests older than the client's patience is waste.
     */
    public static final int DHCP_BYTES = 1 << 20;

    private ForcedReceiveBuffer() {
    }
}
