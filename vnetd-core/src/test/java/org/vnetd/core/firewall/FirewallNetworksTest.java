package org.vnetd.core.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.xml.NetworkXml;

class FirewallNetworksTest {
    @Test
    void readsEverythingThePlannerNeeds() {
        FirewallNetwork n = FirewallNetworks.from(NetworkXml.parse("""
                <network ipv6='yes'>
                  <name>lab</name>
                  <bridge name='virbr7'/>
                  <forward mode='nat' dev='eth1'>
                    <nat ipv6='yes'>
                      <address start='203.0.113.10' end='203.0.113.20'/>
                      <port start='2000' end='3000'/>
                    </nat>
                  </forward>
                  <dns enable='no'/>
                  <ip address='10.7.0.1' netmask='255.255.0.0'>
                    <tftp root='/srv/tftp'/>
                    <dhcp><host mac='52:54:00:00:00:01' ip='10.7.0.5'/></dhcp>
                  </ip>
                  <ip family='ipv6' address='fd00:7::1' prefix='64'/>
                </network>
                """));
        assertEquals("lab", n.name());
        assertEquals("virbr7", n.bridge());
        assertEquals(ForwardMode.NAT, n.mode());
        assertEquals(Optional.of("eth1"), n.forwardDev());
        assertEquals(new FirewallIp(IpPrefix.parse("10.7.0.1/16"), true, true), n.ips().get(0));
        assertEquals(new FirewallIp(IpPrefix.parse("fd00:7::1/64"), false, false), n.ips().get(1));
        assertEquals(Optional.of(new NatAddressRange(IpAddresses.parse("203.0.113.10"), Optional.of(IpAddresses.parse("203.0.113.20")))),
                n.natAddresses());
        assertEquals(Optional.of(new PortRange(2000, 3000)), n.natPorts());
        assertTrue(n.natIpv6());
        assertFalse(n.dnsEnabled());
        assertTrue(n.guestIpv6());
    }

    @Test
    void isolatedWhenThereIsNoForward() {
        FirewallNetwork n = FirewallNetworks.from(NetworkXml.parse(
                "<network><name>iso</name><bridge name='virbr9'/><ip address='10.9.0.1' prefix='24'/></network>"));
        assertEquals(ForwardMode.ISOLATED, n.mode());
        assertTrue(n.dnsEnabled());
    }

    @Test
    void bridgeModeHasNoFirewall() {
        VnetException e = assertThrows(VnetException.class, () -> FirewallNetworks.from(NetworkXml.parse(
                "<network><name>br</name><forward mode='bridge'/><bridge name='br0'/></network>")));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("'br'"), e.getMessage());
    }
}
