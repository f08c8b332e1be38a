package org.vnetd.daemon.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.activation.AdoptingBind;
import org.vnetd.daemon.activation.ServiceSockets;
import org.vnetd.daemon.activation.SocketNames;
import org.vnetd.daemon.socket.BoundToDevice;

/**
 * UDP and TCP port 53 on one of the network's addresses, bound ({@code SO_BINDTODEVICE}) to the
 * network's bridge and, in a second pair of sockets, to {@code lo}: the kernel hands them only packets
 * that arrived on that bridge or come from the host itself. A machine routing to the bridge's address
 * through the host, or a guest of another network, is never answered (libvirt closed the same hole,
 * CVE-2012-3411, with dnsmasq's bind-dynamic and interface=), while the host's own queries to the
 * address are, as libvirt's dnsmasq answers them too.
 */
final class DnsListener implements AutoCloseable {
    /** Where the host's own packets to one of its addresses arrive. */
    static final String LOOPBACK = "lo";
    private static final int TCP_IDLE_SECONDS = 10;
    private static final int MAX_TCP_QUERY = 4096;
    private static final int MAX_TCP_CONNECTIONS = 128;
    /** Larger than {@link UdpQueryHandler#MAX_QUERY}, so an oversized datagram is seen as such and dropped. */
    private static final int UDP_RECEIVE_BUFFER = 2048;

    private final InetSocketAddress address;
    private final List<Channel> channels;
    private final List<String> names;
    private final ServiceSockets sockets;

    private DnsListener(InetSocketAddress address, List<Channel> channels, List<String> names, ServiceSockets sockets) {
        this.address = address;
        this.channels = List.copyOf(channels);
        this.names = List.copyOf(names);
        this.sockets = sockets;
    }

    /**
     * Binds all sockets (in the calling thread's network namespace), or takes those systemd kept across a
     * daemon restart (with the queries that queued in them); on failure nothing stays open.
     */
    static DnsListener open(String bridge, InetAddress ip, int port, EventLoopGroup group, QueryProcessor processor,
                            DnsStats.Counters counters, AnswerMemo memo, ServiceSockets sockets) {
        InetSocketAddress address = new InetSocketAddress(ip, port);
        SocketProtocolFamily family = ip instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        TcpConnectionLimit limit = new TcpConnectionLimit(MAX_TCP_CONNECTIONS);
        // each socket is bound here, on the caller's thread, and handed to the loops without waiting for them
        List<Channel> open = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String binding = null;
        try {
            for (String device : List.of(bridge, LOOPBACK)) {
                ByteBuffer boundTo = BoundToDevice.value(device, ErrorCode.DNS);
                String udpName = SocketNames.dns(false, device, ip, port);
                String tcpName = SocketNames.dns(true, device, ip, port);
                Bootstrap udp = new Bootstrap().group(group)
                        // an IPv6 address may still be tentative (DAD) when the network starts
                        .option(EpollChannelOption.IP_FREEBIND, true)
                        .option(BoundToDevice.OPTION, boundTo.duplicate())
                        .option(ChannelOption.SO_RCVBUF, 1 << 20)
                        // recvmmsg: up to 16 datagrams per system call under load
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, UDP_RECEIVE_BUFFER)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_RECEIVE_BUFFER * 16))
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                udpPipeline(ch.pipeline(), processor, counters, memo);
                            }
                        });
                binding = udpName;
                open.add(AdoptingBind.bindHere(sockets, udpName, udp, address, () -> LinuxSocket.newSocketDgram(family),
                        EpollDatagramChannel::new, -1));
                names.add(udpName);
                ServerBootstrap tcp = new ServerBootstrap().group(group)
                        .option(EpollChannelOption.IP_FREEBIND, true)
                        .option(BoundToDevice.OPTION, boundTo.duplicate())
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(limit, new IdleStateHandler(0, 0, TCP_IDLE_SECONDS, TimeUnit.SECONDS),
                                        new TcpDnsQueryDecoder(DnsRecordDecoder.DEFAULT, MAX_TCP_QUERY), new TcpDnsResponseEncoder(),
                                        new TcpQueryHandler(processor, counters));
                            }
                        });
                binding = tcpName;
                open.add(AdoptingBind.bindHere(sockets, tcpName, tcp, address, () -> LinuxSocket.newSocketStream(family),
                        EpollServerSocketChannel::new, NetUtil.SOMAXCONN));
                names.add(tcpName);
            }
        } catch (IOException | RuntimeException e) {
            new DnsListener(address, open, names, sockets).close();
            if (e instanceof VnetException v) {
                throw v;
            }
            throw new VnetException(ErrorCode.DNS, "cannot listen for DNS on " + what(binding, address) + ": " + e.getMessage(), e);
        }
        return new DnsListener(address, open, names, sockets);
    }

    /** screen → netty's query decoder → netty's answer encoder (raw packets pass) → our handler. */
    static void udpPipeline(ChannelPipeline p, QueryProcessor processor, DnsStats.Counters counters, AnswerMemo memo) {
        p.addLast(new UdpQueryHandler.Screen(counters), new DatagramDnsQueryDecoder(), new UdpQueryHandler.LocalAnswerEncoder(memo),
                new UdpQueryHandler(processor, counters, memo));
    }

    InetSocketAddress address() {
        return address;
    }

    /** Closes every socket and takes it out of systemd's store (unless the daemon is exiting). */
    @Override
    public void close() {
        channels.forEach(c -> c.close().syncUninterruptibly());
        names.forEach(sockets::closed);
    }

    /** "UDP 192.168.122.1:53 on virbr0", from a socket's name and its address. */
    private static String what(String name, InetSocketAddress address) {
        String[] parts = name.split("\\.", 3); // dns-udp . device . rest
        return (parts[0].endsWith("tcp") ? "TCP " : "UDP ") + show(address) + " on " + parts[1];
    }

    private static String show(InetSocketAddress a) {
        return (a.getAddress() instanceof Inet4Address ? a.getAddress().getHostAddress() : "[" + a.getAddress().getHostAddress() + "]")
                + ":" + a.getPort();
    }
}
