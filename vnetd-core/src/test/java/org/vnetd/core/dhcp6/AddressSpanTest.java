package org.vnetd.core.dhcp6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressSpanTest {
    @Test
    void offsetsCarryAcrossBytesAndTheLow64Bits() throws Exception {
        AddressSpan s = new AddressSpan(Dhcp6CodecTest.v6("fd00::ffff:ffff:ffff:fffe"), Dhcp6CodecTest.v6("fd00:0:0:1::1"));
        assertEquals(4, s.size());
        assertEquals(Dhcp6CodecTest.v6("fd00::ffff:ffff:ffff:fffe"), s.at(0));
        assertEquals(Dhcp6CodecTest.v6("fd00::ffff:ffff:ffff:ffff"), s.at(1));
        assertEquals(Dhcp6CodecTest.v6("fd00:0:0:1::"), s.at(2));
        assertEquals(Dhcp6CodecTest.v6("fd00:0:0:1::1"), s.at(3));
        assertTrue(s.contains(Dhcp6CodecTest.v6("fd00:0:0:1::")));
        assertFalse(s.contains(Dhcp6CodecTest.v6("fd00:0:0:1::2")));
        assertFalse(s.contains(Dhcp6CodecTest.v6("fd00::ffff:ffff:ffff:fffd")));
    }

    @Test
    void aHugeRangeOffersItsFirst2To63AndAReversedOneNothing() throws Exception {
        AddressSpan all = new AddressSpan(Dhcp6CodecTest.v6("fd00::"), Dhcp6CodecTest.v6("fd00:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertEquals(Long.MAX_VALUE, all.size());
        assertEquals(Dhcp6CodecTest.v6("fd00::7fff:ffff:ffff:fffe"), all.at(Long.MAX_VALUE - 1));
        assertEquals(0, new AddressSpan(Dhcp6CodecTest.v6("fd00::2"), Dhcp6CodecTest.v6("fd00::1")).size());
    }
}
