package org.vnetd.daemon.process;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsExecutor;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * A client that sends one request every {@code period} on its own datagram socket, never retransmits,
 * and matches each answer to its request by id: what a guest renewing its lease or resolving names would
 * lose to a daemon that is not there is what it counts. Its socket lives in the namespace it is opened in,
 * with a receive buffer (SO_RCVBUFFORCE) for every answer a restarted daemon sends at once: the answers to
 * the requests that queued during a long restart come in one burst.
 */
final class RequestStream implements AutoCloseable {
    private static final IntegerUnixChannelOption SO_RCVBUFFORCE = new IntegerUnixChannelOption("SO_RCVBUFFORCE", 1, 33);
    private final String name;
    private final Channel channel;
    private final InetSocketAddress server;
    private final IntFunction<ByteBuffer> request;
    private final ToIntFunction<ByteBuffer> answerId;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger nextId = new AtomicInteger(1);
    /** id → when it was sent (ns); removed when answered. */
    private final Map<Integer, Long> outstanding = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile long longestWaitNanos;
    private volatile long longestSentAt;
    private final AtomicInteger overFiveSeconds = new AtomicInteger();
    private volatile String sendFailure;

    /**
     * @param ns       where the socket is opened
     * @param local    the address it is bound to
     * @param request  the datagram of request {@code id} (ids count from 1)
     * @param answerId the id an answer carries, or -1 for a datagram that is no answer to count
     */
    RequestStream(String name, NetnsExecutor ns, EventLoopGroup group, InetSocketAddress local, InetSocketAddress server,
            IntFunction<ByteBuffer> request, ToIntFunction<ByteBuffer> answerId) {
        this.name = name;
        this.server = server;
        this.request = request;
        this.answerId = answerId;
        Bootstrap b = new Bootstrap().group(group).channelFactory(() -> new EpollDatagramChannel(SocketProtocolFamily.INET))
                .option(SO_RCVBUFFORCE, 8 << 20)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        answered(p.content().nioBuffer());
                    }
                });
        this.channel = ns.call(() -> b.bind(local).syncUninterruptibly().channel());
    }

    RequestStream start(Duration period) {
        sender.scheduleAtFixedRate(this::sendOne, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void sendOne() {
        int id = nextId.getAndIncrement();
        outstanding.put(id, System.nanoTime());
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(request.apply(id)), server)).addListener(f -> {
            if (f.isSuccess()) {
                sent.incrementAndGet();
            } else {
                outstanding.remove(id);
                sendFailure = f.cause().toString();
            }
        });
    }

    private void answered(ByteBuffer buf) {
        {
            int id;
            try {
                id = answerId.applyAsInt(buf);
            } catch (RuntimeException e) {
                sendFailure = "an answer that cannot be read: " + e;
                return;
            }
            Long at = id < 0 ? null : outstanding.remove(id);
            if (at != null) {
                answered.incrementAndGet();
                long wait = System.nanoTime() - at;
                if (wait > 5_000_000_000L) {
                    overFiveSeconds.incrementAndGet();
                }
                if (wait > longestWaitNanos) {
                    longestWaitNanos = wait;
                    longestSentAt = at;
                }
            }
        }
    }

    int answeredCount() {
        return answered.get();
    }

    /** Stops sending and waits up to {@code patience} for the answers still due. */
    void finish(Duration patience) throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(10, TimeUnit.SECONDS);
        try {
            Await.until(patience, Duration.ofMillis(50), name + ": every request answered", outstanding::isEmpty);
        } catch (AssertionError late) {
            // reported by unanswered() with the ids; the test's assertion says what was lost
        }
    }

    List<Integer> unanswered() {
        return List.copyOf(new TreeMap<>(outstanding).keySet());
    }

    /** @param t0 System.nanoTime() the times are counted from */
    String summary(long t0) {
        return String.format("%s: %d sent, %d answered, %d unanswered, longest wait %d ms (sent at %.1f s), %d waited over 5 s%s",
                name, sent.get(), answered.get(), outstanding.size(), TimeUnit.NANOSECONDS.toMillis(longestWaitNanos),
                (longestSentAt - t0) / 1e9, overFiveSeconds.get(),
                sendFailure == null ? "" : " (socket error: " + sendFailure + ")");
    }

    long longestWaitMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestWaitNanos);
    }

    @Override
    public void close() {
        sender.shutdownNow();
        channel.close().syncUninterruptibly();
    }
}
