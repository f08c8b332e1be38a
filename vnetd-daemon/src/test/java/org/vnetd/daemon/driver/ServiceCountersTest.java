package org.vnetd.daemon.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.dhcp.Decision.IgnoreReason;
import org.vnetd.core.dhcp.DhcpStats;
import org.vnetd.core.rpc.ServiceStats;

class ServiceCountersTest {
    /**
     * The engine counts a datagram its codec refused only as malformed, a decoded BOOTREPLY as received and
     * ignored for MALFORMED: network.serviceStats counts both as received and malformed, never as ignored.
     */
    @Test
    void dhcpCountsEveryDatagramOnceAsAnsweredMalformedOrIgnored() {
        DhcpStats engine = new DhcpStats(10, 3, 4, 2, 1, Map.of(IgnoreReason.MALFORMED, 2L, IgnoreReason.NOT_FOR_US, 1L));
        ServiceStats.Dhcp shown = ServiceCounters.dhcp(engine);
        assertEquals(new ServiceStats.Dhcp(13, 5, 1, 4, 2, 1), shown);
        assertEquals(shown.received(), shown.malformed() + shown.ignored() + shown.offers() + shown.acks() + shown.naks());
    }
}
