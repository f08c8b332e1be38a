package org.vnetd.daemon.dhcp6;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp6.Dhcp6Codec;
import org.vnetd.core.dhcp6.Dhcp6Config;
import org.vnetd.core.dhcp6.Dhcp6Decision;
import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.dhcp6.Dhcp6Message;
import org.vnetd.core.dhcp6.Dhcp6Server;
import org.vnetd.core.dhcp6.MalformedDhcp6Exception;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.socket.BoundToDevice;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;

/**
 * The DHCPv6 server of one bridge: UDP port 547 on [::], bound to the bridge, joined to
 * All_DHCP_Relay_Agents_and_Servers (ff02::1:2) there. Each datagram is decoded, decided by the
 * {@link Dhcp6Server} engine, its lease changes written durably, and only then answered to the
 * client's address and port 546. Garbage is dropped and counted.
 */
public final class Dhcp6Service {
    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6Service.class);
    private static final int SERVER_PORT = 547;
    private static final int CLIENT_PORT = 546;
    private static final InetAddress ALL_SERVERS = ipv6("ff02::1:2");

    private final Dhcp6LeaseFile file;
    private final Clock clock;
    private final EventLoopGroup group;
    private final AtomicLong dropped = new AtomicLong();
    private Dhcp6Server server;
    private Dhcp6Config config;
    private Channel channel;

    public Dhcp6Service(Path leaseDir, String network, Clock clock, EventLoopGroup group) {
        this.file = new Dhcp6LeaseFile(leaseDir.resolve(network + ".dhcp6.json"));
        this.clock = clock;
        this.group = group;
    }

    public synchronized void start(Dhcp6Config cfg) {
        this.config = cfg;
        this.server = new Dhcp6Server(cfg);
        List<Dhcp6Lease> restored = file.read();
        server.restore(restored, clock.instant());
        NetworkInterface bridge;
        try {
            bridge = NetworkInterface.getByName(cfg.interfaceName());
        } catch (SocketException e) {
            throw new VnetException(ErrorCode.DHCP, "cannot find " + cfg.interfaceName() + ": " + e.getMessage(), e);
        }
        if (bridge == null) {
            throw new VnetException(ErrorCode.DHCP, "cannot find " + cfg.interfaceName() + " for the DHCPv6 server");
        }
        ChannelFuture f = new Bootstrap().group(group)
                .channelFactory(() -> new EpollDatagramChannel(SocketProtocolFamily.INET6))
                .option(BoundToDevice.OPTION, BoundToDevice.value(cfg.interfaceName(), ErrorCode.DHCP))
                .handler(new Handler())
                .bind(new InetSocketAddress(ipv6("::"), SERVER_PORT)).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new VnetException(ErrorCode.DHCP, "cannot listen for DHCPv6 on [::]:547 (" + cfg.interfaceName() + "): "
                    + f.cause().getMessage(), f.cause());
        }
        Channel ch = f.channel();
        ChannelFuture joined = ((EpollDatagramChannel) ch).joinGroup(new InetSocketAddress(ALL_SERVERS, SERVER_PORT), bridge)
                .awaitUninterruptibly();
        if (!joined.isSuccess()) {
            ch.close().syncUninterruptibly();
            throw new VnetException(ErrorCode.DHCP, "cannot join ff02::1:2 on " + cfg.interfaceName() + ": "
                    + joined.cause().getMessage(), joined.cause());
        }
        channel = ch;
        LOG.info("DHCPv6 server on {} ({}), {} lease(s) restored", cfg.interfaceName(), cfg.subnet(), restored.size());
    }

    public synchronized void reconfigure(Dhcp6Config cfg) {
        this.config = cfg;
        server.reconfigure(cfg);
    }

    public synchronized void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
    }

    public synchronized List<Dhcp6Lease> leases() {
        return server == null ? List.of() : server.leases();
    }

    public synchronized Dhcp6Config config() {
        return config;
    }

    public long dropped() {
        return dropped.get();
    }

    /** Decides and persists under the service's lock; the caller sends what comes back. */
    private synchronized byte[] answer(byte[] datagram) {
        Dhcp6Message m;
        try {
            m = Dhcp6Codec.decode(datagram, datagram.length);
        } catch (MalformedDhcp6Exception e) {
            dropped.incrementAndGet();
            LOG.debug("DHCPv6 on {}: dropped a malformed message: {}", config.interfaceName(), e.getMessage());
            return null;
        }
        Dhcp6Decision d = server.handle(m, clock.instant());
        if (d instanceof Dhcp6Decision.Ignore i) {
            LOG.debug("DHCPv6 on {}: ignored: {}", config.interfaceName(), i.reason());
            return null;
        }
        Dhcp6Decision.Answer a = (Dhcp6Decision.Answer) d;
        if (a.changesLeases()) {
            file.write(server.leases()); // durable before the client hears of it
        }
        return Dhcp6Codec.encode(a.message());
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            if (content.readableBytes() > Dhcp6Codec.MAX_MESSAGE) {
                dropped.incrementAndGet();
                return;
            }
            byte[] data = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), data);
            InetSocketAddress from = packet.sender();
            byte[] reply;
            try {
                reply = answer(data);
            } catch (VnetException e) {
                LOG.warn("DHCPv6 on {}: no answer to {}: {}", config.interfaceName(), from, e.getMessage());
                return;
            }
            if (reply != null) {
                ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), new InetSocketAddress(from.getAddress(), CLIENT_PORT)));
            }
        }
    }

    private static InetAddress ipv6(String literal) {
        try {
            return Inet6Address.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
