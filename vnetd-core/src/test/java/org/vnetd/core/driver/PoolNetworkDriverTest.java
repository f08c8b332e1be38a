package org.vnetd.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Networks of the macvtap modes in the driver: started with nothing made, their interfaces' connections counted. */
class PoolNetworkDriverTest {
    private final FakeSystem sys = new FakeSystem();
    private final NetworkDriver driver = sys.driver();

    @Test
    void aMacvtapPoolStartsWithNothingMadeWhenItsInterfacesExist() {
        driver.define(VepaNetwork.XML);
        VnetException missing = assertThrows(VnetException.class, () -> driver.start("direct"));
        assertEquals(ErrorCode.CONFLICT, missing.code());
        assertEquals("forward device 'eth1' of network 'direct' does not exist", missing.getMessage());
        assertFalse(driver.lookup("direct").active());
        VepaNetwork.interfacesExist(sys);
        driver.start("direct");
        assertTrue(driver.lookup("direct").active());
        assertEquals(List.of(), sys.log, "libvirt makes nothing at the start of a pool's network, nor does vnetd");
    }

    @Test
    void anInterfaceAPortHoldsIsShownWithItsCountAndCannotBeDeletedLive() {
        VepaNetwork.interfacesExist(sys);
        driver.define(VepaNetwork.XML);
        driver.start("direct");
        driver.countPortsWith(new PortCounter() {
            @Override
            public int ports(String network, UUID uuid) {
                return 2;
            }

            @Override
            public Map<String, Integer> interfaceConnections(String network, UUID uuid) {
                return Map.of("eth1", 2);
            }
        });
        String live = driver.getXml("direct", false);
        assertTrue(live.startsWith("<network connections='2'>") && live.contains("<interface dev='eth1' connections='2'/>")
                && live.contains("<interface dev='eth2'/>"), live);
        assertFalse(driver.getXml("direct", true).contains("connections"), "the definition has no counts");
        VnetException e = assertThrows(VnetException.class,
                () -> driver.update("direct", "delete", "forward-interface", -1, "<interface dev='eth1'/>", true, false));
        assertEquals("unable to delete interface 'eth1' in network 'direct'. It is currently being used by 2 domains.", e.getMessage());
        driver.update("direct", "delete", "forward-interface", -1, "<interface dev='eth2'/>", true, false);
        assertFalse(driver.getXml("direct", false).contains("eth2"), "a free one is deleted");
        assertTrue(driver.getXml("direct", false).contains("<interface dev='eth1' connections='2'/>"));
    }
}
