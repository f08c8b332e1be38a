package org.vnetd.daemon.rpc.limit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Closes a connection on which nothing was read or written for the idle timeout, unless the protocol holds
 * it open ({@link ListenerGuard#holdOpen}): a request still running, an event subscription.
 */
final class IdleCloser extends IdleStateHandler {
    private final ListenerGuard guard;
    private final Duration timeout;

    IdleCloser(ListenerGuard guard, Duration timeout) {
        super(false, 0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
        this.guard = guard;
        this.timeout = timeout;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (ListenerGuard.holds(ctx.channel()) > 0) {
            return;
        }
        guard.refuse(ctx, new LimitRefusal(LimitRefusal.Reason.IDLE,
                "closing a connection idle for " + timeout.toSeconds() + " s"));
    }
}
