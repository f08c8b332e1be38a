package org.vnetd.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.model.NetworkDef;

/** net-update behaviour beyond libvirt's fixtures: commands, sections, index choice, atomicity. */
class NetworkUpdateTest {
    private static NetworkDef net() {
        return NetworkXml.parse("""
                <network>
                  <name>u</name>
                  <forward mode='nat'/>
                  <ip family='ipv6' address='fd00::1' prefix='64'/>
                  <ip address='10.0.0.1' prefix='24'/>
                </network>
                """);
    }

    @Test
    void minusOnePicksTheFirstIpv4WhenNoAddressServesDhcp() {
        NetworkDef def = net();
        NetworkUpdate.apply(def, "add-last", "ip-dhcp-host", -1, "<host mac='00:16:3e:00:00:09' ip='10.0.0.9'/>");
        assertEquals("10.0.0.9", def.ips().get(1).hosts().get(0).getIp());
        NetworkUpdate.apply(def, "add-first", "ip-dhcp-range", -1, "<range start='10.0.0.100' end='10.0.0.200'/>");
        assertEquals("10.0.0.100", def.ips().get(1).ranges().get(0).getStart());
    }

    @Test
    void familyOfTheHostMustMatchTheAddress() {
        NetworkDef def = net();
        VnetException e = assertThrows(VnetException.class,
                () -> NetworkUpdate.apply(def, "add-last", "ip-dhcp-host", 1, "<host name='x' ip='fd00::9'/>"));
        assertTrue(e.getMessage().contains("address family of a host entry IP must match"), e.getMessage());
    }

    @Test
    void unsupportedSectionsAndCommandsSayWhat() {
        NetworkDef def = net();
        VnetException e = assertThrows(VnetException.class,
                () -> NetworkUpdate.apply(def, "modify", "bridge", -1, "<bridge name='x'/>"));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertEquals("can't update 'bridge' section of network 'u'", e.getMessage());
        e = assertThrows(VnetException.class, () -> NetworkUpdate.apply(def, "replace", "dns-txt", -1, "<txt name='a' value='b'/>"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        e = assertThrows(VnetException.class,
                () -> NetworkUpdate.apply(def, "modify", "ip-dhcp-range", -1, "<range start='10.0.0.2' end='10.0.0.3'/>"));
        assertEquals("dhcp ranges cannot be modified, only added or deleted", e.getMessage());
    }

    @Test
    void wrongElementIsNamed() {
        VnetException e = assertThrows(VnetException.class,
                () -> NetworkUpdate.apply(net(), "add-last", "dns-txt", -1, "<srv service='a' protocol='tcp'/>"));
        assertEquals("unexpected element <srv>, expecting <txt>, while updating network 'u'", e.getMessage());
    }

    @Test
    void dnsRecordsCanBeAddedToANetworkWithoutDns() {
        NetworkDef def = net();
        NetworkUpdate.apply(def, "add-last", "dns-txt", -1, "<txt name='a' value='b'/>");
        NetworkUpdate.apply(def, "add", "dns-host", -1, "<host ip='10.0.0.7'><hostname>seven</hostname></host>");
        String xml = NetworkXml.format(def, false);
        assertTrue(xml.contains("<dns>\n    <txt name='a' value='b'/>\n    <host ip='10.0.0.7'>\n      <hostname>seven</hostname>\n    </host>\n  </dns>\n"), xml);
    }

    @Test
    void aRefusedUpdateChangesNothing() {
        NetworkDef def = net();
        NetworkUpdate.apply(def, "add-last", "ip-dhcp-host", 1, "<host mac='00:16:3e:00:00:09' name='h' ip='10.0.0.9'/>");
        String before = NetworkXml.format(def, false);
        assertThrows(VnetException.class,
                () -> NetworkUpdate.apply(def, "add-last", "ip-dhcp-host", 1, "<host mac='00:16:3e:00:00:0a' name='h' ip='10.0.0.10'/>"));
        assertThrows(VnetException.class,
                () -> NetworkUpdate.apply(def, "add-last", "ip-dhcp-host", 0, "<host name='v6'/>"));
        assertEquals(before, NetworkXml.format(def, false));
    }
}
