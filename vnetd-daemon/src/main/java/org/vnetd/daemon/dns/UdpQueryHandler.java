package org.vnetd.daemon.dns;

import java.net.InetSocketAddress;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DnsResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dns.DnsQuery;
import org.vnetd.core.dns.DnsReply;
import org.vnetd.core.error.VnetException;

/** The UDP side: screens datagrams, hands decoded queries to the processor, sends answers back. */
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    private static final Logger LOG = LoggerFactory.getLogger(UdpQueryHandler.class);
    /** No real query comes near this (a full-length name plus EDNS options is a few hundred bytes). */
    static final int MAX_QUERY = 1232;

    private final QueryProcessor processor;
    private final DnsStats.Counters counters;
    private final AnswerMemo memo;

    UdpQueryHandler(QueryProcessor processor, DnsStats.Counters counters, AnswerMemo memo) {
        this.processor = processor;
        this.counters = counters;
        this.memo = memo;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
        DnsQuery query;
        try {
            query = NettyDns.toCore(q, false);
        } catch (VnetException e) {
            counters.dropped.increment();
            LOG.debug("dropping query from {}: {}", q.sender(), e.getMessage());
            return;
        }
        Reply reply = new Reply(ctx.channel(), q.sender(), q.recipient(), memo);
        processor.process(query, reply);
        reply.readDone();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a malformed datagram must not take the socket down for everyone else
        counters.dropped.increment();
        LOG.debug("dropping malformed DNS query: {}", cause.toString());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // answers written during this read batch leave together (sendmmsg), one syscall for many
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /**
     * Answers made while the query is being read are only written, and flushed with the whole
     * batch in {@link #channelReadComplete}; answers that come later (from upstream) are flushed at once.
     */
    private static final class Reply implements QueryProcessor.Reply {
        private final Channel channel;
        private final InetSocketAddress client;
        private final InetSocketAddress local;
        private final AnswerMemo memo;
        private volatile boolean inRead = true;

        Reply(Channel channel, InetSocketAddress client, InetSocketAddress local, AnswerMemo memo) {
            this.channel = channel;
            this.client = client;
            this.local = local;
            this.memo = memo;
        }

        @Override
        public void local(DnsQuery query, DnsReply reply) {
            DnsReply fitted = reply.fit(query.question(), query.maxResponseSize(), NettyDns.extraSize(query));
            AnswerMemo.Key key = AnswerMemo.Key.of(query, fitted);
            java.util.Optional<byte[]> known = memo.answer(key, query);
            if (known.isPresent()) {
                send(new DatagramPacket(Unpooled.wrappedBuffer(known.get()), client, local));
                return;
            }
            send(NettyDns.fill(new KeyedResponse(local, client, query.id(), key), query, fitted));
        }

        @Override
        public void raw(DnsQuery query, byte[] message) {
            send(new DatagramPacket(Unpooled.wrappedBuffer(message), client, local));
        }

        void readDone() {
            inRead = false;
        }

        private void send(Object msg) {
            if (inRead && channel.eventLoop().inEventLoop()) {
                channel.write(msg, channel.voidPromise());
            } else {
                channel.writeAndFlush(msg, channel.voidPromise());
            }
        }
    }

    /** Drops datagrams that cannot be a sane query before netty decodes them (too short, too long, a response, not one question). */
    static final class Screen extends ChannelInboundHandlerAdapter {
        private final DnsStats.Counters counters;

        Screen(DnsStats.Counters counters) {
            this.counters = counters;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket p) {
                ByteBuf b = p.content();
                int n = b.readableBytes();
                String why = null;
                if (n < 12) {
                    why = "shorter than a DNS header";
                } else if (n > MAX_QUERY) {
                    why = n + " bytes, more than any query";
                } else if ((b.getByte(b.readerIndex() + 2) & 0x80) != 0) {
                    why = "a response, not a query";
                } else if (b.getUnsignedShort(b.readerIndex() + 4) != 1) {
                    why = "question count " + b.getUnsignedShort(b.readerIndex() + 4);
                }
                if (why != null) {
                    counters.dropped.increment();
                    LOG.debug("dropping datagram from {}: {}", p.sender(), why);
                    p.release();
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** A response that remembers which memo entry its encoding belongs to. */
    static final class KeyedResponse extends DatagramDnsResponse {
        final AnswerMemo.Key key;

        KeyedResponse(InetSocketAddress sender, InetSocketAddress recipient, int id, AnswerMemo.Key key) {
            super(sender, recipient, id);
            this.key = key;
        }
    }

    /**
     * netty's encoder, letting raw upstream answers ({@link DatagramPacket}s) pass untouched and
     * keeping a copy of each local answer it encodes for {@link AnswerMemo}.
     */
    static final class LocalAnswerEncoder extends DatagramDnsResponseEncoder {
        private final AnswerMemo memo;

        LocalAnswerEncoder(AnswerMemo memo) {
            this.memo = memo;
        }

        @Override
        public boolean acceptOutboundMessage(Object msg) {
            return msg instanceof AddressedEnvelope<?, ?> e && e.content() instanceof DnsResponse;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, AddressedEnvelope<DnsResponse, InetSocketAddress> in, List<Object> out)
                throws Exception {
            super.encode(ctx, in, out);
            if ((Object) in instanceof KeyedResponse k && !out.isEmpty() && out.getLast() instanceof DatagramPacket p) {
                memo.remember(k.key, ByteBufUtil.getBytes(p.content()));
            }
        }
    }
}
