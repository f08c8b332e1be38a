package org.vnetd.daemon.dns;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dns.DnsQuery;
import org.vnetd.core.dns.DnsQuestion;
import org.vnetd.core.dns.DnsWire;
import org.vnetd.core.dns.Edns;
import org.vnetd.core.dns.ResponseCode;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Asks upstream servers. Each query gets a fresh random id and goes out of one of a few sockets
 * with kernel-chosen ports; an answer is taken only if it comes from the server asked, carries that
 * id and repeats the question (RFC 5452's defences against spoofed answers). Servers are tried in
 * order (libvirt's strict-order); one that times out, or answers SERVFAIL/REFUSED, passes the query
 * to the next, within a total budget that stays below a stub resolver's own timeout. A truncated
 * answer for a TCP client is asked again over TCP. Failure completes the future exceptionally, so
 * the client gets SERVFAIL instead of silence.
 */
final class UpstreamClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClient.class);
    private static final int SOCKETS_PER_FAMILY = 4;
    private static final int MAX_MESSAGE = 65535;

    private final EventLoopGroup group;
    private final long attemptNanos;
    private final long totalNanos;
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, Attempt> pending = new ConcurrentHashMap<>();
    private final List<Channel> v4 = new ArrayList<>();
    private final List<Channel> v6 = new ArrayList<>();

    UpstreamClient(EventLoopGroup group, Duration attemptTimeout, Duration totalTimeout) {
        this.group = group;
        this.attemptNanos = attemptTimeout.toNanos();
        this.totalNanos = totalTimeout.toNanos();
    }

    /** Opens the sockets; they belong to the calling thread's network namespace. */
    void open() {
        // all binds are started before any is awaited: one trip to the event loops instead of one
        // per socket, which was most of a DNS start on a loaded host
        List<ChannelFuture> f4 = new ArrayList<>();
        List<ChannelFuture> f6 = new ArrayList<>();
        for (int i = 0; i < SOCKETS_PER_FAMILY; i++) {
            f4.add(bind(SocketProtocolFamily.INET, new InetSocketAddress("0.0.0.0", 0)));
        }
        RuntimeException v6Failure = null;
        try {
            for (int i = 0; i < SOCKETS_PER_FAMILY; i++) {
                f6.add(bind(SocketProtocolFamily.INET6, new InetSocketAddress("::", 0)));
            }
        } catch (RuntimeException e) {
            v6Failure = e; // the socket itself could not be created (no IPv6 at all)
        }
        VnetException v4Failure = collect(f4, v4, "0.0.0.0");
        VnetException v6Bind = collect(f6, v6, "::");
        if (v4Failure != null) {
            throw v4Failure; // the caller's stop() closes what did open
        }
        if (v6Failure != null || v6Bind != null) {
            // a host without IPv6 still forwards to IPv4 servers
            LOG.info("no IPv6 upstream sockets: {}", (v6Failure != null ? v6Failure : v6Bind).getMessage());
        }
    }

    /** Awaits the binds, keeps the channels that opened, returns the first failure (or null). */
    private static VnetException collect(List<ChannelFuture> binds, List<Channel> into, String local) {
        VnetException first = null;
        for (ChannelFuture f : binds) {
            f.awaitUninterruptibly();
            if (f.isSuccess()) {
                into.add(f.channel());
            } else if (first == null) {
                first = new VnetException(ErrorCode.DNS, "cannot open an upstream DNS socket on " + local + ": "
                        + f.cause().getMessage(), f.cause());
            }
        }
        return first;
    }

    private ChannelFuture bind(SocketProtocolFamily family, InetSocketAddress local) {
        // the channel (socket) is created here, on the calling thread, so it belongs to its namespace
        return new Bootstrap().group(group)
                .channelFactory(() -> new EpollDatagramChannel(family))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(4096))
                .handler(new AnswerHandler())
                .bind(local);
    }

    /** Forwards {@code query} to {@code servers} in order; completes with the raw answer. */
    CompletableFuture<byte[]> query(DnsQuery query, List<InetSocketAddress> servers) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        new Exchange(query, servers, System.nanoTime() + totalNanos, result).next();
        return result;
    }

    @Override
    public void close() {
        for (Channel c : v4) {
            c.close().syncUninterruptibly();
        }
        for (Channel c : v6) {
            c.close().syncUninterruptibly();
        }
        v4.clear();
        v6.clear();
        pending.values().forEach(a -> a.exchange.result.completeExceptionally(
                new VnetException(ErrorCode.DNS, "DNS service stopped")));
        pending.clear();
    }

    /** One client query's way through the server list. */
    private final class Exchange {
        final DnsQuery query;
        final List<InetSocketAddress> servers;
        final long deadline;
        final CompletableFuture<byte[]> result;
        int index = -1;

        Exchange(DnsQuery query, List<InetSocketAddress> servers, long deadline, CompletableFuture<byte[]> result) {
            this.query = query;
            this.servers = servers;
            this.deadline = deadline;
            this.result = result;
        }

        void next() {
            index++;
            long left = deadline - System.nanoTime();
            if (index >= servers.size() || left <= 0) {
                result.completeExceptionally(new VnetException(ErrorCode.DNS,
                        "no upstream answered " + query.question() + " (asked " + servers.subList(0, Math.min(index, servers.size())) + ")"));
                return;
            }
            InetSocketAddress server = servers.get(index);
            List<Channel> pool = server.getAddress() instanceof Inet4Address ? v4 : v6;
            if (pool.isEmpty()) {
                next();
                return;
            }
            Channel ch = pool.get(random.nextInt(pool.size()));
            int id = freshId();
            Attempt a = new Attempt(this, server, id);
            pending.put(id, a);
            byte[] wire = DnsWire.encodeQuery(id, query.question(), query.recursionDesired(), query.edns(), NettyDns.OUR_UDP_PAYLOAD);
            a.timeout = ch.eventLoop().schedule(() -> {
                if (pending.remove(id, a)) {
                    LOG.debug("upstream {} did not answer {} in time", server, query.question());
                    next();
                }
            }, Math.min(attemptNanos, left), TimeUnit.NANOSECONDS);
            ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), server)).addListener(f -> {
                if (!f.isSuccess() && pending.remove(id, a)) {
                    a.timeout.cancel(false);
                    LOG.debug("cannot send to upstream {}: {}", server, f.cause().toString());
                    next();
                }
            });
        }

        void answered(Attempt a, byte[] answer) {
            int rcode = DnsWire.rcode(answer);
            if ((rcode == ResponseCode.SERVFAIL || rcode == ResponseCode.REFUSED) && index + 1 < servers.size()) {
                next();
                return;
            }
            if (DnsWire.isTruncated(answer) && query.overTcp()) {
                overTcp(a.server, answer);
                return;
            }
            result.complete(answer);
        }

        /** The UDP answer was cut; ask the same server over TCP, falling back to the cut answer. */
        private void overTcp(InetSocketAddress server, byte[] truncated) {
            int id = freshId();
            byte[] wire = DnsWire.encodeQuery(id, query.question(), query.recursionDesired(),
                    query.edns().map(e -> new Edns(MAX_MESSAGE, e.dnssecOk())), MAX_MESSAGE);
            CompletableFuture<byte[]> tcp = new CompletableFuture<>();
            long left = Math.max(1, deadline - System.nanoTime());
            ChannelFuture connect = new Bootstrap().group(group)
                    .channelFactory(() -> new EpollSocketChannel(server.getAddress() instanceof Inet4Address
                            ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6))
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_MESSAGE, 0, 2, 0, 2),
                                    new SimpleChannelInboundHandler<ByteBuf>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                            byte[] b = ByteBufUtil.getBytes(msg);
                                            if (matches(b, id, query.question())) {
                                                tcp.complete(b);
                                            }
                                            ctx.close();
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            tcp.completeExceptionally(cause);
                                            ctx.close();
                                        }

                                        @Override
                                        public void channelInactive(ChannelHandlerContext ctx) {
                                            tcp.completeExceptionally(new VnetException(ErrorCode.DNS, "upstream closed TCP"));
                                        }
                                    });
                        }
                    }).connect(server);
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    tcp.completeExceptionally(f.cause());
                    return;
                }
                ByteBuf out = Unpooled.buffer(wire.length + 2).writeShort(wire.length).writeBytes(wire);
                connect.channel().writeAndFlush(out);
            });
            ScheduledFuture<?> timer = group.next().schedule(() -> {
                tcp.completeExceptionally(new VnetException(ErrorCode.DNS, "upstream TCP timed out"));
                connect.channel().close();
            }, left, TimeUnit.NANOSECONDS);
            tcp.whenComplete((b, err) -> {
                timer.cancel(false);
                if (err != null) {
                    LOG.debug("TCP retry to {} for {} failed: {}", server, query.question(), err.toString());
                    result.complete(truncated);
                } else {
                    result.complete(b);
                }
            });
        }
    }

    private static final class Attempt {
        final Exchange exchange;
        final InetSocketAddress server;
        final int id;
        volatile ScheduledFuture<?> timeout;

        Attempt(Exchange exchange, InetSocketAddress server, int id) {
            this.exchange = exchange;
            this.server = server;
            this.id = id;
        }
    }

    private int freshId() {
        for (int i = 0; i < 32; i++) {
            int id = random.nextInt(65536);
            if (!pending.containsKey(id)) {
                return id;
            }
        }
        return random.nextInt(65536);
    }

    private static boolean matches(byte[] answer, int id, DnsQuestion question) {
        if (answer.length < DnsWire.HEADER || !DnsWire.isResponse(answer) || DnsWire.id(answer) != id) {
            return false;
        }
        try {
            return DnsWire.question(answer).equals(question);
        } catch (VnetException e) {
            return false;
        }
    }

    /** Reads answers on the upstream sockets and hands each to the attempt it belongs to. */
    private final class AnswerHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] b = ByteBufUtil.getBytes(packet.content());
            if (b.length < DnsWire.HEADER) {
                return;
            }
            int id = DnsWire.id(b);
            Attempt a = pending.get(id);
            if (a == null || !a.server.equals(packet.sender()) || !matches(b, id, a.exchange.query.question())) {
                LOG.debug("dropping unexpected upstream answer id {} from {}", id, packet.sender());
                return;
            }
            if (pending.remove(id, a)) {
                a.timeout.cancel(false);
                a.exchange.answered(a, b);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors and the like: the attempt's timeout moves on to the next server
            LOG.debug("upstream socket: {}", cause.toString());
        }
    }
}
