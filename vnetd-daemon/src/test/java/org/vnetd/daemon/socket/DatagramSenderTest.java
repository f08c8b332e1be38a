package org.vnetd.daemon.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.InternetProtocolFamily;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatagramSenderTest {
    private EventLoopGroup group;
    private EpollDatagramChannel channel;
    private DatagramChannel receiver;
    private int channelPort;

    @BeforeEach
    void open() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        channel = (EpollDatagramChannel) new Bootstrap().group(group)
                .channelFactory(() -> new EpollDatagramChannel(InternetProtocolFamily.IPv4))
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        channelPort = channel.localAddress().getPort();
        receiver = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        receiver.socket().setSoTimeout(5_000);
    }

    @AfterEach
    void close() throws Exception {
        receiver.close();
        channel.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private String receive() throws IOException {
        var p = new java.net.DatagramPacket(new byte[2048], 2048);
        receiver.socket().receive(p); // bounded by the socket's timeout
        assertEquals(channelPort, ((InetSocketAddress) p.getSocketAddress()).getPort(), "it leaves from the channel's own socket");
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void sendsFromAThreadThatIsNotTheLoopThroughTheChannelsSocket() throws Exception {
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
        try (DatagramSender sender = DatagramSender.of(channel)) {
            ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes("xxdirect".getBytes(StandardCharsets.US_ASCII));
            direct.skipBytes(2); // only the readable bytes go
            ByteBuf heap = Unpooled.wrappedBuffer("heap".getBytes(StandardCharsets.US_ASCII));
            try {
                assertTrue(sender.send(direct, to));
                assertTrue(sender.send(heap, to));
            } finally {
                direct.release();
                heap.release();
            }
            assertEquals("direct", receive());
            assertEquals("heap", receive());
        }
    }

    /**
     * The sender's descriptor is its own: after the channel closed, a send still leaves through the
     * socket (with the channel's descriptor it would fail, or land on whatever took the number), and a
     * file opened right after the close, which usually takes the freed number, receives nothing.
     */
    @Test
    void aSendAfterTheChannelClosedStillLeavesThroughTheSocket(@TempDir Path dir) throws Exception {
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
        int channelFd = channel.fd().intValue();
        try (DatagramSender sender = DatagramSender.of(channel)) {
            channel.close().sync();
            Path file = dir.resolve("taken");
            try (var taken = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ByteBuf b = Unpooled.directBuffer().writeBytes("after close".getBytes(StandardCharsets.US_ASCII));
                try {
                    assertTrue(sender.send(b, to));
                } finally {
                    b.release();
                }
                assertEquals("after close", receive());
                assertEquals(0, Files.size(file), "the datagram went to the socket, not to descriptor " + channelFd);
            }
        }
    }
}
