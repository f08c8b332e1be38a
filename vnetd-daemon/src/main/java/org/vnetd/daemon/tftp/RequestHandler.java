package org.vnetd.daemon.tftp;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.tftp.MalformedTftpException;
import org.vnetd.core.tftp.TftpCodec;
import org.vnetd.core.tftp.TftpErrorCode;
import org.vnetd.core.tftp.TftpPacket;

/**
 * Port 69 of one address: requests come in here, transfers move to their own ports. A read request
 * starts a transfer; a write request is refused (read-only server, ERROR 2); a request that breaks
 * the grammar gets ERROR 4 with the reason; anything else arriving here (stray DATA/ACK/ERROR, noise)
 * is dropped without an answer.
 */
final class RequestHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private final TftpService service;
    private final TftpService.Listener listener;

    RequestHandler(TftpService service, TftpService.Listener listener) {
        this.service = service;
        this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
        InetSocketAddress from = msg.sender();
        TftpPacket p;
        try {
            p = TftpCodec.decode(ByteBufUtil.getBytes(msg.content()));
        } catch (MalformedTftpException e) {
            if (e.request()) {
                LOG.info("TFTP: bad request from {}: {}", Transfer.show(from), e.getMessage());
                ctx.writeAndFlush(Transfer.datagram(new TftpPacket.Error(TftpErrorCode.ILLEGAL_OPERATION, e.getMessage()), from));
            } else {
                LOG.debug("TFTP: dropped a malformed datagram from {}: {}", Transfer.show(from), e.getMessage());
            }
            return;
        }
        switch (p) {
            case TftpPacket.ReadRequest r -> service.read(ctx.channel(), listener, from, r);
            case TftpPacket.WriteRequest w -> {
                LOG.info("TFTP: write request for '{}' from {} refused (read-only server)", TftpCodec.printable(w.filename()),
                        Transfer.show(from));
                ctx.writeAndFlush(Transfer.datagram(new TftpPacket.Error(TftpErrorCode.ACCESS_VIOLATION,
                        "Access violation: this TFTP server is read-only"), from));
            }
            default -> LOG.debug("TFTP: dropped a stray packet on port 69 from {}", Transfer.show(from));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a send error (ICMP unreachable from an earlier reply) must not close port 69
        LOG.debug("TFTP: listener on {}: {}", listener.address(), cause.toString());
    }
}
