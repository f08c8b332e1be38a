package org.vnetd.daemon.socket;

import java.lang.invoke.MethodHandles;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.EventExecutor;

/**
 * One datagram each way between two sockets of our own on 127.0.0.1, on every event loop of the
 * daemon's group: netty's datagram read and write paths (the loop thread's buffer caches, its
 * outbound entries) are then set up before a guest's first DHCP or DNS packet. Without it the first
 * DHCP OFFER after a daemon start spent ~2.5-3 ms in its first write alone. Nothing leaves the
 * loopback, and only these two sockets see the packets.
 */
public final class LoopbackDatagramWarmUp {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    private LoopbackDatagramWarmUp() {
    }

    /**
     * Runs the exchange on each loop of {@code group}, reading into buffers of {@code receiveBuffer}
     * bytes (the size the real channels read into, so the same buffer size class is warm); returns
     * how many datagrams arrived (2 per loop).
     */
    public static int run(EventLoopGroup group, int receiveBuffer) throws InterruptedException {
        initializeErrno();
        int arrived = 0;
        for (EventExecutor e : group) {
            arrived += exchange((EventLoop) e, receiveBuffer);
        }
        return arrived;
    }

    private static int exchange(EventLoop loop, int receiveBuffer) throws InterruptedException {
        CountDownLatch received = new CountDownLatch(2);
        List<Channel> channels = new ArrayList<>(2);
        try {
            for (int i = 0; i < 2; i++) {
                channels.add(new Bootstrap().group(loop)
                        .channelFactory(() -> new EpollDatagramChannel(InternetProtocolFamily.IPv4))
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(receiveBuffer))
                        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                                received.countDown();
                            }
                        })
                        .bind(ANY_LOOPBACK_PORT).sync().channel());
            }
            send(channels.get(0), channels.get(1));
            send(channels.get(1), channels.get(0));
            received.await(2, TimeUnit.SECONDS);
            return 2 - (int) received.getCount();
        } finally {
            for (Channel c : channels) {
                c.close().await(2, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A datagram channel reads until the socket says EAGAIN, and the first EAGAIN initializes netty's
     * {@link Errors}, whose static initializer fills a table with the message of every errno (~2 ms
     * on the development VM). The exchanges here stop after their one datagram and never get there:
     * the first DHCP OFFER after a daemon start paid for it (strace: 2 ms between the loop's EAGAIN
     * and its sendto, 0.1 ms for the next client).
     */
    static void initializeErrno() {
        try {
            MethodHandles.lookup().ensureInitialized(Errors.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("netty's Errors is public", e);
        }
    }

    private static void send(Channel from, Channel to) {
        from.writeAndFlush(new DatagramPacket(from.alloc().directBuffer(300).writeZero(300), (InetSocketAddress) to.localAddress()));
    }
}
