package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.ra.NdpOption;
import org.vnetd.core.ra.RaConfig;
import org.vnetd.core.xml.NetworkXml;

/** What the bridge advertises for libvirt network XMLs, as libvirt's dnsmasq configuration makes dnsmasq advertise. */
class ServiceConfigsRaTest {
    private static RaConfig ra(String xml) {
        return ServiceConfigs.ra(NetworkXml.parse(xml)).orElseThrow();
    }

    private static NdpOption.PrefixInformation prefix(String p, boolean autonomous, long lifetime) {
        return new NdpOption.PrefixInformation(IpPrefix.parse(p), true, autonomous, lifetime, lifetime);
    }

    @Test
    void ipv6WithDhcpIsManagedAndNotAutonomous() throws Exception {
        RaConfig c = ra("""
                <network><name>default</name><forward mode='nat'/><bridge name='virbr0'/>
                  <ip address='192.168.122.1' netmask='255.255.255.0'><dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip>
                  <ip family='ipv6' address='2001:db8:ca2:2::1' prefix='64'>
                    <dhcp><range start='2001:db8:ca2:2::100' end='2001:db8:ca2:2::1ff'/></dhcp>
                  </ip>
                  <ip family='ipv6' address='fd00:2::1' prefix='64'/>
                </network>""");
        assertTrue(c.managed());
        assertTrue(c.other());
        assertEquals(1800, c.routerLifetime());
        assertEquals(List.of(prefix("2001:db8:ca2:2::/64", false, 3600)), c.prefixes(),
                "with enable-ra dnsmasq advertises only the dhcp-range's prefix");
        assertEquals(List.of(InetAddress.getByName("2001:db8:ca2:2::1")), c.dnsServers());
        assertEquals(OptionalLong.empty(), c.mtu());
        assertEquals("virbr0", c.interfaceName());
    }

    @Test
    void ipv6WithoutDhcpIsSlaacOnEveryPrefix() {
        RaConfig c = ra("""
                <network><name>r</name><forward mode='route'/><bridge name='virbr5'/><mtu size='9000'/>
                  <ip family='ipv6' address='2001:db8:1::1' prefix='64'/>
                  <ip family='ipv6' address='fd00:7::1' prefix='64'/>
                </network>""");
        assertFalse(c.managed());
        assertFalse(c.other());
        assertEquals(List.of(prefix("2001:db8:1::/64", true, 3600), prefix("fd00:7::/64", true, 3600)), c.prefixes());
        assertEquals(OptionalLong.of(9000), c.mtu());
        assertEquals(1800, c.routerLifetime());
    }

    @Test
    void isolatedNetworksAdvertiseNoDefaultRouter() {
        RaConfig c = ra("""
                <network><name>iso</name><bridge name='virbr9'/>
                  <ip family='ipv6' address='fd00:9::1' prefix='64'/>
                </network>""");
        assertEquals(0, c.routerLifetime(), "libvirt's ra-param=*,0,0");
    }

    @Test
    void noDnsNoRdnss() {
        RaConfig c = ra("""
                <network><name>o</name><forward mode='open'/><bridge name='virbr3'/><dns enable='no'/>
                  <ip family='ipv6' address='fd00:3::1' prefix='64'/>
                </network>""");
        assertEquals(List.of(), c.dnsServers());
        assertTrue(c.advertisement(org.vnetd.core.net.MacAddress.parse("52:54:00:00:00:01")).options().stream()
                .noneMatch(o -> o instanceof NdpOption.Rdnss));
    }

    @Test
    void aRangeLeaseSetsPrefixLifetimesWithDnsmasqsFloor() {
        String tmpl = """
                <network><name>l</name><forward mode='nat'/><bridge name='virbr4'/>
                  <ip family='ipv6' address='fd00:4::1' prefix='64'>
                    <dhcp><range start='fd00:4::10' end='fd00:4::20'>%s</range></dhcp>
                  </ip>
                </network>""";
        assertEquals(7200, ra(tmpl.formatted("<lease expiry='2' unit='hours'/>")).prefixes().get(0).validLifetime());
        assertEquals(1800, ra(tmpl.formatted("<lease expiry='5' unit='minutes'/>")).prefixes().get(0).validLifetime());
        assertEquals(NdpOption.INFINITE, ra(tmpl.formatted("<lease expiry='0'/>")).prefixes().get(0).validLifetime());
    }

    @Test
    void noIpv6NoAdvertisements() {
        assertTrue(ServiceConfigs.ra(NetworkXml.parse("""
                <network><name>v4</name><forward mode='nat'/><bridge name='virbr1'/>
                  <ip address='192.168.100.1' netmask='255.255.255.0'/>
                </network>""")).isEmpty());
    }
}
