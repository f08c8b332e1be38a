package org.vnetd.daemon.port;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.vnetd.core.rpc.RpcCodec;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;

/**
 * The launcher side of docs/rpc.md's fd handshake with netty: one connection whose read side is in
 * FILE_DESCRIPTORS mode from the start (so no descriptor can arrive while it reads bytes), used only
 * for {@code port.fd}. Each call sends the request and waits for the descriptors.
 */
final class FdClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private long nextId = 1;

    FdClient(Path socket) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        channel = new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                .option(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        received.add(msg);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        received.add("closed");
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        received.add(cause);
                        ctx.close();
                    }
                })
                .connect(new DomainSocketAddress(socket.toFile())).sync().channel();
    }

    /** Collects {@code count} descriptors for {@code token}; fails if fewer arrive within 10 s. */
    List<FileDescriptor> take(String token, int count) throws Exception {
        byte[] json = ("{\"jsonrpc\":\"2.0\",\"id\":" + nextId++ + ",\"method\":\"port.fd\",\"params\":{\"fdToken\":"
                + RpcCodec.MAPPER.writeValueAsString(token) + "}}").getBytes(StandardCharsets.UTF_8);
        channel.writeAndFlush(Unpooled.buffer(4 + json.length).writeInt(json.length).writeBytes(json)).sync();
        List<FileDescriptor> fds = new ArrayList<>();
        while (fds.size() < count) {
            Object o = received.poll(10, TimeUnit.SECONDS);
            if (o instanceof FileDescriptor fd) {
                fds.add(fd);
            } else {
                for (FileDescriptor fd : fds) {
                    fd.close();
                }
                throw new AssertionError("expected a descriptor for port.fd, got " + o);
            }
        }
        return fds;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
