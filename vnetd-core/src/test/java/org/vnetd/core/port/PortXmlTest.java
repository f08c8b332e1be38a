package org.vnetd.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;

/**
 * libvirt's network port XML (virnetworkportdef.c): documents in the shape of its
 * virnetworkportxml2xmldata cases format back byte for byte, and the parser's errors match libvirt's.
 */
class PortXmlTest {
    private static final String HEAD = """
            <networkport>
              <uuid>0b5a7c3e-2f4d-4c1e-9a8b-6d5e4f3a2b1c</uuid>
              <owner>
                <name>guest7</name>
                <uuid>9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b</uuid>
              </owner>
            """;

    @ParameterizedTest
    @ValueSource(strings = {
        // plug-none
        HEAD + "  <mac address='52:54:00:12:34:56'/>\n</networkport>\n",
        // plug-network with every optional element
        HEAD + """
                  <group>frontend</group>
                  <mac address='52:54:00:12:34:56'/>
                  <bandwidth classID='42'>
                    <inbound average='2000' peak='5000' floor='1000' burst='2048'/>
                    <outbound average='256' peak='512' burst='16384'/>
                  </bandwidth>
                  <vlan trunk='yes'>
                    <tag id='7'/>
                    <tag id='300' nativeMode='untagged'/>
                  </vlan>
                  <port isolated='yes'/>
                  <rxfilters trustGuest='no'/>
                  <plug type='network' bridge='virbr3'/>
                </networkport>
                """,
        // plug-bridge with a MAC table manager
        HEAD + """
                  <mac address='52:54:00:12:34:56'/>
                  <plug type='bridge' bridge='br0' macTableManager='libvirt'/>
                </networkport>
                """,
        // plug-direct with a virtual port profile
        HEAD + """
                  <mac address='52:54:00:12:34:56'/>
                  <virtualport type='802.1Qbg'>
                    <parameters managerid='5' typeid='4321' typeidversion='1'/>
                  </virtualport>
                  <plug type='direct' dev='eth9' mode='private'/>
                </networkport>
                """,
        // plug-hostdev-pci
        HEAD + """
                  <mac address='52:54:00:12:34:56'/>
                  <plug type='hostdev-pci' managed='no'>
                    <driver name='vfio'/>
                    <address domain='0x0000' bus='0x05' slot='0x10' function='0x2'/>
                  </plug>
                </networkport>
                """})
    void formatsBackWhatItParsed(String xml) {
        assertEquals(xml, PortXml.format(PortXml.parse(xml)));
    }

    @Test
    void modelOfANetworkPlug() {
        PortDef d = new PortDef(UUID.fromString("0b5a7c3e-2f4d-4c1e-9a8b-6d5e4f3a2b1c"), "vnet0",
                UUID.fromString("0b5a7c3e-2f4d-4c1e-9a8b-6d5e4f3a2b1c"), Optional.empty(), MacAddress.parse("52:54:00:aa:bb:cc"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(true), Optional.empty(),
                new Plug.Network("virbr0", Optional.empty()));
        String xml = PortXml.format(d);
        assertTrue(xml.contains("  <port isolated='yes'/>\n  <plug type='network' bridge='virbr0'/>\n"), xml);
        assertEquals(d, PortXml.parse(xml));
        assertEquals(Optional.of("virbr0"), d.bridge());
    }

    @Test
    void escapesOwnerNames() {
        String xml = HEAD.replace("guest7", "a&amp;b&lt;c") + "  <mac address='52:54:00:12:34:56'/>\n</networkport>\n";
        PortDef d = PortXml.parse(xml);
        assertEquals("a&b<c", d.ownerName());
        assertEquals(xml, PortXml.format(d));
    }

    @Test
    void errorsNameWhatIsMissingOrWrong() {
        assertMessage("network port has no uuid", "<networkport><owner><name>x</name></owner></networkport>");
        assertMessage("network port has no owner name",
                "<networkport><uuid>0b5a7c3e-2f4d-4c1e-9a8b-6d5e4f3a2b1c</uuid></networkport>");
        assertMessage("network port has no owner UUID", "<networkport><uuid>0b5a7c3e-2f4d-4c1e-9a8b-6d5e4f3a2b1c</uuid>"
                + "<owner><name>x</name></owner></networkport>");
        assertMessage("network port has no mac", HEAD + "</networkport>");
        assertMessage("Unable to parse MAC 'zz'", HEAD + "<mac address='zz'/></networkport>");
        assertMessage("Unable to parse UUID 'nope'", "<networkport><uuid>nope</uuid></networkport>");
        assertMessage("Missing network port bridge name", HEAD + "<mac address='52:54:00:12:34:56'/><plug type='network'/></networkport>");
        assertMessage("Invalid macTableManager setting 'x'",
                HEAD + "<mac address='52:54:00:12:34:56'/><plug type='bridge' bridge='b' macTableManager='x'/></networkport>");
        assertMessage("Missing network port PCI address",
                HEAD + "<mac address='52:54:00:12:34:56'/><plug type='hostdev-pci'/></networkport>");
        assertMessage("Invalid value for attribute 'isolated' in element 'port': 'maybe'",
                HEAD + "<mac address='52:54:00:12:34:56'/><port isolated='maybe'/></networkport>");
        assertMessage("unknown root element for network port", "<network/>");
        VnetException e = assertThrows(VnetException.class, () -> PortXml.parse("<networkport><uuid>"));
        assertEquals(ErrorCode.XML_PARSE, e.code());
        e = assertThrows(VnetException.class, () -> PortXml.parse("<!DOCTYPE x [<!ENTITY a 'b'>]><networkport/>"));
        assertEquals(ErrorCode.XML_UNSAFE, e.code());
    }

    private static void assertMessage(String expected, String xml) {
        VnetException e = assertThrows(VnetException.class, () -> PortXml.parse(xml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
