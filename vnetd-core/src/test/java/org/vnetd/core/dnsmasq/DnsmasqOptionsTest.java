package org.vnetd.core.dnsmasq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.dns.DnsConfig;
import org.vnetd.core.dns.DnsName;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.plan.ServiceConfigs;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.NetworkDef;

/** Which of dnsmasq's options vnetd applies, to what, and the reason it gives for every other. */
class DnsmasqOptionsTest {
    private static final Inet4Address SERVER = (Inet4Address) IpAddresses.parse("192.168.150.1");

    private static NetworkDef network(String... options) {
        StringBuilder o = new StringBuilder();
        for (String v : options) {
            o.append("<dnsmasq:option value='").append(v).append("'/>");
        }
        return NetworkXml.parse("<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'><name>n</name>"
                + "<forward mode='nat'/><bridge name='virbr5'/><ip address='192.168.150.1' netmask='255.255.255.0'><dhcp>"
                + "<range start='192.168.150.2' end='192.168.150.254'/></dhcp></ip><dnsmasq:options>" + o
                + "</dnsmasq:options></network>");
    }

    @Test
    void dhcpOptionsReplaceTheServersOwnOrSuppressThem() {
        DnsmasqOptions.Applied a = DnsmasqOptions.apply(List.of("dhcp-option=3", "dhcp-option=option:dns-server,0.0.0.0,10.0.0.53",
                "dhcp-option=15,\"lab.example\"", "dhcp-option=option:mtu,1400", "dhcp-option=119,lab.example,example"), SERVER);
        assertEquals(new DhcpConfig.OptionOverride(3, Optional.empty()), a.dhcpOptions().get(0));
        assertArrayEquals(new byte[] {(byte) 192, (byte) 168, (byte) 150, 1, 10, 0, 0, 53}, a.dhcpOptions().get(1).value().orElseThrow());
        assertArrayEquals("lab.example".getBytes(), a.dhcpOptions().get(2).value().orElseThrow());
        assertArrayEquals(new byte[] {0x05, 0x78}, a.dhcpOptions().get(3).value().orElseThrow());
        assertArrayEquals(new byte[] {3, 'l', 'a', 'b', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0},
                a.dhcpOptions().get(4).value().orElseThrow());
        DhcpConfig cfg = ServiceConfigs.dhcp(network("dhcp-option=3", "dhcp-authoritative")).orElseThrow();
        assertEquals(List.of(new DhcpConfig.OptionOverride(3, Optional.empty())), cfg.optionOverrides());
    }

    @Test
    void dnsOptionsBecomeForwardersAddressRulesAndPlainNameHandling() {
        DnsConfig dns = ServiceConfigs.dns(network("server=/corp.example/10.1.1.1#5353", "local=/home.example/",
                "address=/ads.example/tracker.example/", "address=/lab.example/10.9.9.9", "domain-needed"));
        assertEquals(List.of(new DnsConfig.Forwarder(Optional.of(IpAddresses.parse("10.1.1.1")), 5353, Optional.of(DnsName.of("corp.example"))),
                new DnsConfig.Forwarder(Optional.empty(), 53, Optional.of(DnsName.of("home.example")))), dns.forwarders());
        assertEquals(List.of(new DnsConfig.AddressRule(List.of(DnsName.of("ads.example"), DnsName.of("tracker.example")), false, List.of()),
                new DnsConfig.AddressRule(List.of(DnsName.of("lab.example")), false, List.of(IpAddresses.parse("10.9.9.9")))),
                dns.addressRules());
        assertEquals(false, dns.forwardPlainNames());
    }

    @Test
    void everyOtherOptionIsRefusedNamingIt() {
        List<DnsmasqOptions.Refused> r = DnsmasqOptions.refused(List.of("dhcp-option=3", "cname=*.foo.example.com,master",
                "dhcp-option=tag:red,3,10.0.0.1", "dhcp-option=option6:dns-server,[::]", "dhcp-option=252,\"x\"", "server=8.8.8.8",
                "address=/lab.example/10.9.9.9", "domain-needed=yes", "no-resolv"));
        assertEquals(List.of("cname=*.foo.example.com,master", "dhcp-option=tag:red,3,10.0.0.1", "dhcp-option=option6:dns-server,[::]",
                "dhcp-option=252,\"x\"", "server=8.8.8.8", "domain-needed=yes", "no-resolv"), r.stream().map(DnsmasqOptions.Refused::value).toList());
        assertTrue(r.get(0).why().contains("no equivalent of dnsmasq's 'cname'"), r.get(0).why());
        assertTrue(r.get(1).why().contains("tags, vendor classes"), r.get(1).why());
        assertTrue(r.get(3).why().contains("not to '252'"), r.get(3).why());
        assertTrue(r.get(4).why().contains("<dns><forwarder addr='8.8.8.8'/>"), r.get(4).why());
    }
}
