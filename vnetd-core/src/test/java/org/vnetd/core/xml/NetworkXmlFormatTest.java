package org.vnetd.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.NetworkDef;

/** Formatting details the libvirt fixtures do not cover, and the typed views other code uses. */
class NetworkXmlFormatTest {
    @Test
    void titleDescriptionPortAndEscapingAreWrittenInLibvirtOrder() {
        NetworkDef def = NetworkXml.parse("""
                <network trustGuestRxFilters='yes' connections='3'>
                  <port isolated='no'/>
                  <description>multi
                line &amp; &lt;text&gt;</description>
                  <title>It's "mine"</title>
                  <name>t</name>
                  <uuid>81FF0D90C91E674264DA4A736EDB9A9B</uuid>
                  <domain name='example.org' localOnly='yes' register='yes'/>
                  <mtu size='9000'/>
                  <bridge zone='trusted' delay='2' stp='off'/>
                  <forward mode='route'>
                    <interface dev='eth0' connections='2'/>
                  </forward>
                  <ip address='10.1.0.1' prefix='16'>
                    <dhcp><range start='10.1.0.2' end='10.1.0.9'><lease expiry='5'/></range></dhcp>
                  </ip>
                  <route family='ipv4' address='10.2.0.0' netmask='255.255.0.0' gateway='10.1.0.254' metric='5'/>
                </network>
                """);
        String live = """
                <network connections='3' trustGuestRxFilters='yes'>
                  <name>t</name>
                  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
                  <title>It&apos;s &quot;mine&quot;</title>
                  <description>multi
                line &amp; &lt;text&gt;</description>
                  <forward dev='eth0' mode='route'>
                    <interface dev='eth0' connections='2'/>
                  </forward>
                  <bridge zone='trusted' stp='off' delay='2'/>
                  <mtu size='9000'/>
                  <domain name='example.org' localOnly='yes' register='yes'/>
                  <port isolated='no'/>
                  <ip address='10.1.0.1' prefix='16'>
                    <dhcp>
                      <range start='10.1.0.2' end='10.1.0.9'>
                        <lease expiry='5' unit='minutes'/>
                      </range>
                    </dhcp>
                  </ip>
                  <route family='ipv4' address='10.2.0.0' netmask='255.255.0.0' gateway='10.1.0.254' metric='5'/>
                </network>
                """;
        assertEquals(live, NetworkXml.format(def, false));
        String inactive = NetworkXml.format(def, true);
        assertTrue(inactive.startsWith("<network trustGuestRxFilters='yes'>\n"), inactive);
        assertTrue(inactive.contains("<interface dev='eth0'/>"), inactive);
    }

    @Test
    void isolatedNetworkGetsBridgeDefaultsAndAGeneratedMac() {
        NetworkDef def = NetworkXml.parse("<network><name>iso</name><bridge name='virbr5'/>"
                + "<ip address='10.5.0.1' netmask='255.255.255.0'/></network>");
        NetworkXml.validate(def);
        assertEquals(ForwardMode.NONE, def.forwardMode());
        String mac = def.macAddress().orElseThrow();
        assertTrue(mac.matches("52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}"), mac);
        String xml = NetworkXml.format(def, true);
        assertTrue(xml.contains("<bridge name='virbr5' stp='on' delay='0'/>\n  <mac address='" + mac + "'/>\n"), xml);
        assertNull(def.uuid(), "the parser invents no uuid: the driver assigns one (NetworkDriverTest)");
        assertFalse(xml.contains("<uuid>"), xml);
    }

    @Test
    void libvirtsDefaultNetworkDumpsAsVirshShowsIt() throws Exception {
        String in = java.nio.file.Files.readString(
                org.vnetd.testing.Conformance.libvirt().resolve("src/network/default.xml.in"));
        NetworkDef def = NetworkXml.parse(in);
        assertNull(def.uuid(), "default.xml.in has no uuid; the parser invents none");
        def.setUuid("81ff0d90-c91e-6742-64da-4a736edb9a9b"); // what the driver does at define time
        NetworkXml.validate(def, NetworkXmlConformanceTest.ZERO_RANDOM);
        String expected = """
                <network>
                  <name>default</name>
                  <uuid>%s</uuid>
                  <forward mode='nat'/>
                  <bridge name='virbr0' stp='on' delay='0'/>
                  <mac address='52:54:00:00:00:00'/>
                  <ip address='192.168.122.1' netmask='255.255.255.0'>
                    <dhcp>
                      <range start='192.168.122.2' end='192.168.122.254'/>
                    </dhcp>
                  </ip>
                </network>
                """.formatted(def.uuid());
        assertEquals(expected, NetworkXml.format(def, true));
        // and the result is a fixed point
        assertEquals(expected, NetworkXml.format(NetworkXml.parse(expected), true));
    }

    @Test
    void hostdevPfDriverModelIsCompletedWithVfio() throws Exception {
        // libvirt's expected file for this input is not recoverable; SOURCE.md expects the driver
        // element completed with name='vfio', as in hostdev-pf.
        String in = java.nio.file.Files.readString(org.vnetd.testing.Conformance
                .libvirtTests("networkxmlconfdata").resolve("hostdev-pf-driver-model.xml"));
        NetworkDef def = NetworkXml.parse(in);
        NetworkXml.validate(def, NetworkXmlConformanceTest.ZERO_RANDOM);
        assertEquals("""
                <network>
                  <name>hostdev</name>
                  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
                  <forward mode='hostdev' managed='yes'>
                    <driver name='vfio' model='vfio-pci-igb'/>
                    <pf dev='eth2'/>
                  </forward>
                </network>
                """, NetworkXml.format(def, true));
    }

    @Test
    void typedViewsAndCopy() {
        NetworkDef def = NetworkXml.parse("""
                <network>
                  <name>default</name>
                  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
                  <forward mode='nat'/>
                  <bridge name='virbr0' stp='on' delay='0'/>
                  <ip address='192.168.122.1' netmask='255.255.255.0'>
                    <dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp>
                  </ip>
                  <ip family='ipv6' address='2001:DB8::1' prefix='64'/>
                </network>
                """);
        assertEquals("default", def.name());
        assertEquals(UUID.fromString("81ff0d90-c91e-6742-64da-4a736edb9a9b"), def.uuid());
        assertEquals("virbr0", def.bridgeName().orElseThrow());
        assertEquals(ForwardMode.NAT, def.forwardMode());
        assertEquals("192.168.122.1/24", def.ips().get(0).prefix().toString());
        assertEquals("2001:db8::1", def.ips().get(1).getAddress());
        assertEquals(64, def.ips().get(1).prefixLength());
        for (String[] c : new String[][] {{"255.255.255.255", "32"}, {"255.255.0.0", "16"}, {"0.0.0.0", "0"},
                {"255.255.255.128", "25"}}) {
            def.ips().get(0).setNetmask(c[0]);
            assertEquals(Integer.parseInt(c[1]), def.ips().get(0).prefixLength(), c[0]);
        }
        def.ips().get(0).setNetmask("255.255.255.0");
        NetworkDef copy = NetworkXml.copy(def);
        assertNotSame(def, copy);
        assertEquals(NetworkXml.format(def, false), NetworkXml.format(copy, false));
        copy.getIps().clear();
        assertEquals(2, def.ips().size());
    }

    @Test
    void metadataAndDnsmasqOptionsSurviveCopy() {
        NetworkDef def = NetworkXml.parse("""
                <network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>
                  <name>m</name>
                  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
                  <metadata><a:x xmlns:a='urn:a'><a:y k='v' b='2' a:z='3'/></a:x><b/><a:z xmlns:a='urn:a'/></metadata>
                  <forward mode='bridge'/>
                  <bridge name='br0'/>
                  <dnsmasq:options><dnsmasq:option value='log-queries'/></dnsmasq:options>
                </network>
                """);
        String expected = """
                <network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>
                  <name>m</name>
                  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
                  <metadata>
                    <a:x xmlns:a="urn:a">
                      <a:y k="v" b="2" a:z="3"/>
                    </a:x>
                  </metadata>
                  <forward mode='bridge'/>
                  <bridge name='br0'/>
                  <dnsmasq:options>
                    <dnsmasq:option value='log-queries'/>
                  </dnsmasq:options>
                </network>
                """;
        assertEquals(expected, NetworkXml.format(def, false));
        assertEquals(expected, NetworkXml.format(NetworkXml.copy(def), false));
        assertEquals(expected, NetworkXml.format(NetworkXml.parse(expected), false));
    }
}
