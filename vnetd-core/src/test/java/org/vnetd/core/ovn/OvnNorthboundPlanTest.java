package org.vnetd.core.ovn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.ovsdb.OvsdbJson;
import org.vnetd.core.ovsdb.OvsdbTransaction;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.NetworkDef;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Golden files, as the firewall's: for each network of src/test/resources/ovn, the northbound
 * transactions of its start, join, ports and stop, as the JSON sent to the database
 * ({@code NAME.nb.json}). Regenerate with {@code -Dvnetd.regenerate=true} and review the diff: a
 * changed golden file is a changed OVN topology.
 */
class OvnNorthboundPlanTest {
    private static final Path DIR = Path.of("src/test/resources/ovn");
    private static final boolean REGENERATE = Boolean.getBoolean("vnetd.regenerate");
    private static final ObjectMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final String HOST = "hv1";
    private static final String SWITCH_ROW = "00000000-0000-4000-8000-00000000000a";
    private static final String DHCP_ROW = "00000000-0000-4000-8000-00000000000d";
    private static final String PORT_ROW = "00000000-0000-4000-8000-0000000000f1";

    private static NetworkDef load(String name) throws IOException {
        return NetworkXml.parse(Files.readString(DIR.resolve(name + ".xml")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nat", "route", "isolated"})
    void transactionsMatchGoldenFile(String name) throws IOException {
        OvnNetwork n = OvnNetworkMapper.map(load(name));
        ObjectNode all = PRETTY.createObjectNode();
        put(all, "create", OvnNorthboundPlan.create(n, HOST));
        put(all, "join", OvnNorthboundPlan.join(n.uuid(), HOST));
        put(all, "readShared", OvnNorthboundPlan.readShared(n.uuid()));
        put(all, "addPort (dynamic)", OvnNorthboundPlan.addPort(n, SWITCH_ROW, Optional.of(DHCP_ROW), HOST, "port-1", "52:54:00:12:34:56"));
        put(all, "addPort (reserved)", OvnNorthboundPlan.addPort(n, SWITCH_ROW, Optional.of(DHCP_ROW), HOST, "port-2", "52:54:00:AA:00:01"));
        put(all, "addPort (address kept from a migrating guest's old port)", OvnNorthboundPlan.addPort(n, SWITCH_ROW,
                Optional.of(DHCP_ROW), HOST, "port-3", "52:54:00:12:34:57", Optional.of("10.77.0.150")));
        put(all, "readNetworkPorts", OvnNorthboundPlan.readNetworkPorts(n.uuid()));
        put(all, "readHostPorts", OvnNorthboundPlan.readHostPorts(n.uuid(), HOST));
        put(all, "removePort", OvnNorthboundPlan.removePort(n.uuid(), PORT_ROW));
        put(all, "leave", OvnNorthboundPlan.leave(n.uuid(), HOST, List.of(PORT_ROW)));
        put(all, "leaveAsLast", OvnNorthboundPlan.leaveAsLast(n, HOST, List.of(PORT_ROW)));
        String text = PRETTY.writeValueAsString(all) + "\n";
        Path golden = DIR.resolve(name + ".nb.json");
        if (REGENERATE || !Files.exists(golden)) {
            Files.writeString(golden, text);
        }
        assertEquals(Files.readString(golden), text, "golden file " + golden);
    }

    private static void put(ObjectNode all, String what, OvsdbTransaction t) {
        all.set(what, OvsdbJson.params(t));
    }

    @Test
    void excludedAddressesLeaveOnlyTheRangesToOvnsDynamicAddressing() throws IOException {
        OvnNetwork lab = OvnNetworkMapper.map(load("isolated"));
        assertEquals("172.20.0.1..172.20.0.255 172.20.2.0..172.20.2.255 172.20.3.10..172.20.255.254", lab.excludeIps());
        OvnNetwork nat = OvnNetworkMapper.map(load("nat"));
        assertEquals("10.77.0.1..10.77.0.99 10.77.0.200..10.77.0.254", nat.excludeIps(), "the reservation .50 is inside the excluded part");
    }

    @Test
    void everyHostDerivesTheSameRows() throws IOException {
        assertEquals(OvnNetworkMapper.map(load("nat")), OvnNetworkMapper.map(load("nat")));
        assertEquals("vnetd-81ff0d90-c91e-6742-64da-4a736edb9a9b", OvnNetworkMapper.map(load("nat")).switchName(),
                "without switch='' the switch is named by the network's uuid");
    }

    @Test
    void natWithoutItsWayOutIsRefusedNamingWhatIsMissing() {
        NetworkDef def = NetworkXml.parse("""
                <network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'><name>n</name><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
                <forward mode='nat'/><ip address='10.0.0.1' prefix='24'/><vnetd:ovn northbound='tcp:10.0.0.9:6641' gatewayChassis='hv1'/></network>""");
        VnetException e = assertThrows(VnetException.class, () -> OvnNetworkMapper.map(def));
        assertEquals(ErrorCode.XML_VALIDATION, e.code());
        assertTrue(e.getMessage().startsWith("network 'n' has <forward mode='nat'> on OVN but its <vnetd:ovn> lacks uplink, uplinkAddress:"),
                e.getMessage());
    }

    @Test
    void whatOvnIsNotGivenIsRefusedNotDropped() {
        NetworkDef v6 = NetworkXml.parse("""
                <network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'><name>n</name><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
                <ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='fd00::1' prefix='64'/>
                <vnetd:ovn northbound='tcp:10.0.0.9:6641'/></network>""");
        VnetException e = assertThrows(VnetException.class, () -> OvnNetworkMapper.map(v6));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("an IPv6 <ip>"), e.getMessage());
    }
}
