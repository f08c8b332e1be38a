package org.vnetd.daemon.activation;

import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;

/**
 * An RPC socket a systemd socket unit listens on (systemd/vnetd*.socket, {@code FileDescriptorName=} the
 * socket's file name): the daemon serves on systemd's listening socket instead of binding its own, so a
 * client that connects while the daemon restarts waits in its backlog and is answered by the next one.
 * The socket file is systemd's: the daemon neither replaces, chmods nor removes it.
 */
public final class ActivatedListener {
    private ActivatedListener() {
    }

    /**
     * The passed socket {@code name} served by {@code bootstrap}'s loops and handlers; empty when none was passed.
     * The bootstrap has no channel factory yet (this sets one).
     */
    public static Optional<Channel> serve(ServiceSockets sockets, String name, ServerBootstrap bootstrap) {
        OptionalInt fd = sockets.take(name);
        if (fd.isEmpty()) {
            return Optional.empty();
        }
        // active: a socket unit's socket listens already (the plain int constructor would take it for unbound)
        EpollServerDomainSocketChannel ch = new EpollServerDomainSocketChannel(fd.getAsInt(), true);
        ChannelFuture f = bootstrap.clone().channelFactory(() -> ch).register().awaitUninterruptibly();
        if (!f.isSuccess()) {
            ch.unsafe().closeForcibly();
            throw new VnetException(ErrorCode.STATE_IO, "cannot serve the socket systemd passed as " + name + ": "
                    + f.cause().getMessage(), f.cause());
        }
        return Optional.of(f.channel());
    }
}
