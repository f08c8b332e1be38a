package org.vnetd.daemon.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;

/**
 * A datagram socket standing in for systemd's {@code $NOTIFY_SOCKET}: what the daemon says it is doing
 * (READY=1 once up, RELOADING=1 then READY=1 around a SIGHUP's reload), for tests that wait on it instead of
 * polling for the effect.
 */
final class NotifyListener implements AutoCloseable {
    private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final Channel channel;
    private final Path path;

    NotifyListener(Path path) throws InterruptedException {
        this.path = path;
        this.channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                        messages.add(p.content().toString(StandardCharsets.UTF_8));
                    }
                }).bind(new DomainSocketAddress(path.toFile())).sync().channel();
    }

    /** The value for the daemon's NOTIFY_SOCKET. */
    String socket() {
        return path.toString();
    }

    /**
     * Waits for the next message that starts with {@code prefix}, passing over others (STATUS=…); fails with
     * what came instead when none does within {@code timeout}.
     */
    String expect(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder passed = new StringBuilder();
        while (true) {
            String m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no " + prefix + " from the daemon within " + timeout
                        + (passed.isEmpty() ? "" : "; it said: " + passed));
            }
            if (m.startsWith(prefix)) {
                return m;
            }
            passed.append('[').append(m.replace('\n', ' ')).append("] ");
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
