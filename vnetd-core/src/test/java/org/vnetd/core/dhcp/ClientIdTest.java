package org.vnetd.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.MacAddress;

class ClientIdTest {
    /**
     * The lease maps are keyed by client id; sequential MACs (a VM farm, perfdhcp) must not collide,
     * or the maps' buckets degrade into trees scanned by equals() (Arrays.hashCode gave ~8k distinct
     * hashes for these 65536 ids).
     */
    @Test
    void sequentialMacsHashApart() {
        Set<Integer> hashes = new HashSet<>();
        for (int n = 0; n < 65536; n++) {
            MacAddress mac = MacAddress.of(new byte[] {0x52, 0x54, 0, 0, (byte) (n >>> 8), (byte) n});
            hashes.add(ClientId.ofMac(mac).hashCode());
        }
        assertTrue(hashes.size() > 65000, hashes.size() + " distinct hashes of 65536");
    }

    @Test
    void equalIdsHashAlike() {
        ClientId a = ClientId.parse("01:52:54:00:12:34:56");
        ClientId b = ClientId.ofMac(MacAddress.parse("52:54:00:12:34:56"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }
}
