package org.vnetd.daemon.rpc.limit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Admits a new connection against the listener's caps, or refuses it before the protocol sees it (the
 * protocol gets only the {@link LimitRefusal}, to tell the client). One instance per connection.
 */
final class ConnectionCap extends ChannelInboundHandlerAdapter {
    private final ListenerGuard guard;
    private String countedAs;
    private boolean admitted;

    ConnectionCap(ListenerGuard guard) {
        this.guard = guard;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        PeerId peer = guard.identify(ctx.channel());
        countedAs = peer.capped() ? peer.label() : null;
        LimitRefusal refusal = guard.connections().admit(countedAs);
        if (refusal != null) {
            guard.refuse(ctx, refusal);
            return;
        }
        admitted = true;
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            admitted = false;
            guard.connections().release(countedAs);
        }
        ctx.fireChannelInactive();
    }
}
