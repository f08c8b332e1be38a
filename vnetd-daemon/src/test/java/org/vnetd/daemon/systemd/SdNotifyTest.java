package org.vnetd.daemon.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

/** sd_notify reaches a datagram socket standing in for systemd's. */
class SdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void readyReachesTheNotifySocket() throws Exception {
        Path sock = dir.resolve("notify");
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel ch = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                            got.add(p.content().toString(StandardCharsets.UTF_8));
                        }
                    }).bind(new DomainSocketAddress(sock.toFile())).sync().channel();
            SdNotify n = new SdNotify(Optional.of(sock.toString()));
            assertTrue(n.enabled());
            n.ready();
            String msg = got.poll(10, TimeUnit.SECONDS);
            assertTrue(msg != null && msg.startsWith("READY=1\n"), String.valueOf(msg));
            assertTrue(msg.contains("MAINPID=" + ProcessHandle.current().pid()));
            n.stopping();
            assertEquals("STOPPING=1", got.poll(10, TimeUnit.SECONDS));
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        SdNotify n = new SdNotify(Optional.empty());
        assertFalse(n.enabled());
        n.ready(); // must not throw
    }
}
