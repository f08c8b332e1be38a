package org.vnetd.daemon.dhcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.Decision;
import org.vnetd.core.dhcp.DhcpCodec;
import org.vnetd.core.dhcp.DhcpMessage;
import org.vnetd.core.dhcp.DhcpServer;
import org.vnetd.core.dhcp.LeaseStore;
import org.vnetd.core.dhcp.ReplyTarget;
import org.vnetd.daemon.socket.DatagramSender;

/**
 * Datagrams in, decisions out. OFFERs and NAKs leave at the end of each read burst; ACKs that
 * bound a lease go to the {@link GroupCommitter}, which sends them once the lease log is synced,
 * from its own thread through a duplicate of this channel's socket ({@link SocketAckSender}).
 */
final class DhcpChannelHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(DhcpChannelHandler.class);

    private final DhcpServer server;
    private final LeaseStore store;
    private final Clock clock;
    private List<DatagramPacket> heldAcks = new ArrayList<>();
    private List<org.vnetd.core.dhcp.DhcpLease> heldLeases = new ArrayList<>(); // what heldAcks acknowledge
    // the event loop's own arrays (one thread): a datagram is decoded from, and a reply encoded into,
    // these instead of a fresh array each; the codec copies out whatever it keeps. Made at the first
    // datagram: a network whose guests never ask costs no 18 KiB.
    private byte[] received;
    private byte[] encoded;
    private volatile GroupCommitter<org.vnetd.core.dhcp.DhcpLease> committer;
    private DatagramSender directSender; // the committer's own descriptor of the socket

    DhcpChannelHandler(DhcpServer server, LeaseStore store, Clock clock) {
        this.server = server;
        this.store = store;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        if (received == null) {
            received = new byte[DhcpCodec.MAX_DATAGRAM + 1];
            encoded = new byte[DhcpCodec.MAX_DATAGRAM];
        }
        ByteBuf content = packet.content();
        int len = Math.min(content.readableBytes(), received.length); // one byte over the limit: the codec rejects a cut one
        content.getBytes(content.readerIndex(), received, 0, len);
        Decision d = server.handleDatagram(received, 0, len, clock.instant());
        // instanceof tests, not a pattern switch: the first run of a switch links its invokedynamic call
        // site, and the first guest after a daemon start waited for that (bench/dhcp/README.md)
        if (d instanceof Decision.Offer o) {
            ctx.write(packet(ctx, o.reply(), o.target(), o.maxMessageSize()));
        } else if (d instanceof Decision.Ack a) {
            DatagramPacket reply = packet(ctx, a.reply(), a.target(), a.maxMessageSize());
            if (a.lease() == null) {
                ctx.write(reply); // INFORM: nothing to make durable
            } else {
                heldAcks.add(reply);
                heldLeases.add(a.lease());
            }
        } else if (d instanceof Decision.Nak n) {
            LOG.debug("NAK to {}: {}", packet.sender(), n.why());
            ctx.write(packet(ctx, n.reply(), n.target(), 0));
        } else if (d instanceof Decision.Ignore i && LOG.isDebugEnabled()) {
            LOG.debug("ignored datagram from {}: {} ({})", packet.sender(), i.reason(), i.detail());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // offers and naks now: they need no disk
        if (!heldAcks.isEmpty()) {
            committer(ctx).submit(heldAcks, heldLeases); // one sync for the whole burst (and whatever queued meanwhile)
            heldAcks = new ArrayList<>();
            heldLeases = new ArrayList<>();
        }
    }

    private GroupCommitter<org.vnetd.core.dhcp.DhcpLease> committer(ChannelHandlerContext ctx) {
        if (committer == null) {
            try {
                directSender = DatagramSender.of((EpollDatagramChannel) ctx.channel());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            committer = new GroupCommitter<>(CommitLog.of(store), new SocketAckSender(directSender::send, ctx.channel()),
                    server.config().interfaceName());
        }
        return committer;
    }

    /** Starts the sync thread with the channel: it prepares the lease log before the first ACK. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        committer(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws IOException {
        if (committer != null) {
            committer.close(); // sends what it has synced: the sender must stay open until then
            if (committer.stopped()) {
                directSender.close();
            } else {
                // a sync still hangs on the disk and may yet send: its descriptor stays open (one
                // descriptor leaked, never a send into a number that something else has taken)
                LOG.error("DHCP sync thread on {} did not stop; its socket descriptor is left open", ctx.channel());
            }
        }
    }

    /** Group-commit figures since start. */
    SyncStats syncStats() {
        GroupCommitter<org.vnetd.core.dhcp.DhcpLease> c = committer;
        return c == null ? SyncStats.NONE : c.stats();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a send error (e.g. no route for one unicast) must not close the server's socket
        LOG.warn("DHCP socket error on {}: {}", ctx.channel(), cause.toString());
    }

    private DatagramPacket packet(ChannelHandlerContext ctx, DhcpMessage reply, ReplyTarget target, int maxMessageSize) {
        int n = DhcpCodec.encode(reply, maxMessageSize, encoded);
        // into a (pooled) direct buffer: the epoll transport would otherwise copy a wrapped heap array
        // into one itself, wrapping it in a second DatagramPacket
        ByteBuf buf = ctx.alloc().directBuffer(n).writeBytes(encoded, 0, n);
        return new DatagramPacket(buf, new InetSocketAddress(target.address(), target.port()));
    }
}
