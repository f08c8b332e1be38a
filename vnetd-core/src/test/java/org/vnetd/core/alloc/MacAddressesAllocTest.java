package org.vnetd.core.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.MacAddress;

class MacAddressesAllocTest {
    @Test
    void tapMacReplacesFirstOctetWithFe() {
        assertEquals("fe:54:00:12:34:56", MacAddresses.tapMacFor(MacAddress.parse("52:54:00:12:34:56")).toString());
    }

    @Test
    void guestAlreadyFeGetsFa() {
        assertEquals("fa:54:00:12:34:56", MacAddresses.tapMacFor(MacAddress.parse("FE:54:00:12:34:56")).toString());
    }

    @Test
    void randomLibvirtHasQemuPrefixAndIsUnicast() {
        Random r = new Random(42);
        for (int i = 0; i < 1000; i++) {
            MacAddress m = MacAddresses.randomLibvirt(r);
            assertEquals(0x525400L, m.bits() >>> 24, m.toString());
            assertFalse(m.isMulticast());
        }
    }

    @Test
    void randomLibvirtVariesLowBytes() {
        Random r = new Random(1);
        assertFalse(MacAddresses.randomLibvirt(r).equals(MacAddresses.randomLibvirt(r)));
    }
}
