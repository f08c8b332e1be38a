package org.vnetd.daemon.dns;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dns.DnsQuery;
import org.vnetd.core.dns.DnsReply;
import org.vnetd.core.error.VnetException;

/**
 * One TCP connection (RFC 7766): several queries may come in a row and answers may go back in any
 * order. A malformed frame or an idle connection closes this connection only.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<io.netty.handler.codec.dns.DnsQuery> {
    private static final Logger LOG = LoggerFactory.getLogger(TcpQueryHandler.class);

    private final QueryProcessor processor;
    private final DnsStats.Counters counters;

    TcpQueryHandler(QueryProcessor processor, DnsStats.Counters counters) {
        this.processor = processor;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, io.netty.handler.codec.dns.DnsQuery q) {
        DnsQuery query;
        try {
            query = NettyDns.toCore(q, true);
        } catch (VnetException e) {
            counters.dropped.increment();
            LOG.debug("closing TCP DNS connection {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
            return;
        }
        processor.process(query, new Reply(ctx.channel()));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        counters.dropped.increment();
        LOG.debug("closing TCP DNS connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private record Reply(Channel channel) implements QueryProcessor.Reply {
        @Override
        public void local(DnsQuery query, DnsReply reply) {
            channel.writeAndFlush(NettyDns.fill(new DefaultDnsResponse(query.id()), query, reply));
        }

        @Override
        public void raw(DnsQuery query, byte[] message) {
            channel.writeAndFlush(Unpooled.buffer(message.length + 2).writeShort(message.length).writeBytes(message));
        }
    }
}
