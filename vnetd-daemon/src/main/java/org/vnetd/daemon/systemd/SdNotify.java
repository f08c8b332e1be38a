package org.vnetd.daemon.systemd;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;

/**
 * sd_notify(3) without libsystemd: one datagram to {@code $NOTIFY_SOCKET} (a path, or an abstract
 * name written with a leading '@'). Without the variable (not started by systemd) it does nothing.
 */
public final class SdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);

    private final Optional<String> socket;

    public SdNotify(Optional<String> socket) {
        this.socket = socket.filter(s -> !s.isEmpty());
    }

    public static SdNotify fromEnvironment() {
        return new SdNotify(Optional.ofNullable(System.getenv("NOTIFY_SOCKET")));
    }

    public boolean enabled() {
        return socket.isPresent();
    }

    public void ready() {
        send("READY=1\nSTATUS=running\nMAINPID=" + ProcessHandle.current().pid());
    }

    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
    }

    public void stopping() {
        send("STOPPING=1");
    }

    public void status(String text) {
        send("STATUS=" + text.replace('\n', ' '));
    }

    /** Sends one message; failures are logged, not thrown (systemd's own sd_notify does the same). */
    public void send(String message) {
        if (socket.isEmpty()) {
            return;
        }
        String path = socket.get();
        if (path.startsWith("@")) {
            path = "\0" + path.substring(1);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            // a connected datagram socket: an unbound, unconnected one counts as not active in netty
            Channel ch = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(new DomainSocketAddress(path)).sync().channel();
            ch.writeAndFlush(Unpooled.wrappedBuffer(message.getBytes(StandardCharsets.UTF_8))).sync();
            ch.close().sync();
            LOG.debug("sd_notify: {}", message.replace('\n', ' '));
        } catch (Exception e) {
            LOG.warn("cannot notify systemd at {}: {}", socket.get(), e.toString());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

}
