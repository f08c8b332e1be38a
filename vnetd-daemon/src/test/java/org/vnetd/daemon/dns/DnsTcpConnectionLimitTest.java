package org.vnetd.daemon.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class DnsTcpConnectionLimitTest {
    @Test
    void connectionsOverTheCapAreClosedAndSlotsComeBack() {
        TcpConnectionLimit limit = new TcpConnectionLimit(2);
        EmbeddedChannel a = new EmbeddedChannel(limit);
        EmbeddedChannel b = new EmbeddedChannel(limit);
        EmbeddedChannel c = new EmbeddedChannel(limit);
        assertTrue(a.isOpen());
        assertTrue(b.isOpen());
        assertFalse(c.isOpen(), "third connection over a cap of 2");
        assertEquals(2, limit.open());
        a.close();
        assertEquals(1, limit.open());
        EmbeddedChannel d = new EmbeddedChannel(limit);
        assertTrue(d.isOpen());
        b.close();
        d.close();
        assertEquals(0, limit.open());
    }
}
