package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.core.dhcp6.Dhcp6Config;
import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.xml.NetworkXml;

/** The DHCPv6 server of libvirt network XMLs, as libvirt has dnsmasq serve them. */
class ServiceConfigsDhcp6Test {
    @Test
    void rangesHostsDnsAndDomainOfTheIpv6Dhcp() throws Exception {
        Dhcp6Config c = ServiceConfigs.dhcp6(NetworkXml.parse("""
                <network><name>default</name><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid><forward mode='nat'/>
                  <bridge name='virbr0'/><domain name='example.com'/>
                  <ip family='ipv6' address='2001:db8:ac10:fd01::1' prefix='64'>
                    <dhcp>
                      <range start='2001:db8:ac10:fd01::1:10' end='2001:db8:ac10:fd01::1:ff'><lease expiry='2' unit='hours'/></range>
                      <host id='0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63' name='paul' ip='2001:db8:ac10:fd01::1:20'/>
                      <host name='ringo' ip='2001:db8:ac10:fd01::1:24'/>
                    </dhcp>
                  </ip>
                </network>""")).orElseThrow();
        assertEquals("virbr0", c.interfaceName());
        assertEquals(Duid.parse("00:04:81:ff:0d:90:c9:1e:67:42:64:da:4a:73:6e:db:9a:9b"), c.serverId(), "DUID-UUID of the network");
        assertEquals(List.of(new Dhcp6Config.Range(v6("2001:db8:ac10:fd01::1:10"), v6("2001:db8:ac10:fd01::1:ff"), Duration.ofHours(2))),
                c.ranges());
        assertEquals(2, c.hosts().size());
        assertEquals(Duid.parse("00:04:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63"), c.hosts().get(0).id());
        assertEquals("paul", c.hosts().get(0).name());
        assertNull(c.hosts().get(1).id(), "a host by name only binds no client");
        assertEquals(List.of(v6("2001:db8:ac10:fd01::1")), c.dnsServers());
        assertEquals(List.of("example.com"), c.domains());
        assertEquals(Dhcp6Config.DEFAULT_LEASE, c.defaultLease());
    }

    @Test
    void noIpv6DhcpNoServer() {
        assertTrue(ServiceConfigs.dhcp6(NetworkXml.parse("""
                <network><name>s</name><forward mode='nat'/><bridge name='virbr0'/>
                  <ip family='ipv6' address='fd00::1' prefix='64'/>
                  <ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip>
                </network>""")).isEmpty());
    }

    private static java.net.Inet6Address v6(String s) throws Exception {
        return (java.net.Inet6Address) InetAddress.getByName(s);
    }
}
