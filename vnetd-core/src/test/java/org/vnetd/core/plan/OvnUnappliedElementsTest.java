package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.NetworkXml;

class OvnUnappliedElementsTest {
    private static String ovnNat(String forwardChildren, String extra) {
        return "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0' xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>"
                + "<name>o</name><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid><forward mode='nat'>" + forwardChildren + "</forward>"
                + "<ip address='192.168.150.1' netmask='255.255.255.0'><dhcp><range start='192.168.150.10' end='192.168.150.99'/></dhcp></ip>"
                + extra + "<vnetd:ovn northbound='tcp:10.0.0.1:6641' gatewayChassis='hv1' uplink='physnet' uplinkAddress='192.0.2.50/24'/></network>";
    }

    private static List<String> refused(String xml) {
        return UnappliedElements.of(NetworkXml.parse(xml)).stream().map(UnappliedElements.Refusal::element).toList();
    }

    @Test
    void whatTheMapperAppliesIsNotRefused() {
        String xml = ovnNat("", "<mtu size='1400'/><mac address='52:54:00:aa:bb:cc'/><domain name='example.test'/>"
                + "<dns><forwarder addr='192.0.2.53'/><host ip='192.168.150.5'><hostname>h</hostname></host></dns>");
        assertEquals(List.of(), refused(xml));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<bandwidth><inbound average='1000'/></bandwidth>|<bandwidth>",
            "<vlan><tag id='42'/></vlan>|<vlan>",
            "<port isolated='yes'/>|<port isolated='yes'>",
            "<portgroup name='pg'><bandwidth><inbound average='10'/></bandwidth></portgroup>|<portgroup name='pg'>",
            "<route address='10.9.0.0' prefix='16' gateway='192.168.150.2'/>|<route address='10.9.0.0'>",
            "<dns enable='no'/>|<dns enable='no'>",
            "<dns forwardPlainNames='no'/>|<dns forwardPlainNames='no'>",
            "<dns><forwarder domain='corp.example' addr='192.0.2.53'/></dns>|<forwarder domain='corp.example'>",
            "<dns><forwarder addr='192.0.2.53' port='5353'/></dns>|<forwarder port='5353'>",
            "<dns><forwarder addr='2001:db8::53'/></dns>|<forwarder addr='2001:db8::53'>",
            "<dns><txt name='t' value='v'/></dns>|<dns><txt>",
            "<dns><srv service='ldap' protocol='tcp' target='h' port='389'/></dns>|<dns><srv>",
            "<domain name='example.test' localOnly='yes'/>|<domain localOnly='yes'>",
            "<bridge zone='trusted'/>|<bridge zone='trusted'>",
            "<dnsmasq:options><dnsmasq:option value='dhcp-option=option:ntp-server,192.0.2.123'/></dnsmasq:options>|<dnsmasq:options>",
    })
    void anElementOvnDoesNotApplyIsRefused(String extra, String element) {
        assertEquals(List.of(element), refused(ovnNat("", extra)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<nat><address start='192.0.2.60' end='192.0.2.61'/></nat>|<nat><address>",
            "<nat><port start='2000' end='3000'/></nat>|<nat><port>",
    })
    void natRangesAreRefused(String forwardChildren, String element) {
        assertEquals(List.of(element), refused(ovnNat(forwardChildren, "")));
    }

    @Test
    void theSameElementsOfALocalNetworkAreNotRefusedForOvn() {
        String xml = ovnNat("", "<vlan><tag id='42'/></vlan><port isolated='yes'/>")
                .replaceFirst("<vnetd:ovn[^>]*/>", "");
        assertTrue(refused(xml).stream().noneMatch(e -> e.contains("isolated")), refused(xml).toString());
    }

    @Test
    void defineIsRefusedNamingTheElementAndOvn() {
        VnetException e = assertThrows(VnetException.class,
                () -> UnappliedElements.checkDefine(NetworkXml.parse(ovnNat("", "<portgroup name='pg'/>"))));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("<portgroup name='pg'> (not applied on OVN: "), e.getMessage());
        assertTrue(e.getMessage().contains("so it is not defined"), e.getMessage());
    }

    @Test
    void aConfigChangeAddingBandwidthIsRefused() {
        VnetException e = assertThrows(VnetException.class, () -> UnappliedElements.checkConfigChange(
                NetworkXml.parse(ovnNat("", "")), NetworkXml.parse(ovnNat("", "<bandwidth><inbound average='1000'/></bandwidth>"))));
        assertTrue(e.getMessage().contains("<bandwidth> (not applied on OVN"), e.getMessage());
    }
}
