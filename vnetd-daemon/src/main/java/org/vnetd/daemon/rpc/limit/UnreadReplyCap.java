package org.vnetd.daemon.rpc.limit;

import java.nio.channels.ClosedChannelException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes a connection whose client leaves more than the limit of replies unread when another reply is written:
 * back-pressure stops reading its requests, but replies to requests already running would otherwise pile up.
 * The check is made before a write, so one large reply to a client that reads is always sent.
 */
final class UnreadReplyCap extends ChannelOutboundHandlerAdapter {
    private final ListenerGuard guard;
    private final long max;

    UnreadReplyCap(ListenerGuard guard, long max) {
        this.guard = guard;
        this.max = max;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
        if (pending != null && pending.totalPendingWriteBytes() > max) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new ClosedChannelException());
            guard.refuse(ctx, new LimitRefusal(LimitRefusal.Reason.UNREAD_REPLIES,
                    "more than " + max + " bytes of replies left unread"));
            return;
        }
        ctx.write(msg, promise);
    }
}
