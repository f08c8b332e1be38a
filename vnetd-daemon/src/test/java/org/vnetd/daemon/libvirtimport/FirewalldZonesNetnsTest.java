package org.vnetd.daemon.libvirtimport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.daemon.firewall.CommandRunner;
import org.vnetd.daemon.firewall.ProcessCommandRunner;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * Which bridges firewalld has in its zones, from the table firewalld keeps in the kernel. firewalld itself
 * needs D-Bus and cannot run in a test's namespace, so the table is a fixture in the shape firewalld 1.x
 * writes (an input and a forward hook jumping to {@code *_ZONES} chains that dispatch by interface), loaded
 * with the real nft and read back as nft lists it.
 */
class FirewalldZonesNetnsTest {
    @Test
    void readsEachInterfacesZoneFromFirewalldsTable() throws Exception {
        NetnsSupport.require("nft");
        try (TestNetns ns = TestNetns.create("fwdzones")) {
            CommandRunner runner = new ProcessCommandRunner(ns.prefix(), Duration.ofSeconds(30));
            assertEquals(Map.of(), FirewalldZones.read(runner), "no firewalld, no zones");
            ns.execWithInput(LibvirtFirewallRulesTest.resource("firewalld-zones-nft.txt"), "nft", "-f", "-").orThrow();
            assertEquals(Map.of("virbr0", "libvirt", "eth0", "public"), FirewalldZones.read(runner));
        }
    }
}
