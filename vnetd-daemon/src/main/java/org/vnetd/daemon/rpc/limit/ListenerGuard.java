package org.vnetd.daemon.rpc.limit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;

/**
 * The {@link ListenerLimits} of one listening socket, shared by all of its connections. Install it with one
 * call when building the listener, then add the protocol's own handlers:
 *
 * <pre>{@code
 * ListenerGuard guard = new ListenerGuard("vnetd-ro.sock", ListenerLimits.readOnlySocket(), FrameFormat.JSON_RPC);
 * guard.install(serverBootstrap, ch -> ch.pipeline().addLast(new MyProtocolHandler()));
 * }</pre>
 *
 * The protocol's first inbound handler then receives whole frames (a {@code ByteBuf} each, to release), gets a
 * {@link LimitRefusal} user event before a connection is closed for a limit (to answer with an error in its own
 * format when {@link LimitRefusal.Reason#tellsPeer()}), and calls {@link #holdOpen}/{@link #releaseHold} around
 * whatever must keep an idle connection open (a running request, an event subscription). Refusals are logged
 * rate-limited: the first at once, then one summary line per interval.
 */
public final class ListenerGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerGuard.class);
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private static final AttributeKey<Boolean> REFUSED =
            AttributeKey.valueOf(ListenerGuard.class, "refused");
    private static final AttributeKey<AtomicInteger> HOLDS =
            AttributeKey.valueOf(ListenerGuard.class, "holds");
    private static final AttributeKey<PeerId> PEER =
            AttributeKey.valueOf(ListenerGuard.class, "peer");

    /**
     * Unpooled (allocated for one buffer, freed when it is released): a pooling allocator keeps the high-water
     * mark of a flood of incomplete frames for the life of the process, and these sockets move little data.
     */
    static final ByteBufAllocator ALLOCATOR = UnpooledByteBufAllocator.DEFAULT;

    private final String name;
    private final ListenerLimits limits;
    private final FrameFormat format;
    private final Function<Channel, PeerId> identify;
    private final ConnectionCounter connections;
    private final BufferBudget budget;
    private final RefusalLog refusals;
    private final EventExecutor logTimer;

    /** {@code name} names the listener in log lines (a socket's file name). */
    public ListenerGuard(String name, ListenerLimits limits, FrameFormat format) {
        this(name, limits, format, PeerId::of, LOG::warn, null);
    }

    /** {@code logTimer} runs the refusal summaries; null: the event loop of the connection refused first. */
    ListenerGuard(String name, ListenerLimits limits, FrameFormat format, Function<Channel, PeerId> identify,
            Consumer<String> log, EventExecutor logTimer) {
        this.name = name;
        this.limits = limits;
        this.format = format;
        this.identify = identify;
        this.connections = new ConnectionCounter(limits.maxConnections(), limits.maxConnectionsPerPeer());
        this.budget = new BufferBudget(limits.maxBufferedBytes());
        this.refusals = new RefusalLog(name, LOG_INTERVAL, log);
        this.logTimer = logTimer;
    }

    /**
     * Makes {@code bootstrap}'s connections use this guard: its allocator, write-buffer water marks that fit the
     * unread-reply limit (a connection turns unwritable at half of it, at most 1 MiB, so its protocol stops
     * reading requests well before the limit), the guard's handlers first in each pipeline, then whatever
     * {@code protocol} adds. Replaces the bootstrap's child handler.
     */
    public ServerBootstrap install(ServerBootstrap bootstrap, Consumer<Channel> protocol) {
        int high = (int) Math.min(1024 * 1024, limits.maxUnreadReplyBytes() / 2);
        return bootstrap.childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(Math.max(1, high / 4), Math.max(1, high)))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        addHandlers(ch.pipeline());
                        protocol.accept(ch);
                    }
                });
    }

    /** The guard's handlers, added last to {@code pipeline}: call it before adding the protocol's handlers. */
    public void addHandlers(ChannelPipeline pipeline) {
        pipeline.addLast("limit-connections", new ConnectionCap(this));
        if (!limits.idleTimeout().isZero()) {
            pipeline.addLast("limit-idle", new IdleCloser(this, limits.idleTimeout()));
        }
        pipeline.addLast("limit-unread", new UnreadReplyCap(this, limits.maxUnreadReplyBytes()));
        BoundedFrameDecoder frames = new BoundedFrameDecoder(this, limits, format);
        pipeline.addLast("limit-frame", frames);
        pipeline.addLast("limit-resume", frames.resumer());
    }

    /** Keeps {@code ch} open while idle until a matching {@link #releaseHold}. Call on the channel's event loop. */
    public static void holdOpen(Channel ch) {
        ch.attr(HOLDS).setIfAbsent(new AtomicInteger());
        ch.attr(HOLDS).get().incrementAndGet();
    }

    /** Ends one {@link #holdOpen}. */
    public static void releaseHold(Channel ch) {
        AtomicInteger holds = ch.attr(HOLDS).get();
        if (holds != null) {
            holds.decrementAndGet();
        }
    }

    static int holds(Channel ch) {
        AtomicInteger holds = ch.attr(HOLDS).get();
        return holds == null ? 0 : holds.get();
    }

    public ListenerLimits limits() {
        return limits;
    }

    /** Connections open now (admitted, not yet closed). */
    public int openConnections() {
        return connections.open();
    }

    /** Bytes of incomplete frames held now. */
    public long bufferedBytes() {
        return budget.used();
    }

    /** Connections closed for a limit since the listener started. */
    public long refusals() {
        return refusals.total();
    }

    PeerId identify(Channel ch) {
        PeerId peer = identify.apply(ch);
        ch.attr(PEER).set(peer);
        return peer;
    }

    ConnectionCounter connections() {
        return connections;
    }

    BufferBudget budget() {
        return budget;
    }

    /** Logs (rate-limited), tells the protocol when the client can hear it, and closes. Once per connection. */
    void refuse(ChannelHandlerContext ctx, LimitRefusal refusal) {
        Channel ch = ctx.channel();
        if (ch.attr(REFUSED).setIfAbsent(Boolean.TRUE) != null) {
            return;
        }
        PeerId peer = ch.attr(PEER).get();
        refusals.refused(refusal, peer == null ? "an unknown peer" : peer.label(),
                logTimer != null ? logTimer : ch.eventLoop());
        if (refusal.reason().tellsPeer()) {
            ctx.fireUserEventTriggered(refusal);
        }
        ch.close();
    }

    @Override
    public String toString() {
        return "ListenerGuard[" + name + "]";
    }
}
