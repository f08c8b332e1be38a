package org.vnetd.daemon.dns;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
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
 * Asks upstream servers. Each attempt goes out of a socket of its own, with a port the kernel picks at
 * random and a fresh random id, connected to the server asked so the kernel takes datagrams from that
 * address and port only; an answer is taken only if it also carries that id and repeats the question
 * (RFC 5452's defences against spoofed answers: an attacker must guess port and id, 2^31 or so, not
 * the id of a few long-lived ports). Servers are tried in order (libvirt's strict-order); one that
 * times out, or answers SERVFAIL/REFUSED, passes the query to the next, within a total budget that
 * stays below a stub resolver's own timeout. A truncated answer for a TCP client is asked again over
 * TCP. Failure completes the future exceptionally, so the client gets SERVFAIL instead of silence.
 * Sockets are made on the event loops' threads, so they belong to those threads' network namespace.
 */
final class UpstreamClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClient.class);
    private static final int MAX_MESSAGE = 65535;
    /**
     * Attempts (each one socket) in flight at once; beyond it a query fails at once (SERVFAIL) instead of
     * running the daemon out of file descriptors. Identical questions share one attempt, so only a flood
     * of distinct names from guests comes near it (dnsmasq's dns-forward-max is 150).
     */
    static final int MAX_IN_FLIGHT = 1024;

    private final EventLoopGroup group;
    private final long attemptNanos;
    private final long totalNanos;
    private final SecureRandom random = new SecureRandom();
    private final Set<Attempt> inFlight = ConcurrentHashMap.newKeySet();
    private final int maxInFlight;
    private final AtomicInteger slots;
    private volatile boolean closed;

    UpstreamClient(EventLoopGroup group, Duration attemptTimeout, Duration totalTimeout) {
        this(group, attemptTimeout, totalTimeout, MAX_IN_FLIGHT);
    }

    UpstreamClient(EventLoopGroup group, Duration attemptTimeout, Duration totalTimeout, int maxInFlight) {
        this.group = group;
        this.attemptNanos = attemptTimeout.toNanos();
        this.totalNanos = totalTimeout.toNanos();
        this.maxInFlight = maxInFlight;
        this.slots = new AtomicInteger(maxInFlight);
    }

    /** Forwards {@code query} to {@code servers} in order; completes with the raw answer. */
    CompletableFuture<byte[]> query(DnsQuery query, List<InetSocketAddress> servers) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        new Exchange(query, servers, System.nanoTime() + totalNanos, result).next();
        return result;
    }

    /** Attempts in flight now (each holds one socket). */
    int inFlight() {
        return inFlight.size();
    }

    /** Closes every attempt's socket; their queries complete with an error (their clients get SERVFAIL). */
    @Override
    public void close() {
        closed = true;
        for (Attempt a : List.copyOf(inFlight)) {
            a.finish();
            a.exchange.result.completeExceptionally(new VnetException(ErrorCode.DNS, "DNS service stopped"));
        }
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
            if (closed || index >= servers.size() || left <= 0) {
                result.completeExceptionally(new VnetException(ErrorCode.DNS, closed ? "DNS service stopped"
                        : "no upstream answered " + query.question() + " (asked " + servers.subList(0, Math.min(index, servers.size())) + ")"));
                return;
            }
            if (slots.getAndDecrement() <= 0) {
                slots.incrementAndGet();
                result.completeExceptionally(new VnetException(ErrorCode.DNS, maxInFlight
                        + " upstream queries already in flight; not asking for " + query.question()));
                return;
            }
            InetSocketAddress server = servers.get(index);
            Attempt a = new Attempt(this, server, random.nextInt(65536));
            inFlight.add(a);
            EventLoop loop;
            ChannelFuture connect;
            try {
                loop = group.next();
                // the channel (socket) is created here, on this event loop thread, so in its namespace
                connect = new Bootstrap().group(loop)
                        .channelFactory(() -> new EpollDatagramChannel(server.getAddress() instanceof Inet4Address
                                ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6))
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(4096))
                        .handler(new AnswerHandler(a))
                        .connect(server);
            } catch (RuntimeException e) {
                failed(a, e); // the client must still get an answer (SERVFAIL), never silence
                return;
            }
            if (connect.isDone() && !connect.isSuccess() && !connect.channel().isRegistered()) {
                // no socket at all (no IPv6 on this host, no file descriptor left): nothing to close
                failed(a, connect.cause());
                return;
            }
            a.channel = connect.channel();
            a.timeout = loop.schedule(() -> {
                if (a.finish()) {
                    LOG.debug("upstream {} did not answer {} in time", server, query.question());
                    next();
                }
            }, Math.min(attemptNanos, left), TimeUnit.NANOSECONDS);
            if (a.done.get()) {
                // ended (on the loop's thread) before channel and timer were set here: finish() missed them
                a.timeout.cancel(false);
                a.channel.close();
            }
            byte[] wire = DnsWire.encodeQuery(a.id, query.question(), query.recursionDesired(), query.edns(), NettyDns.OUR_UDP_PAYLOAD);
            connect.addListener(c -> {
                if (!c.isSuccess()) {
                    failed(a, c.cause());
                    return;
                }
                connect.channel().writeAndFlush(Unpooled.wrappedBuffer(wire)).addListener(f -> {
                    if (!f.isSuccess()) {
                        failed(a, f.cause());
                    }
                });
            });
        }

        private void failed(Attempt a, Throwable cause) {
            if (a.finish()) {
                LOG.debug("cannot send to upstream {}: {}", a.server, cause.toString());
                next();
            }
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
            int id = random.nextInt(65536);
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

    /** One question to one server, on a socket of its own. */
    private final class Attempt {
        final Exchange exchange;
        final InetSocketAddress server;
        final int id;
        final AtomicBoolean done = new AtomicBoolean();
        volatile Channel channel;
        volatile ScheduledFuture<?> timeout;

        Attempt(Exchange exchange, InetSocketAddress server, int id) {
            this.exchange = exchange;
            this.server = server;
            this.id = id;
        }

        /** Ends the attempt once: closes its socket, frees its slot; false if it had already ended. */
        boolean finish() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            inFlight.remove(this);
            slots.incrementAndGet();
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            Channel c = channel;
            if (c != null) {
                c.close();
            }
            return true;
        }
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

    /** Reads the answer on one attempt's socket; anything else that arrives there is dropped. */
    private static final class AnswerHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Attempt attempt;

        AnswerHandler(Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] b = ByteBufUtil.getBytes(packet.content());
            // the socket is connected, so the kernel already checked the sender; checked again all the same
            if (!attempt.server.equals(packet.sender()) || !matches(b, attempt.id, attempt.exchange.query.question())) {
                LOG.debug("dropping unexpected upstream answer from {} (asked {} with id {})", packet.sender(), attempt.server, attempt.id);
                return;
            }
            if (attempt.finish()) {
                attempt.exchange.answered(attempt, b);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable on the connected socket: this server is not there, ask the next
            if (attempt.finish()) {
                LOG.debug("upstream {}: {}", attempt.server, cause.toString());
                attempt.exchange.next();
            }
        }
    }
}
