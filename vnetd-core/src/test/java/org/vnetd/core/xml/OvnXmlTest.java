package org.vnetd.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.OvnDef;

/** {@code <vnetd:ovn>}: parsed, checked and formatted back as written (docs/ovn.md). */
class OvnXmlTest {
    private static final String FULL = """
            <network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0' xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>
              <name>cluster</name>
              <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
              <forward mode='nat'/>
              <bridge name='virbr9' stp='on' delay='0'/>
              <ip address='10.77.0.1' netmask='255.255.255.0'/>
              <dnsmasq:options>
                <dnsmasq:option value='log-queries'/>
              </dnsmasq:options>
              <vnetd:ovn northbound='tcp:192.0.2.10:6641,tcp:[2001:db8::10]:6641,unix:/run/ovn/ovnnb_db.sock' switch='ls-cluster' gatewayChassis='hv1.example' uplink='physnet1' uplinkAddress='192.0.2.50/24' uplinkGateway='192.0.2.1'/>
            </network>
            """;

    private static String withOvn(String ovnElement) {
        return "<network xmlns:vnetd='" + OvnDef.NS + "'><name>n</name>" + ovnElement + "</network>";
    }

    private static VnetException refused(String ovnElement) {
        return assertThrows(VnetException.class, () -> NetworkXml.parse(withOvn(ovnElement)));
    }

    @Test
    void theBindingRoundTripsByteForByte() {
        String once = NetworkXml.format(NetworkXml.parse(FULL), true);
        assertEquals(FULL, once);
        assertEquals(once, NetworkXml.format(NetworkXml.parse(once), false));
        assertEquals(once, NetworkXml.format(NetworkXml.copy(NetworkXml.parse(FULL)), true), "a copy keeps the binding");
    }

    @Test
    void theTypedViewGivesTheBindingAndAPlainNetworkHasNone() {
        OvnDef ovn = NetworkXml.parse(FULL).ovn().orElseThrow();
        assertEquals("ls-cluster", ovn.getLogicalSwitch());
        assertEquals("hv1.example", ovn.getGatewayChassis());
        assertTrue(ovn.getNorthbound().startsWith("tcp:192.0.2.10:6641,"));
        NetworkDef plain = NetworkXml.parse("<network><name>p</name></network>");
        assertFalse(plain.ovn().isPresent());
        assertFalse(NetworkXml.format(plain, true).contains("vnetd"), "no namespace declaration without the element");
    }

    @Test
    void onlyTheNorthboundIsRequiredAndAPrefixDeclaredOnTheElementIsMovedToTheRoot() {
        NetworkDef def = NetworkXml.parse("<network><name>n</name>"
                + "<v:ovn xmlns:v='https://vnetd.org/schemas/network/1.0' northbound='unix:/run/ovn/ovnnb_db.sock'/></network>");
        assertEquals("""
                <network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>
                  <name>n</name>
                  <bridge stp='on' delay='0'/>
                  <vnetd:ovn northbound='unix:/run/ovn/ovnnb_db.sock'/>
                </network>
                """, NetworkXml.format(def, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp:10.0.0.1:6641", "tcp:[::1]:6641", "tcp:ovn-central.example:6641", "unix:/var/run/ovn/ovnnb_db.sock",
            "tcp:10.0.0.1:6641,tcp:10.0.0.2:6641"})
    void goodNorthboundAddressesAreAccepted(String nb) {
        assertEquals(nb, NetworkXml.parse(withOvn("<vnetd:ovn northbound='" + nb + "'/>")).ovn().orElseThrow().getNorthbound());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"|empty northbound address",
        "10.0.0.1:6641|expected tcp:HOST:PORT or unix:PATH",
        "tcp:10.0.0.1|no port",
        "tcp:10.0.0.1:0|port '0' is not a number from 1 to 65535",
        "tcp:10.0.0.1:65536|port '65536'",
        "tcp:10.0.0.300:6641|'10.0.0.300' is not an IPv4 address",
        "tcp:::1:6641|must be in brackets",
        "tcp:[zz::1]:6641|'[zz::1]' is not an IPv6 address",
        "tcp:bad_host:6641|neither an IP address nor a host name",
        "unix:run/ovnnb_db.sock|must be absolute",
        "ssl:10.0.0.1:6641|ssl: is not supported yet",
        "ptcp:6641|passive",
        "tcp:10.0.0.1:6641,|invalid northbound address ''",
    })
    void badNorthboundAddressesAreRefusedNamingTheAddressAndTheNetwork(String nb, String why) {
        VnetException e = refused("<vnetd:ovn northbound='" + nb + "'/>");
        assertEquals(ErrorCode.XML_VALIDATION, e.code());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains("<vnetd:ovn> of network 'n'"), e.getMessage());
    }

    @Test
    void unknownAttributesChildrenAndElementsAreRefusedByName() {
        VnetException e = refused("<vnetd:ovn northbound='tcp:10.0.0.1:6641' gateway-chassis='hv1'/>");
        assertEquals(ErrorCode.XML_PARSE, e.code());
        assertEquals("unknown attribute 'gateway-chassis' in <vnetd:ovn> of network 'n' (known: northbound, switch, gatewayChassis, uplink, uplinkAddress, uplinkGateway)",
                e.getMessage());
        e = refused("<vnetd:ovn northbound='tcp:10.0.0.1:6641' vnetd:switch='s'/>");
        assertTrue(e.getMessage().contains("unknown attribute '{" + OvnDef.NS + "}switch'"), e.getMessage());
        e = refused("<vnetd:ovn northbound='tcp:10.0.0.1:6641'><vnetd:port/></vnetd:ovn>");
        assertTrue(e.getMessage().contains("takes attributes only"), e.getMessage());
        e = refused("<vnetd:ovm northbound='tcp:10.0.0.1:6641'/>");
        assertEquals(ErrorCode.XML_PARSE, e.code());
        assertTrue(e.getMessage().contains("unknown element 'vnetd:ovm'"), e.getMessage());
        e = refused("<vnetd:ovn northbound='tcp:10.0.0.1:6641'/><vnetd:ovn northbound='tcp:10.0.0.2:6641'/>");
        assertTrue(e.getMessage().contains("has 2 <vnetd:ovn> elements"), e.getMessage());
        e = refused("<vnetd:ovn switch='s'/>");
        assertEquals("missing attribute 'northbound' in <vnetd:ovn> of network 'n'", e.getMessage());
    }

    @Test
    void badNamesAreRefused() {
        VnetException e = refused("<vnetd:ovn northbound='tcp:10.0.0.1:6641' switch='a b'/>");
        assertTrue(e.getMessage().startsWith("invalid switch 'a b' in <vnetd:ovn> of network 'n'"), e.getMessage());
        e = refused("<vnetd:ovn northbound='tcp:10.0.0.1:6641' gatewayChassis=''/>");
        assertTrue(e.getMessage().startsWith("invalid gatewayChassis '' in <vnetd:ovn>"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "uplinkAddress='192.0.2.50'|invalid uplinkAddress '192.0.2.50' in <vnetd:ovn> of network 'n': expected an IPv4 ADDRESS/PREFIX",
        "uplinkAddress='192.0.2.50/33'|invalid uplinkAddress '192.0.2.50/33'",
        "uplinkAddress='2001:db8::5/64'|invalid uplinkAddress '2001:db8::5/64'",
        "uplinkGateway='192.0.2'|invalid uplinkGateway '192.0.2' in <vnetd:ovn> of network 'n': not an IPv4 address",
        "uplink='phys net'|invalid uplink 'phys net' in <vnetd:ovn> of network 'n'",
    })
    void badUplinkValuesAreRefusedNamingTheAttribute(String attribute, String message) {
        VnetException e = refused("<vnetd:ovn northbound='tcp:10.0.0.1:6641' " + attribute + "/>");
        assertEquals(ErrorCode.XML_VALIDATION, e.code());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void theUplinkIsKeptAsWritten() {
        OvnDef ovn = NetworkXml.parse(FULL).ovn().orElseThrow();
        assertEquals("physnet1", ovn.getUplink());
        assertEquals("192.0.2.50/24", ovn.getUplinkAddress());
        assertEquals("192.0.2.1", ovn.getUplinkGateway());
    }
}
