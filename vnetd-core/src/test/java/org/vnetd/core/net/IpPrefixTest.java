package org.vnetd.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.VnetException;

class IpPrefixTest {
    @Test
    void networkBroadcastAndMask() {
        IpPrefix p = IpPrefix.parse("192.168.122.1/24");
        assertEquals("192.168.122.0", IpAddresses.format(p.network()));
        assertEquals("192.168.122.255", IpAddresses.format(p.broadcast()));
        assertEquals("255.255.255.0", IpAddresses.format(p.netmask()));
        assertTrue(p.contains(IpAddresses.parse("192.168.122.254")));
        assertFalse(p.contains(IpAddresses.parse("192.168.123.1")));
        assertFalse(p.contains(IpAddresses.parse("2001:db8::1")));
    }

    @Test
    void ipv6CompactForm() {
        IpPrefix p = IpPrefix.parse("2001:DB8:ca2:2:0:0:0:1/64");
        assertEquals("2001:db8:ca2:2::1/64", p.toString());
        assertEquals("2001:db8:ca2:2::", IpAddresses.format(p.network()));
    }

    @Test
    void overlap() {
        assertTrue(IpPrefix.parse("10.0.0.0/8").overlaps(IpPrefix.parse("10.1.2.0/24")));
        assertTrue(IpPrefix.parse("10.1.2.0/24").overlaps(IpPrefix.parse("10.0.0.0/8")));
        assertFalse(IpPrefix.parse("10.1.2.0/24").overlaps(IpPrefix.parse("10.1.3.0/24")));
    }

    @Test
    void rejectsNamesAndBadPrefixes() {
        assertThrows(VnetException.class, () -> IpAddresses.parse("localhost"));
        assertThrows(VnetException.class, () -> IpAddresses.parse("1.2.3.256"));
        assertThrows(VnetException.class, () -> IpPrefix.parse("1.2.3.4/33"));
    }

    @Test
    void macCanonicalForm() {
        assertEquals("52:54:00:0a:0b:0c", MacAddress.parse("52:54:00:A:B:0C").toString());
        assertTrue(MacAddress.parse("01:00:5e:00:00:01").isMulticast());
        assertEquals("fe:54:00:0a:0b:0c", MacAddress.parse("52:54:00:0a:0b:0c").withFirstOctet(0xfe).toString());
    }
}
