package org.vnetd.core.dhcp6;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.MacAddress;

class DuidTest {
    @Test
    void theEthernetAddressOfALinkLayerDuidIsItsMac() {
        assertEquals(Optional.of(MacAddress.parse("52:54:00:12:34:56")),
                Duid.parse("00:01:00:01:2c:3d:4e:5f:52:54:00:12:34:56").macAddress(), "DUID-LLT, Ethernet");
        assertEquals(Optional.of(MacAddress.parse("52:54:00:12:34:56")), Duid.parse("0:3:0:1:52:54:0:12:34:56").macAddress(),
                "DUID-LL as libvirt writes it");
        assertEquals(Optional.empty(), Duid.parse("00:04:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00").macAddress(), "DUID-UUID");
        assertEquals(Optional.empty(), Duid.parse("00:03:00:06:52:54:00:12:34:56").macAddress(), "not Ethernet");
        assertEquals(Optional.empty(), Duid.parse("00:03:00:01:52:54:00").macAddress(), "too short");
        assertEquals(Optional.empty(), Duid.parse("01").macAddress());
    }

    @Test
    void printsAsVirshDoes() {
        assertEquals("00:03:00:01:52:54:00:12:34:56", Duid.parse("0:3:0:1:52:54:0:12:34:56").toString());
    }
}
