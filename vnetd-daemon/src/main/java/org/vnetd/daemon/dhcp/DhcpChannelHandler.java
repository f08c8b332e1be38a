package org.vnetd.daemon.dhcp;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.Decision;
import org.vnetd.core.dhcp.DhcpCodec;
import org.vnetd.core.dhcp.DhcpMessage;
import org.vnetd.core.dhcp.DhcpServer;
import org.vnetd.core.dhcp.LeaseStore;
import org.vnetd.core.dhcp.ReplyTarget;

/**
 * Datagrams in, decisions out. OFFERs and NAKs leave at the end of each read burst; ACKs that
 * bound a lease are held until the lease store has made the burst durable (one sync per burst:
 * group commit), then sent together. The event loop is the DHCP service's own, so waiting for the
 * disk there delays nothing else.
 */
final class DhcpChannelHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(DhcpChannelHandler.class);

    private final DhcpServer server;
    private final LeaseStore store;
    private final Clock clock;
    private List<DatagramPacket> heldAcks = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicLongArray sync = new java.util.concurrent.atomic.AtomicLongArray(4);

    DhcpChannelHandler(DhcpServer server, LeaseStore store, Clock clock) {
        this.server = server;
        this.store = store;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int len = content.readableBytes();
        byte[] data = ByteBufUtil.getBytes(content, content.readerIndex(), Math.min(len, DhcpCodec.MAX_DATAGRAM + 1), false);
        Decision d = server.handleDatagram(data, 0, data.length, clock.instant());
        switch (d) {
            case Decision.Offer o -> ctx.write(packet(o.reply(), o.target(), o.maxMessageSize()));
            case Decision.Nak n -> {
                LOG.debug("NAK to {}: {}", packet.sender(), n.why());
                ctx.write(packet(n.reply(), n.target(), 0));
            }
            case Decision.Ack a when a.lease() == null -> ctx.write(packet(a.reply(), a.target(), a.maxMessageSize()));
            case Decision.Ack a -> heldAcks.add(packet(a.reply(), a.target(), a.maxMessageSize()));
            case Decision.Ignore i -> {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("ignored datagram from {}: {} ({})", packet.sender(), i.reason(), i.detail());
                }
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // offers and naks first: they need no disk
        if (heldAcks.isEmpty()) {
            return;
        }
        List<DatagramPacket> acks = heldAcks;
        heldAcks = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            // one write + fdatasync for the whole burst, on this (the service's own) event loop:
            // datagrams arriving meanwhile wait in the socket buffer and form the next, larger batch
            store.sync();
        } catch (RuntimeException e) {
            // not durable: the clients get no ACK and retry; sending it would break the promise
            LOG.error("lease store failed, {} ACK(s) withheld: {}", acks.size(), e.getMessage());
            acks.forEach(DatagramPacket::release);
            return;
        }
        long took = System.nanoTime() - t0;
        sync.incrementAndGet(0);
        sync.addAndGet(1, acks.size());
        sync.addAndGet(2, took);
        sync.accumulateAndGet(3, took, Math::max);
        acks.forEach(ctx::write);
        ctx.flush();
    }

    /** Group-commit figures since start: syncs, ACKs they covered, total and longest sync time. */
    SyncStats syncStats() {
        return new SyncStats(sync.get(0), sync.get(1), sync.get(2) / 1_000_000.0, sync.get(3) / 1_000_000.0);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a send error (e.g. no route for one unicast) must not close the server's socket
        LOG.warn("DHCP socket error on {}: {}", ctx.channel(), cause.toString());
    }

    private static DatagramPacket packet(DhcpMessage reply, ReplyTarget target, int maxMessageSize) {
        byte[] bytes = DhcpCodec.encode(reply, maxMessageSize);
        return new DatagramPacket(Unpooled.wrappedBuffer(bytes), new InetSocketAddress(target.address(), target.port()));
    }
}
