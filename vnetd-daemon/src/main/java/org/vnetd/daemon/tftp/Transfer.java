package org.vnetd.daemon.tftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.tftp.BlockSource;
import org.vnetd.core.tftp.MalformedTftpException;
import org.vnetd.core.tftp.ReadTransfer;
import org.vnetd.core.tftp.TftpCodec;
import org.vnetd.core.tftp.TftpErrorCode;
import org.vnetd.core.tftp.TftpPacket;

/**
 * One read transfer on its own ephemeral UDP port (the server's TID): carries out what the
 * {@link ReadTransfer} state machine decides, owns the open file and the retransmission timer.
 * Everything runs on the channel's event loop, so no field needs a lock.
 */
final class Transfer extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(Transfer.class);

    private final TftpService service;
    private final InetSocketAddress peer;
    private final String name;
    private final FileChannel file;
    private final long size;
    private final ReadTransfer machine;
    private final long startNanos = System.nanoTime();
    private Channel channel;
    private ScheduledFuture<?> timer;
    /** Set on the event loop, or by {@link #abort} before the socket exists. */
    private volatile boolean closed;
    /** Completes once the file is closed and the service's slot given back. */
    private final java.util.concurrent.CompletableFuture<Void> released = new java.util.concurrent.CompletableFuture<>();

    Transfer(TftpService service, InetSocketAddress peer, String name, RootDirectory.Opened opened,
             java.util.function.Function<BlockSource, ReadTransfer> machine) {
        this.service = service;
        this.peer = peer;
        this.name = name;
        this.file = opened.channel();
        this.size = opened.size();
        this.machine = machine.apply(positional(opened.channel()));
    }

    /** Positional reads: several transfers of one file never share a file position. */
    static BlockSource positional(FileChannel ch) {
        return (position, dst, off, len) -> {
            ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
            long pos = position;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            return buf.position() - off;
        };
    }

    InetSocketAddress peer() {
        return peer;
    }

    /** The transfer's socket is bound: send the first packet(s). On the channel's event loop. */
    void begin(Channel ch) {
        this.channel = ch;
        ch.closeFuture().addListener(f -> release());
        if (closed) {
            ch.close();
            return;
        }
        act(machine.start());
    }

    /** Ends the transfer with an ERROR to the client (service stopping). Any thread. */
    void abort(String why) {
        Channel ch = channel;
        if (ch == null) {
            closed = true; // bind still in flight: begin() closes at once
            return;
        }
        ch.eventLoop().execute(() -> {
            if (!closed && ch.isActive()) {
                LOG.info("TFTP: aborting {} to {}: {}", name, show(peer), why);
                closed = true;
                ch.writeAndFlush(datagram(new TftpPacket.Error(TftpErrorCode.NOT_DEFINED, why), peer))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    Channel channel() {
        return channel;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
        InetSocketAddress from = msg.sender();
        if (closed) {
            return;
        }
        if (!peer.equals(from)) {
            // RFC 1350 section 4: a packet from another TID gets ERROR 5 and the transfer goes on
            ctx.writeAndFlush(datagram(new TftpPacket.Error(TftpErrorCode.UNKNOWN_TRANSFER_ID, TftpErrorCode.UNKNOWN_TRANSFER_ID.text()),
                    from));
            return;
        }
        TftpPacket p;
        try {
            p = TftpCodec.decode(ByteBufUtil.getBytes(msg.content()));
        } catch (MalformedTftpException e) {
            LOG.debug("TFTP: malformed packet from {} ignored: {}", show(from), e.getMessage());
            return;
        }
        act(machine.onPacket(p));
    }

    private void onTimeout() {
        if (!closed) {
            act(machine.onTimeout());
        }
    }

    private void act(ReadTransfer.Action a) {
        switch (a) {
            case ReadTransfer.Send s -> {
                for (TftpPacket p : s.packets()) {
                    channel.write(datagram(p, peer), channel.voidPromise());
                }
                channel.flush();
                if (timer != null) {
                    timer.cancel(false);
                }
                timer = channel.eventLoop().schedule(this::onTimeout, s.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            case ReadTransfer.Ignore i -> LOG.trace("TFTP: {} to {}: {}", name, show(peer), i.why());
            case ReadTransfer.End e -> {
                closed = true;
                log(e);
                if (e.reply() != null) {
                    channel.writeAndFlush(datagram(e.reply(), peer));
                }
                // closed after the current read loop: netty's datagram loop would otherwise try one
                // more recvmsg on the closed socket
                Channel ch = channel;
                ch.eventLoop().execute(ch::close);
            }
        }
    }

    private void log(ReadTransfer.End e) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        switch (e.outcome()) {
            case COMPLETE, LAST_ACK_MISSING -> LOG.info("TFTP: sent {} ({} bytes, blksize {}) to {} in {} ms{}", name, size,
                    machine.negotiation().blockSize(), show(peer), ms,
                    e.outcome() == ReadTransfer.Outcome.LAST_ACK_MISSING ? " (final ACK missing)" : "");
            case CLIENT_ERROR -> LOG.info("TFTP: {} to {} ended by the client: {}", name, show(peer), e.detail());
            case TIMED_OUT, ILLEGAL -> LOG.warn("TFTP: {} to {} failed: {}", name, show(peer), e.detail());
            case READ_ERROR -> LOG.error("TFTP: {} to {} failed: {}", name, show(peer), e.detail());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closed) {
            LOG.warn("TFTP: {} to {}: {}", name, show(peer), cause.toString());
        }
        closed = true;
        ctx.close();
    }

    /**
     * Runs once the channel is closed, or when it could not be opened: timer, file and the service's
     * slot are given back.
     */
    void release() {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
        }
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("TFTP: closing {}: {}", name, e.toString());
        }
        service.finished(this);
        released.complete(null);
    }

    java.util.concurrent.CompletableFuture<Void> released() {
        return released;
    }

    static DatagramPacket datagram(TftpPacket p, InetSocketAddress to) {
        return new DatagramPacket(Unpooled.wrappedBuffer(TftpCodec.encode(p)), to);
    }

    static String show(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
