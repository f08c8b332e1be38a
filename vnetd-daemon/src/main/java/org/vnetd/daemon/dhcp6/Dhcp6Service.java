package org.vnetd.daemon.dhcp6;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
import org.vnetd.daemon.dhcp.GroupCommitter;
import org.vnetd.daemon.dhcp.SocketAckSender;
import org.vnetd.daemon.activation.AdoptingBind;
import org.vnetd.daemon.activation.ServiceSockets;
import org.vnetd.daemon.activation.SocketNames;
import org.vnetd.daemon.socket.BoundToDevice;
import org.vnetd.daemon.socket.ForcedReceiveBuffer;
import org.vnetd.daemon.socket.DatagramSender;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;

/**
 * The DHCPv6 server of one bridge: UDP port 547 on [::], bound to the bridge, joined to
 * All_DHCP_Relay_Agents_and_Servers (ff02::1:2) there. Each datagram is decoded and decided by the
 * {@link Dhcp6Server} engine on the event loop. An answer that changes no lease (ADVERTISE, CONFIRM,
 * INFORMATION-REQUEST) leaves at the end of the read burst; one that does is held, its changes queued
 * in the lease log ({@link Dhcp6LeaseStore}), and sent by DHCPv4's {@link GroupCommitter} once one
 * fdatasync has made every change queued before it durable, from the committer's thread through its
 * own descriptor of the socket. Garbage is dropped and counted.
 */
public final class Dhcp6Service {
    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6Service.class);
    private static final int SERVER_PORT = 547;
    private static final int CLIENT_PORT = 546;
    private static final int EADDRINUSE = 98;
    private static final InetAddress ALL_SERVERS = ipv6("ff02::1:2");
    /** Larger than any message decoded, so a longer datagram arrives oversize (dropped, counted), not cut to fit. */
    static final int RECEIVE_BUFFER = Dhcp6Codec.MAX_MESSAGE + 1024;

    private final Path leaseDir;
    private final String network;
    private final ObjectMapper json;
    private final Clock clock;
    private final EventLoopGroup group;
    private final ServiceSockets sockets;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private Dhcp6Server server;
    private volatile Dhcp6Config config; // written under this service's lock, read without it
    private Channel channel;
    /** Set before the socket is bound: the handler's committer, made at channelActive, syncs it. */
    private volatile Dhcp6LeaseStore store;
    private final List<Consumer<List<Dhcp6LeaseChange>>> listeners = new CopyOnWriteArrayList<>();

    /** @param json the daemon's mapper for the lease records (its serializers are built once) */
    public Dhcp6Service(Path leaseDir, String network, Clock clock, EventLoopGroup group, ObjectMapper json) {
        this(leaseDir, network, clock, group, json, ServiceSockets.none());
    }

    /** @param sockets the sockets systemd keeps across a daemon restart */
    public Dhcp6Service(Path leaseDir, String network, Clock clock, EventLoopGroup group, ObjectMapper json,
            ServiceSockets sockets) {
        this.leaseDir = leaseDir;
        this.network = network;
        this.json = json;
        this.clock = clock;
        this.group = group;
        this.sockets = sockets;
    }

    public Dhcp6Service(Path leaseDir, String network, Clock clock, EventLoopGroup group) {
        this(leaseDir, network, clock, group, new ObjectMapper());
    }

    /**
     * Told each lease log sync's changes, in order, once durable (a binding whose REPLY was withheld never
     * is) and after that sync's replies have left, on the lease log's sync thread holding no lock of the
     * store: the next sync waits for it, the replies do not. Add before {@link #start}.
     */
    public void addLeaseListener(Consumer<List<Dhcp6LeaseChange>> listener) {
        listeners.add(listener);
    }

    public synchronized void start(Dhcp6Config cfg) {
        this.config = cfg;
        this.server = new Dhcp6Server(cfg);
        Dhcp6LeaseStore s = Dhcp6LeaseStore.open(leaseDir, network, json, clock);
        s.onDurable(batch -> listeners.forEach(l -> l.accept(batch)));
        List<Dhcp6Lease> restored = s.load();
        server.restore(restored, clock.instant());
        store = s;
        try {
            listen(cfg);
        } catch (RuntimeException e) {
            store = null;
            s.close();
            throw e;
        }
        LOG.info("DHCPv6 server on {} ({}), {} lease(s) restored", cfg.interfaceName(), cfg.subnet(), restored.size());
    }

    private void listen(Dhcp6Config cfg) {
        NetworkInterface bridge;
        try {
            bridge = NetworkInterface.getByName(cfg.interfaceName());
        } catch (SocketException e) {
            throw new VnetException(ErrorCode.DHCP, "cannot find " + cfg.interfaceName() + ": " + e.getMessage(), e);
        }
        if (bridge == null) {
            throw new VnetException(ErrorCode.DHCP, "cannot find " + cfg.interfaceName() + " for the DHCPv6 server");
        }
        // as DHCPv4's socket: a burst of requests queues in the socket instead of being dropped there, and
        // one read takes in the whole burst (the answers that bind share one fdatasync)
        Bootstrap b = new Bootstrap().group(group)
                .option(ChannelOption.SO_RCVBUF, ForcedReceiveBuffer.DHCP_BYTES)
                .option(ForcedReceiveBuffer.OPTION, ForcedReceiveBuffer.DHCP_BYTES)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 1024)
                .option(BoundToDevice.OPTION, BoundToDevice.value(cfg.interfaceName(), ErrorCode.DHCP))
                .handler(new Handler());
        String name = SocketNames.dhcp6(cfg.interfaceName());
        ChannelFuture f = AdoptingBind.bind(sockets, name, b, new InetSocketAddress(ipv6("::"), SERVER_PORT), EpollDatagramChannel::new,
                () -> new EpollDatagramChannel(SocketProtocolFamily.INET6)).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new VnetException(ErrorCode.DHCP, "cannot listen for DHCPv6 on [::]:547 (" + cfg.interfaceName() + "): "
                    + f.cause().getMessage(), f.cause());
        }
        Channel ch = f.channel();
        ChannelFuture joined = ((EpollDatagramChannel) ch).joinGroup(new InetSocketAddress(ALL_SERVERS, SERVER_PORT), bridge)
                .awaitUninterruptibly();
        // a socket kept across a restart is still a member (EADDRINUSE): that is what we asked for
        if (!joined.isSuccess() && !alreadyMember(joined.cause())) {
            ch.close().syncUninterruptibly();
            sockets.closed(name);
            throw new VnetException(ErrorCode.DHCP, "cannot join ff02::1:2 on " + cfg.interfaceName() + ": "
                    + joined.cause().getMessage(), joined.cause());
        }
        channel = ch;
    }

    public synchronized void reconfigure(Dhcp6Config cfg) {
        this.config = cfg;
        server.reconfigure(cfg);
    }

    /** Stops serving; replies already synced are sent, every queued change is written. Idempotent. */
    public synchronized void stop() {
        if (channel != null) {
            Channel ch = channel;
            channel = null;
            ch.close().syncUninterruptibly(); // the handler's removal closes the committer: what it synced leaves
            ch.eventLoop().submit(() -> { }).syncUninterruptibly(); // a read still running appends before the close
            sockets.closed(SocketNames.dhcp6(config.interfaceName()));
        }
        if (store != null) {
            Dhcp6LeaseStore s = store;
            store = null;
            s.close();
        }
    }

    private static boolean alreadyMember(Throwable cause) {
        return cause instanceof io.netty.channel.unix.Errors.NativeIoException e && e.expectedErr() == -EADDRINUSE;
    }

    /**
     * The leases clients were told of: durable, REPLY'd, not expired. Takes no lock (RPC event loops call it):
     * neither a sync stalled on the disk nor a stop holding this service waits for it.
     */
    public List<Dhcp6Lease> leases() {
        Dhcp6LeaseStore s = store;
        return s == null ? List.of() : s.leases(clock.instant());
    }

    public Dhcp6Config config() {
        return config;
    }

    /** The serving lease store, or null (tests). */
    Dhcp6LeaseStore store() {
        return store;
    }

    /** Malformed datagrams dropped: oversize, or refused by the codec. */
    public long dropped() {
        return dropped.get();
    }

    /** What came in since the service was made and what was not answered. */
    public Dhcp6Stats stats() {
        return new Dhcp6Stats(received.get(), dropped.get(), ignored.get());
    }

    /**
     * Decides under the service's lock and queues the answer's lease changes in the log (in the order
     * decided); null when there is nothing to send. The caller holds a changing answer until it is synced.
     */
    private synchronized Dhcp6Decision.Answer answer(byte[] datagram) {
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
            ignored.incrementAndGet();
            LOG.debug("DHCPv6 on {}: ignored: {}", config.interfaceName(), i.reason());
            return null;
        }
        Dhcp6Decision.Answer a = (Dhcp6Decision.Answer) d;
        for (Dhcp6Lease l : a.ended()) {
            store.append(new Dhcp6LeaseChange(true, l));
        }
        for (Dhcp6Lease l : a.bound()) {
            store.append(new Dhcp6LeaseChange(false, l));
        }
        return a;
    }

    /** Datagrams in; answers out at the end of each read burst, or through the committer once durable. */
    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        private List<DatagramPacket> held = new ArrayList<>();
        private List<Dhcp6Lease> heldLeases = new ArrayList<>();
        private GroupCommitter<Dhcp6Lease> committer;
        private DatagramSender direct; // the committer's own descriptor of the socket
        private final java.nio.ByteBuffer scratch = java.nio.ByteBuffer.allocate(Dhcp6Codec.MAX_MESSAGE); // event loop only

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            committer(ctx);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            received.incrementAndGet();
            if (content.readableBytes() > Dhcp6Codec.MAX_MESSAGE) {
                dropped.incrementAndGet();
                return;
            }
            byte[] data = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), data);
            InetSocketAddress from = packet.sender();
            Dhcp6Decision.Answer a;
            try {
                a = answer(data);
            } catch (VnetException e) {
                LOG.warn("DHCPv6 on {}: no answer to {}: {}", config.interfaceName(), from, e.getMessage());
                return;
            }
            if (a == null) {
                return;
            }
            byte[] reply = Dhcp6Codec.encode(a.message(), scratch);
            DatagramPacket out = new DatagramPacket(ctx.alloc().directBuffer(reply.length).writeBytes(reply),
                    new InetSocketAddress(from.getAddress(), CLIENT_PORT));
            if (a.changesLeases()) {
                held.add(out); // durable first: the committer sends it after the sync
                heldLeases.addAll(a.bound());
            } else {
                ctx.write(out);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!held.isEmpty()) {
                committer(ctx).submit(held, heldLeases); // one sync for the burst and whatever queued meanwhile
                held = new ArrayList<>();
                heldLeases = new ArrayList<>();
            }
        }

        private GroupCommitter<Dhcp6Lease> committer(ChannelHandlerContext ctx) {
            if (committer == null) {
                try {
                    direct = DatagramSender.of((EpollDatagramChannel) ctx.channel());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                committer = new GroupCommitter<>(store, new SocketAckSender(direct::send, ctx.channel()),
                        "v6-" + config.interfaceName());
            }
            return committer;
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) throws IOException {
            held.forEach(DatagramPacket::release);
            held.clear();
            if (committer != null) {
                committer.close();
                if (committer.stopped()) {
                    direct.close();
                } else {
                    LOG.error("DHCPv6 sync thread on {} did not stop; its socket descriptor is left open", ctx.channel());
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // one unicast without a route must not close the server's socket
            LOG.warn("DHCPv6 socket error on {}: {}", ctx.channel(), cause.toString());
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
