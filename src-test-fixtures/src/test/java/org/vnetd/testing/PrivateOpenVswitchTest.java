package org.vnetd.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class PrivateOpenVswitchTest {
    @Test
    void guestsOnANetdevBridgeReachEachOtherAndAVlanTagSeparatesThem() throws Exception {
        NetnsSupport.require(PrivateOpenVswitch.COMMANDS);
        Path dir;
        try (TestNetns host = TestNetns.create("ovshost");
             TestNetns a = TestNetns.create("ovsga");
             TestNetns b = TestNetns.create("ovsgb");
             PrivateOpenVswitch ovs = PrivateOpenVswitch.start(host)) {
            dir = ovs.dir();
            ovs.addBridge("vntovs0");
            assertEquals("netdev", ovs.get("Bridge", "vntovs0", "datapath_type"));
            host.veth("pa", a, "eth0");
            host.veth("pb", b, "eth0");
            a.execOk("ip", "addr", "add", "10.77.0.1/24", "dev", "eth0");
            b.execOk("ip", "addr", "add", "10.77.0.2/24", "dev", "eth0");
            ovs.vsctlOk("add-port", "vntovs0", "pa");
            ovs.vsctlOk("add-port", "vntovs0", "pb");
            assertEquals(java.util.List.of("pa", "pb"), ovs.ports("vntovs0"));

            Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), "a to reach b through the OVS bridge",
                    () -> a.exec("ping", "-c", "1", "-W", "1", "10.77.0.2").ok());

            // different access VLANs: the switch no longer forwards between them
            ovs.vsctlOk("set", "Port", "pa", "tag=10");
            ovs.vsctlOk("set", "Port", "pb", "tag=20");
            a.exec("ip", "neigh", "flush", "all");
            assertFalse(a.exec("ping", "-c", "3", "-i", "0.2", "-W", "1", "10.77.0.2").ok(), "VLANs 10 and 20 must not meet");
            ovs.vsctlOk("set", "Port", "pb", "tag=10");
            Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), "a to reach b again in VLAN 10",
                    () -> a.exec("ping", "-c", "1", "-W", "1", "10.77.0.2").ok());
            assertTrue(Files.exists(ovs.dbSocket()));
        }
        assertFalse(Files.exists(dir), "close() deletes the switch's directory");
    }
}
