package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.NetworkXml;

class UnappliedElementsTest {
    private static final String UUID = "<uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>";

    private static List<String> refused(String xml) {
        return UnappliedElements.of(NetworkXml.parse(xml)).stream().map(UnappliedElements.Refusal::element).toList();
    }

    private static String nat(String bridgeAttrs, String extra) {
        return "<network><name>n</name>" + UUID + "<forward mode='nat'/><bridge name='virbr5'" + bridgeAttrs + "/>"
                + "<ip address='192.168.150.1' netmask='255.255.255.0'/>" + extra + "</network>";
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge", "private", "vepa", "passthrough"})
    void aMacvtapPoolIsApplied(String mode) {
        String xml = "<network><name>n</name>" + UUID + "<forward mode='" + mode + "'><interface dev='eth1'/><interface dev='eth2'/></forward></network>";
        assertEquals(List.of(), refused(xml));
    }

    @Test
    void aHostdevPoolIsApplied() {
        String xml = "<network><name>n</name>" + UUID + "<forward mode='hostdev' managed='yes'><pf dev='eth0'/></forward></network>";
        assertEquals(List.of(), refused(xml));
    }

    @Test
    void aHostBridgeAndTheL3ModesAreApplied() {
        assertEquals(List.of(), refused("<network><name>n</name>" + UUID + "<forward mode='bridge'/><bridge name='br0'/></network>"));
        assertEquals(List.of(), refused(nat(" macTableManager='kernel'", "")));
        assertEquals(List.of(), refused(nat("", "<port isolated='yes'/>")));
    }

    @Test
    void aFirewalldZoneIsApplied() {
        assertEquals(List.of(), refused(nat(" zone='myzone'", "")));
    }

    @Test
    void libvirtsMacTableManagerIsAppliedOnLinuxBridgesAndRefusedOnOpenVswitch() {
        assertEquals(List.of(), refused(nat(" macTableManager='libvirt'", "")));
        assertEquals(List.of(),
                refused("<network><name>n</name>" + UUID + "<forward mode='bridge'/><bridge name='br0' macTableManager='libvirt'/></network>"));
        assertEquals(List.of("<bridge macTableManager='libvirt'>"), refused("<network><name>n</name>" + UUID
                + "<forward mode='bridge'/><bridge name='ovsbr0' macTableManager='libvirt'/><virtualport type='openvswitch'/></network>"));
    }

    @Test
    void openVswitchPortsAreAppliedOnANamedHostBridge() {
        String xml = "<network><name>n</name>" + UUID + "<forward mode='bridge'/><bridge name='ovsbr0'/>"
                + "<virtualport type='openvswitch'/><portgroup name='bob'><virtualport>"
                + "<parameters profileid='bob-profile'/></virtualport></portgroup>"
                + "<portgroup name='carol'><virtualport type='openvswitch'/></portgroup></network>";
        assertEquals(List.of(), refused(xml));
    }

    @Test
    void openVswitchPortsAreRefusedWithoutAHostBridgeAndOtherProfilesEverywhere() {
        String pool = "<network><name>n</name>" + UUID + "<forward mode='bridge'><interface dev='eth0'/></forward>"
                + "<virtualport type='openvswitch'/><portgroup name='bob'><virtualport>"
                + "<parameters profileid='bob-profile'/></virtualport></portgroup></network>";
        assertEquals(List.of("<virtualport type='openvswitch'>", "<virtualport> of <portgroup name='bob'>"),
                refused(pool));
        assertEquals(List.of("<virtualport type='openvswitch'> of <portgroup name='b'>"),
                refused(nat("", "<portgroup name='b'><virtualport type='openvswitch'/></portgroup>")));
        String qbh = "<network><name>n</name>" + UUID + "<forward mode='bridge'/><bridge name='br0'/>"
                + "<portgroup name='b'><virtualport type='802.1Qbh'/></portgroup></network>";
        assertEquals(List.of("<virtualport type='802.1Qbh'> of <portgroup name='b'>"), refused(qbh));
    }

    @Test
    void registeringTheDomainWithSystemdResolvedIsRefused() {
        assertEquals(List.of("<domain register='yes'>"), refused(nat("", "<domain name='example.org' register='yes'/>")));
        assertEquals(List.of(), refused(nat("", "<domain name='example.org' localOnly='yes' register='no'/>")));
    }

    @Test
    void dnsmasqOptionsAreRefusedNamingEachOption() {
        String xml = "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'><name>n</name>" + UUID
                + "<forward mode='nat'/><bridge name='virbr5'/><ip address='192.168.150.1' netmask='255.255.255.0'/>"
                + "<dnsmasq:options><dnsmasq:option value='foo=bar'/><dnsmasq:option value='dhcp-option=3'/>"
                + "<dnsmasq:option value='cname=*.foo.example.com,master'/></dnsmasq:options></network>";
        VnetException e = assertThrows(VnetException.class, () -> UnappliedElements.check(NetworkXml.parse(xml)));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().startsWith("unsupported configuration: network 'n' "), e.getMessage());
        assertTrue(e.getMessage().contains("<dnsmasq:option value='foo=bar'> (vnetd serves DHCP and DNS itself and has no equivalent of "
                + "dnsmasq's 'foo'") && e.getMessage().contains("; <dnsmasq:option value='cname=*.foo.example.com,master'> (")
                && !e.getMessage().contains("dhcp-option=3"),
                e.getMessage());
    }

    @Test
    void everyRefusalIsNamedInOneError() {
        VnetException e = assertThrows(VnetException.class,
                () -> UnappliedElements.check(NetworkXml.parse(nat("", "<domain name='example.org' register='yes'/>"
                        + "<portgroup name='b'><virtualport type='802.1Qbh'/></portgroup>"))));
        assertTrue(e.getMessage().contains("<domain register='yes'> (") && e.getMessage().contains("; <virtualport type='802.1Qbh'> of"),
                e.getMessage());
    }
}
