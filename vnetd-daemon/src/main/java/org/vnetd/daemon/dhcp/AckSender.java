package org.vnetd.daemon.dhcp;

import java.util.List;

import io.netty.channel.socket.DatagramPacket;

/** Where the {@link GroupCommitter} puts a batch of ACKs once their leases are durable. */
@FunctionalInterface
public interface AckSender {
    /** Sends {@code acks}, on the sync thread; takes them over (each is released, sent or not). */
    void send(List<DatagramPacket> acks);
}
