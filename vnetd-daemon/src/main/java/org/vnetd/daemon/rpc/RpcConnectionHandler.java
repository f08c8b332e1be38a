package org.vnetd.daemon.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.Request;
import org.vnetd.core.rpc.RequestDecoder;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.core.rpc.RpcError;
import org.vnetd.core.rpc.RpcErrors;
import org.vnetd.core.rpc.RpcNotification;
import org.vnetd.core.rpc.RpcProtocolException;
import org.vnetd.core.rpc.RpcRequest;
import org.vnetd.core.rpc.RpcResponse;
import org.vnetd.daemon.rpc.limit.LimitRefusal;
import org.vnetd.daemon.rpc.limit.InFlightRequests;
import org.vnetd.daemon.rpc.limit.ListenerGuard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * One connection: decodes each frame as a request, runs it off the event loop, writes the reply.
 * The event loop only parses and writes, so a slow method or a slow client never holds up another
 * connection. At most {@code maxInFlight} requests of one connection run at once; beyond that, and
 * while the client does not read its replies, the connection stops being read (back-pressure
 * instead of unbounded queues). The socket's {@link ListenerGuard} frames the requests and enforces its
 * limits; this handler tells the client why when the guard closes its connection, and holds an idle
 * connection open while it has a request running or an event subscription.
 */
final class RpcConnectionHandler extends SimpleChannelInboundHandler<ByteBuf> implements RpcConnection {
    private static final Logger LOG = LoggerFactory.getLogger(RpcConnectionHandler.class);
    /** Read-only methods take a few names or ids; this leaves room for many more. */
    static final int MAX_READ_ONLY_PARAM_VALUES = 64;

    private final boolean readOnly;
    private final RpcMethodTable methods;
    private final EventHub events;
    private final ExecutorService workers;
    private final InFlightRequests inFlight;

    // touched only on this channel's event loop
    private Peer peer = Peer.UNKNOWN;
    private final List<Long> subscriptions = new ArrayList<>();
    private Channel channel;

    RpcConnectionHandler(boolean readOnly, RpcMethodTable methods, EventHub events, ExecutorService workers, int maxInFlight) {
        this.readOnly = readOnly;
        this.methods = methods;
        this.events = events;
        this.workers = workers;
        this.inFlight = new InFlightRequests(maxInFlight);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        peer = Peer.of(ctx.channel());
        LOG.debug("connection from {} on the {} socket", peer, readOnly ? "read-only" : "read-write");
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        byte[] bytes = ByteBufUtil.getBytes(frame);
        RpcRequest request;
        try {
            request = RpcCodec.decodeRequest(bytes);
        } catch (RpcProtocolException e) {
            LOG.debug("bad request from {}: {}", peer, e.getMessage());
            reply(ctx, RpcResponse.failure(e.id(), e.error()));
            return;
        }
        JsonNode id = request.idOrNull();
        String method = request.method();
        RpcMethod served = methods.lookup(method).orElse(null);
        if (served == null) {
            reply(ctx, RpcResponse.failure(id, RpcError.protocol(RpcError.METHOD_NOT_FOUND,
                    "Method not found: '" + method + "'")));
            return;
        }
        if (readOnly && served.access() == RpcMethod.Access.WRITE) {
            reply(ctx, RpcResponse.failure(id, RpcErrors.of(ErrorCode.PERMISSION_DENIED,
                    "operation forbidden: " + method + " is not allowed on the read-only socket")));
            return;
        }
        if (readOnly && exceeds(request.params(), MAX_READ_ONLY_PARAM_VALUES)) {
            // A parsed request lives until its call ends, so a running one outlives young collections, and a
            // frame of tiny values parses to about ten times its size. Refused here, on the event loop, it dies young.
            reply(ctx, RpcResponse.failure(id, RpcError.protocol(RpcError.INVALID_PARAMS, "Invalid params: a request on the"
                    + " read-only socket has at most " + MAX_READ_ONLY_PARAM_VALUES + " values in its params")));
            return;
        }
        if (served.access() == RpcMethod.Access.WRITE) {
            // every change is attributed to whoever asked for it
            LOG.info("{} {} requested by {}", method, summarize(request), peer);
        }
        Request decoded;
        try {
            decoded = RequestDecoder.decode(method, request.params());
        } catch (RpcProtocolException e) {
            reply(ctx, RpcResponse.failure(id, e.error()));
            return;
        }
        RpcCall call = new RpcCall(method, decoded, peer, readOnly, this);
        inFlight.started(ctx.channel());
        Runnable work = () -> {
            RpcResponse response;
            try {
                Object result = served.handler().handle(call);
                if (result instanceof FdReply fds) {
                    ctx.executor().execute(() -> finishedWithFds(ctx, fds));
                    return;
                }
                response = RpcResponse.success(id, result);
            } catch (Throwable t) {
                response = RpcResponse.failure(id, RpcErrors.from(t));
                logFailure(method, t, readOnly);
            }
            RpcResponse r = response;
            if (ctx.executor().inEventLoop()) {
                finished(ctx, r);
            } else {
                ctx.executor().execute(() -> finished(ctx, r));
            }
        };
        if (served.runsOn().eventLoop(decoded)) {
            work.run();
            return;
        }
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            finished(ctx, RpcResponse.failure(id, RpcErrors.of(ErrorCode.INTERNAL, "the daemon is shutting down")));
        }
    }

    private void finished(ChannelHandlerContext ctx, RpcResponse response) {
        requestDone(ctx);
        reply(ctx, response);
        resumeIfPossible(ctx.channel());
    }

    /** Descriptors instead of a JSON reply: one SCM_RIGHTS message each (FdReply). */
    private void finishedWithFds(ChannelHandlerContext ctx, FdReply reply) {
        requestDone(ctx);
        if (!ctx.channel().isActive()) {
            reply.afterSent().run();
        } else {
            io.netty.channel.ChannelFuture last = null;
            for (int fd : reply.fds()) {
                last = ctx.write(new io.netty.channel.unix.FileDescriptor(fd));
            }
            ctx.flush();
            if (last == null) {
                reply.afterSent().run();
            } else {
                last.addListener(f -> reply.afterSent().run());
            }
        }
        resumeIfPossible(ctx.channel());
    }

    private void requestDone(ChannelHandlerContext ctx) {
        inFlight.finished(ctx.channel());
    }

    /** Runs on this channel's event loop, from the {@code events.subscribe} handler (ConnectionMethods). */
    @Override
    public void subscribe(EventHub.Filter filter) {
        Channel ch = channel;
        if (subscriptions.isEmpty()) {
            // a subscriber waits for events in silence: never closed for being idle
            ListenerGuard.holdOpen(ch);
        }
        subscriptions.add(events.subscribe(filter, e -> push(ch, e)));
    }

    private static void push(Channel ch, NetworkEvent event) {
        if (!ch.isActive()) {
            return;
        }
        if (!ch.isWritable()) {
            // a subscriber that does not read its events would make us buffer without bound
            LOG.warn("closing an event subscriber that does not read its events");
            ch.close();
            return;
        }
        ch.writeAndFlush(Unpooled.wrappedBuffer(RpcCodec.encode(RpcNotification.event(event))));
    }

    private static void reply(ChannelHandlerContext ctx, RpcResponse response) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RpcCodec.encode(response)));
        }
    }

    private void resumeIfPossible(Channel ch) {
        inFlight.resumeIfPossible(ch);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        inFlight.writabilityChanged(ctx.channel());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        subscriptions.forEach(events::unsubscribe);
        subscriptions.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof LimitRefusal refusal) {
            // the guard closes the connection right after this; the reply is flushed first
            reply(ctx, RpcResponse.failure(NullNode.getInstance(), RpcErrors.of(ErrorCode.RPC_PROTOCOL, refusal.message())));
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            LOG.debug("connection of {} failed: {}", peer, cause.toString());
        } else {
            LOG.warn("closing connection of {} after an unexpected error", peer, cause);
        }
        ctx.close();
    }

    /** Whether {@code node} holds more than {@code max} values (objects and arrays count, and what they hold). */
    static boolean exceeds(JsonNode node, int max) {
        return node != null && count(node, max + 1) > max;
    }

    private static int count(JsonNode node, int stopAt) {
        int n = 1;
        for (JsonNode child : node) {
            if (n >= stopAt) {
                break;
            }
            n += count(child, stopAt - n);
        }
        return n;
    }

    private static String summarize(RpcRequest request) {
        JsonNode p = request.params();
        if (p == null) {
            return "";
        }
        JsonNode n = p.get("network");
        if (n != null && n.isTextual()) {
            return "network=" + n.asText();
        }
        return "";
    }

    private static void logFailure(String method, Throwable t, boolean readOnly) {
        Throwable e = t;
        if (e instanceof org.vnetd.core.error.VnetException v && v.code() != ErrorCode.INTERNAL) {
            if (readOnly) {
                // a lookup that changes nothing failed; at INFO any local user could fill the log with
                // lines of their own text (names as long as a frame, thousands a second)
                LOG.debug("{} failed: {}", method, v.getMessage());
                return;
            }
            // user errors: one line, no stack trace
            LOG.info("{} failed: {}", method, v.getMessage());
        } else if (e instanceof RpcProtocolException) {
            LOG.debug("{} refused: {}", method, e.getMessage());
        } else {
            LOG.error("{} failed with an internal error", method, e);
        }
    }
}
