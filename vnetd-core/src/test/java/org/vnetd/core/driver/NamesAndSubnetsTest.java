package org.vnetd.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;

class NamesAndSubnetsTest {
    @Test
    void defaultSubnetSkipsRoutedPrefixes() {
        assertEquals("192.168.122.0/24", SubnetChooser.choose(List.of(IpPrefix.parse("10.0.0.0/8"))).orElseThrow().toString());
        assertEquals("192.168.124.0/24", SubnetChooser.choose(List.of(IpPrefix.parse("192.168.122.0/24"),
                IpPrefix.parse("192.168.123.7/32"))).orElseThrow().toString());
        assertEquals(true, SubnetChooser.choose(List.of(IpPrefix.parse("192.168.0.0/16"))).isEmpty());
    }

    @Test
    void namesThatWouldEscapeTheConfigDirAreRefused() {
        for (String bad : new String[] {"", "a/b", "..", ".hidden", "x\ny", "a".repeat(201)}) {
            assertThrows(VnetException.class, () -> NetworkNames.check(bad), bad);
        }
        assertEquals("my-net_1.0 ü", NetworkNames.check("my-net_1.0 ü"));
    }
}
