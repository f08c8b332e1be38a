package org.vnetd.daemon.dhcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.daemon.socket.DatagramSender;

/**
 * Sends synced ACKs straight from the sync thread through the DHCP socket ({@link DatagramSender}):
 * the event loop is not woken for them. An ACK the socket cannot take now (send buffer full) goes
 * through the channel on its event loop instead, which waits for the socket to drain.
 */
public final class SocketAckSender implements AckSender {
    private static final Logger LOG = LoggerFactory.getLogger(SocketAckSender.class);

    /** One datagram out now: {@link DatagramSender#send} (false: the socket's send buffer is full). */
    @FunctionalInterface
    public interface DirectSend {
        boolean send(ByteBuf content, InetSocketAddress to) throws IOException;
    }

    private final DirectSend socket;
    private final Channel channel;

    /** @param channel the DHCP channel, for what {@code socket} cannot take now */
    public SocketAckSender(DirectSend socket, Channel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    @Override
    public void send(List<DatagramPacket> acks) {
        List<DatagramPacket> later = null;
        for (DatagramPacket ack : acks) {
            try {
                if (!socket.send(ack.content(), ack.recipient())) {
                    if (later == null) {
                        later = new ArrayList<>();
                    }
                    later.add(ack);
                    continue;
                }
            } catch (IOException e) {
                // one guest's unicast that has no route must not hold up the others (the loop's own
                // write path reports such errors the same way, DhcpChannelHandler.exceptionCaught)
                LOG.warn("DHCP ACK to {} not sent: {}", ack.recipient(), e.getMessage());
            }
            ack.release();
        }
        if (later != null) {
            viaLoop(later);
        }
    }

    private void viaLoop(List<DatagramPacket> acks) {
        try {
            channel.eventLoop().execute(() -> {
                for (DatagramPacket p : acks) {
                    channel.write(p);
                }
                channel.flush();
            });
        } catch (RejectedExecutionException e) {
            // the loop is shutting down: the socket is going, the leases are durable, the clients retry
            acks.forEach(DatagramPacket::release);
        }
    }
}
