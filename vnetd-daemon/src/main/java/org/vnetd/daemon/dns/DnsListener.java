package org.vnetd.daemon.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** UDP and TCP port 53 on one of the network's addresses. */
final class DnsListener implements AutoCloseable {
    private static final int TCP_IDLE_SECONDS = 10;
    private static final int MAX_TCP_QUERY = 4096;
    private static final int MAX_TCP_CONNECTIONS = 128;
    /** Larger than {@link UdpQueryHandler#MAX_QUERY}, so an oversized datagram is seen as such and dropped. */
    private static final int UDP_RECEIVE_BUFFER = 2048;

    private final InetSocketAddress address;
    private final Channel udp;
    private final Channel tcp;

    private DnsListener(InetSocketAddress address, Channel udp, Channel tcp) {
        this.address = address;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Binds both sockets (in the calling thread's network namespace); on failure nothing stays open. */
    static DnsListener open(InetAddress ip, int port, EventLoopGroup group, QueryProcessor processor, DnsStats.Counters counters,
                            AnswerMemo memo) {
        InetSocketAddress address = new InetSocketAddress(ip, port);
        SocketProtocolFamily family = ip instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        ChannelFuture u = new Bootstrap().group(group)
                .channelFactory(() -> new EpollDatagramChannel(family))
                // an IPv6 address may still be tentative (DAD) when the network starts
                .option(EpollChannelOption.IP_FREEBIND, true)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                // recvmmsg: up to 16 datagrams per system call under load
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, UDP_RECEIVE_BUFFER)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_RECEIVE_BUFFER * 16))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        udpPipeline(ch.pipeline(), processor, counters, memo);
                    }
                }).bind(address);
        // the TCP bind starts before the UDP one is awaited: one trip to the event loops, not two
        TcpConnectionLimit limit = new TcpConnectionLimit(MAX_TCP_CONNECTIONS);
        ChannelFuture t = new ServerBootstrap().group(group)
                .channelFactory(() -> new EpollServerSocketChannel(family))
                .option(EpollChannelOption.IP_FREEBIND, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(limit, new IdleStateHandler(0, 0, TCP_IDLE_SECONDS, TimeUnit.SECONDS),
                                new TcpDnsQueryDecoder(DnsRecordDecoder.DEFAULT, MAX_TCP_QUERY), new TcpDnsResponseEncoder(),
                                new TcpQueryHandler(processor, counters));
                    }
                }).bind(address);
        u.awaitUninterruptibly();
        t.awaitUninterruptibly();
        if (!u.isSuccess()) {
            if (t.isSuccess()) {
                t.channel().close().syncUninterruptibly();
            }
            throw new VnetException(ErrorCode.DNS, "cannot listen for DNS on UDP " + show(address) + ": " + u.cause().getMessage(), u.cause());
        }
        if (!t.isSuccess()) {
            u.channel().close().syncUninterruptibly();
            throw new VnetException(ErrorCode.DNS, "cannot listen for DNS on TCP " + show(address) + ": " + t.cause().getMessage(), t.cause());
        }
        return new DnsListener(address, u.channel(), t.channel());
    }

    /** screen → netty's query decoder → netty's answer encoder (raw packets pass) → our handler. */
    static void udpPipeline(ChannelPipeline p, QueryProcessor processor, DnsStats.Counters counters, AnswerMemo memo) {
        p.addLast(new UdpQueryHandler.Screen(counters), new DatagramDnsQueryDecoder(), new UdpQueryHandler.LocalAnswerEncoder(memo),
                new UdpQueryHandler(processor, counters, memo));
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
    }

    private static String show(InetSocketAddress a) {
        return (a.getAddress() instanceof Inet4Address ? a.getAddress().getHostAddress() : "[" + a.getAddress().getHostAddress() + "]")
                + ":" + a.getPort();
    }
}
