package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

import org.junit.jupiter.api.Test;

class SocketAckSenderTest {
    private static DatagramPacket ack(int i) {
        return new DatagramPacket(Unpooled.directBuffer().writeByte(i), new InetSocketAddress("10.0.0." + i, 68));
    }

    /**
     * The socket takes the first ACK, has no room for the second and refuses the third (no route):
     * the second leaves through the channel's loop, the third is dropped, and every buffer is released.
     */
    @Test
    void whatTheSocketCannotTakeNowGoesThroughTheLoopAndARefusedAckIsDropped() {
        EmbeddedChannel ch = new EmbeddedChannel();
        List<String> direct = new ArrayList<>();
        SocketAckSender sender = new SocketAckSender((content, to) -> {
            int i = content.getByte(content.readerIndex());
            if (i == 3) {
                throw new IOException("Network is unreachable");
            }
            if (i == 2) {
                return false;
            }
            direct.add(to.getHostString());
            return true;
        }, ch);
        List<DatagramPacket> acks = List.of(ack(1), ack(2), ack(3));
        sender.send(new ArrayList<>(acks));

        assertEquals(List.of("10.0.0.1"), direct);
        ch.runPendingTasks();
        DatagramPacket viaLoop = ch.readOutbound();
        assertEquals(new InetSocketAddress("10.0.0.2", 68), viaLoop.recipient());
        viaLoop.release();
        assertNull(ch.readOutbound(), "the refused ACK is not sent again");
        for (DatagramPacket p : acks) {
            assertEquals(0, p.refCnt(), "released: " + p.recipient());
        }
        ch.finishAndReleaseAll();
    }
}
