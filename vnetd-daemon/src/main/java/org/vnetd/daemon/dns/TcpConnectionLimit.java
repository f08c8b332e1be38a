package org.vnetd.daemon.dns;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the TCP connections of one listener. A guest that opens connections and never closes them
 * would otherwise use up the daemon's file descriptors, which every network shares. Over the cap a
 * new connection is closed at once; UDP, which is what resolvers use first, is not affected.
 */
@ChannelHandler.Sharable
final class TcpConnectionLimit extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnectionLimit.class);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    TcpConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            LOG.debug("refusing TCP DNS connection from {}: {} already open", ctx.channel().remoteAddress(), max);
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    int open() {
        return open.get();
    }
}
