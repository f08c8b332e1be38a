package org.vnetd.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * One bad input per rule (libvirt's parse-time checks, the network driver's validation and vnetd's
 * own additions); each must be refused with a message naming the element and the value.
 */
class NetworkXmlRulesTest {
    /** A valid NAT network; each case breaks one thing in it. */
    static final String NAT = """
            <network>
              <name>net1</name>
              <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
              <forward mode='nat'/>
              <bridge name='virbr9' stp='on' delay='0'/>
              <mac address='52:54:00:12:34:56'/>
              <domain name='example.com'/>
              <dns>
                <txt name='example' value='v'/>
                <srv service='ldap' protocol='tcp' target='ldap.example.com' port='389'/>
                <host ip='192.168.100.2'><hostname>h2</hostname></host>
              </dns>
              <ip address='192.168.100.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.100.10' end='192.168.100.100'/>
                  <host mac='00:16:3e:00:00:01' name='a' ip='192.168.100.11'/>
                </dhcp>
              </ip>
              <route address='10.9.0.0' prefix='16' gateway='192.168.100.254'/>
            </network>
            """;

    static final String BRIDGE = """
            <network>
              <name>br</name>
              <forward mode='bridge'/>
              <bridge name='br0'/>
            </network>
            """;

    static final String HOSTDEV = """
            <network>
              <name>hd</name>
              <forward mode='hostdev' managed='yes'>
                <address type='pci' domain='0' bus='6' slot='0x12' function='1'/>
              </forward>
            </network>
            """;

    static Stream<Arguments> parseRules() {
        return Stream.of(
                // name, uuid, title, top-level attributes
                bad(NAT.replace("<name>net1</name>", ""), "missing name"),
                bad(NAT.replace("net1", "a/b"), "invalid character '/' in network name 'a/b'"),
                bad(NAT.replace("81ff0d90-c91e", "81ff0d90-zz1e"), "malformed uuid element '81ff0d90-zz1e"),
                bad(NAT.replace("<uuid>", "<title>a\nb</title><uuid>"), "title can't contain newlines"),
                bad(NAT.replace("<network>", "<network ipv6='maybe'>"), "Invalid ipv6 setting 'maybe' in network 'net1'"),
                bad(NAT.replace("<network>", "<network trustGuestRxFilters='on'>"),
                        "attribute 'trustGuestRxFilters' in element 'network': 'on'"),
                // bridge, mac, mtu
                bad(NAT.replace("delay='0'", "delay='-1'"), "Invalid delay value in network 'net1'"),
                bad(NAT.replace("delay='0'", "macTableManager='switch'"),
                        "Invalid macTableManager setting 'switch' in network 'net1'"),
                bad(NAT.replace("52:54:00:12:34:56", "52:54:00:12:34"), "Invalid bridge mac address '52:54:00:12:34' in network 'net1'"),
                bad(NAT.replace("52:54:00:12:34:56", "01:00:5e:00:00:01"),
                        "Invalid multicast bridge mac address '01:00:5e:00:00:01' in network 'net1'"),
                bad(NAT.replace("<domain", "<mtu size='big'/><domain"), "Invalid mtu size 'big' in network 'net1'"),
                // dns
                bad(NAT.replace("<dns>", "<dns enable='no'>"), "Extra data in disabled network 'net1'"),
                bad(NAT.replace("<txt", "<forwarder addr='8.8.8.x'/><txt"), "Invalid forwarder IP address '8.8.8.x' in network 'net1'"),
                bad(NAT.replace("<txt", "<forwarder/><txt"), "must contain at least one of addr or domain"),
                bad(NAT.replace("<host ip='192.168.100.2'>", "<host>"), "Missing IP address in network 'net1' DNS HOST record"),
                bad(NAT.replace("<hostname>h2</hostname>", ""), "Missing hostname in network 'net1' DNS HOST record"),
                bad(NAT.replace("service='ldap'", "service='ld.ap'"),
                        "invalid character in service attribute 'ld.ap' in DNS SRV record of network 'net1'"),
                bad(NAT.replace(" target='ldap.example.com'", ""),
                        "DNS SRV port attribute not permitted without target for service 'ldap' in network 'net1'"),
                bad(NAT.replace("port='389'", "port='70000'"), "invalid DNS SRV port attribute for service 'ldap' in network 'net1'"),
                bad(NAT.replace("name='example'", "name='ex ample'"), "prohibited character in DNS TXT record name 'ex ample'"),
                bad(NAT.replace(" value='v'", ""), "missing required value attribute in DNS TXT record named 'example'"),
                // ip
                bad(NAT.replace("address='192.168.100.1' ", ""), "Missing required address attribute in network 'net1'"),
                bad(NAT.replace("192.168.100.1'", "192.168.100.300'"), "Invalid address '192.168.100.300' in network 'net1'"),
                bad(NAT.replace("<ip address", "<ip family='ipv6' address"),
                        "Family 'ipv6' specified for non-IPv6 address '192.168.100.1' in network 'net1'"),
                bad(NAT.replace("<ip address", "<ip family='ipx' address"), "Unrecognized family 'ipx' in network 'net1'"),
                bad(NAT.replace("netmask='255.255.255.0'", "netmask='255.255.255.0' prefix='24'"),
                        "Network 'net1' IP address cannot have both a prefix and a netmask"),
                bad(NAT.replace("netmask='255.255.255.0'", "prefix='33'"), "Invalid IPv4 prefix '33' in network 'net1'"),
                bad(NAT.replace("<route address='10.9.0.0' prefix='16' gateway='192.168.100.254'/>",
                        "<ip family='ipv6' address='fd00::1' prefix='129'/>"), "Invalid IPv6 prefix '129' in network 'net1'"),
                bad(NAT.replace("<route address='10.9.0.0' prefix='16' gateway='192.168.100.254'/>",
                        "<ip family='ipv6' address='fd00::1' netmask='255.255.255.0'/>"),
                        "netmask not allowed for IPv6 address 'fd00::1' in network 'net1'"),
                bad(NAT.replace("<route address='10.9.0.0' prefix='16' gateway='192.168.100.254'/>",
                        "<ip family='ipv6' address='fd00::1' prefix='64'><tftp root='/srv'/></ip>"),
                        "Unsupported <tftp> element in an IPv6 element in network 'net1'"),
                // dhcp ranges and hosts
                bad(NAT.replace("end='192.168.100.100'", "end='192.168.101.100'"),
                        "range 192.168.100.10 - 192.168.101.100 is not entirely within network 192.168.100.1/24"),
                bad(NAT.replace("start='192.168.100.10' end='192.168.100.100'", "start='192.168.100.100' end='192.168.100.10'"),
                        "range 192.168.100.100 - 192.168.100.10 is reversed"),
                bad(NAT.replace("start='192.168.100.10'", "start='192.168.100.0'"),
                        "start of range 192.168.100.0 - 192.168.100.100 in network 192.168.100.1/24 is the network address"),
                bad(NAT.replace("end='192.168.100.100'", "end='192.168.100.255'"),
                        "end of range 192.168.100.10 - 192.168.100.255 in network 192.168.100.1/24 is the broadcast address"),
                bad(NAT.replace("end='192.168.100.100'/>", "end='192.168.100.100'><lease expiry='60' unit='seconds'/></range>"),
                        "The minimum lease time should be greater than 2 minutes"),
                bad(NAT.replace("00:16:3e:00:00:01", "01:16:3e:00:00:01"),
                        "expected unicast mac address, found multicast '01:16:3e:00:00:01' in network 'net1'"),
                bad(NAT.replace("00:16:3e:00:00:01", "00:16:3e:00:00"), "Cannot parse MAC address '00:16:3e:00:00' in network 'net1'"),
                bad(NAT.replace("name='a'", "name='-a'"), "Cannot use host name '-a' in network 'net1'"),
                bad(NAT.replace(" ip='192.168.100.11'", ""), "Missing IP address in static host definition for network 'net1'"),
                bad(NAT.replace("mac='00:16:3e:00:00:01' name='a' ", ""),
                        "Static host definition in IPv4 network 'net1' must have mac or name attribute"),
                // routes
                bad(NAT.replace("gateway='192.168.100.254'", "gateway='192.168.200.254'"),
                        "unreachable static route gateway '192.168.200.254' specified for network 'net1'"),
                bad(NAT.replace("10.9.0.0", "10.9.0.1"), "Address '10.9.0.1' in route definition is not a network address"),
                // forward
                bad(NAT.replace("mode='nat'", "mode='tunnel'"), "unsupported configuration: unknown forwarding type 'tunnel'"),
                bad(NAT.replace("<forward mode='nat'/>", "<forward mode='route'><nat><port start='1' end='2'/></nat></forward>"),
                        "The <nat> element can only be used when <forward> 'mode' is 'nat' in network net1"),
                bad(NAT.replace("<forward mode='nat'/>", "<forward mode='nat'><nat><port start='2000' end='1000'/></nat></forward>"),
                        "Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network net1"),
                bad(NAT.replace("<forward mode='nat'/>",
                        "<forward mode='nat'><nat><address start='10.0.0.9' end='10.0.0.1'/></nat></forward>"),
                        "range 10.0.0.9 - 10.0.0.1 is reversed"),
                bad(NAT.replace("<forward mode='nat'/>", "<forward mode='nat' dev='eth0'><interface dev='eth1'/></forward>"),
                        "<forward dev='eth0'> must match first <interface dev='eth1'/> in network net1"),
                bad(NAT.replace("<forward mode='nat'/>", "<forward mode='nat'><interface dev='eth1'/><interface dev='eth2'/></forward>"),
                        "multiple forwarding interfaces specified for network 'net1', only one is supported"),
                bad(NAT.replace("<forward mode='nat'/>", "<forward mode='open' dev='eth0'/>"),
                        "forward dev not allowed for network 'net1' with forward mode='open'"),
                bad(NAT.replace("<ip address='192.168.100.1' netmask='255.255.255.0'>", "<x>").replace("</ip>", "</x>")
                        .replace("<route address='10.9.0.0' prefix='16' gateway='192.168.100.254'/>", ""),
                        "nat forwarding requested, but no IP address provided for network 'net1'"),
                bad(BRIDGE.replace("<forward mode='bridge'/>", "<forward mode='bridge'><interface dev='eth1'/><interface dev='eth1'/></forward>")
                        .replace("<bridge name='br0'/>", ""), "interface 'eth1' can only be listed once in network br"),
                bad(BRIDGE.replace("mode='bridge'", "mode='private'"), "bridge name not allowed in private mode (network 'br')"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0' stp='off'/>"),
                        "bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in bridge (network 'br')"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><mtu size='9000'/>"),
                        "mtu size only allowed in open, route, nat, and isolated mode, not in bridge (network 'br')"),
                bad(BRIDGE.replace("<forward mode='bridge'/>", "<forward mode='bridge'><interface dev='eth1'/></forward>"),
                        "can specify a bridge name or a forward dev, but not both (network 'br')"),
                bad(HOSTDEV.replace("slot='0x12' function='1'/>", "slot='0x12' function='1'/><address type='pci' domain='0' bus='6' slot='18' function='1'/>"),
                        "PCI device '0000:06:12.1' can only be listed once in network hd"),
                // vlan, virtualport, portgroup, bandwidth
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><vlan><tag id='5000'/></vlan>"),
                        "vlan tag id 5000 too large (maximum 4095)"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><vlan trunk='no'><tag id='1'/><tag id='2'/></vlan>"),
                        "trunk='yes' is required for more than one vlan tag"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><virtualport type='vmware'/>"),
                        "unknown virtualport type vmware"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><virtualport/>"), "missing required virtualport type"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><portgroup/>"), "Missing required name attribute in portgroup"),
                bad(NAT.replace("<domain", "<bandwidth><inbound average='10' floor='5'/></bandwidth><domain"),
                        "floor attribute is not supported for this config"),
                bad(NAT.replace("<domain", "<bandwidth><inbound peak='10'/></bandwidth><domain"),
                        "Missing mandatory average or floor attributes"));
    }

    static Stream<Arguments> validationRules() {
        return Stream.of(
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><mac address='52:54:00:00:00:01'/>"),
                        "Unsupported <mac> element in network br with forward mode='bridge'"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><ip address='10.0.0.1' prefix='24'/>"),
                        "Unsupported <ip> element in network br with forward mode='bridge'"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><dns><txt name='a' value='b'/></dns>"),
                        "Unsupported <dns> element in network br with forward mode='bridge'"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><domain name='x.org'/>"),
                        "Unsupported <domain> element in network br with forward mode='bridge'"),
                bad(BRIDGE.replace("<forward mode='bridge'/>", "<forward mode='bridge'><interface dev='eth1'/></forward>")
                        .replace("<bridge name='br0'/>", "<bandwidth><inbound average='1000'/></bandwidth>"),
                        "Unsupported network-wide <bandwidth> element in network br with forward mode='bridge'"),
                bad(HOSTDEV.replace("<address type='pci' domain='0' bus='6' slot='0x12' function='1'/>", "<interface dev='eth3'/>"),
                        "hostdev network 'hd' lists 'eth3' in the device pool, but hostdev networks require all devices to be listed by PCI address"),
                bad(HOSTDEV.replace("mode='hostdev' managed='yes'", "mode='passthrough'"),
                        "network 'hd' has forward mode 'passthrough' but lists a device by PCI address in the device pool"),
                bad(NAT.replace("<route address='10.9.0.0' prefix='16' gateway='192.168.100.254'/>",
                        "<ip address='192.168.7.1' prefix='24'><dhcp><range start='192.168.7.2' end='192.168.7.9'/></dhcp></ip>"),
                        "Multiple IPv4 dhcp sections found"),
                bad(NAT.replace("<host mac='00:16:3e:00:00:01' name='a' ip='192.168.100.11'/>",
                        "<host mac='00:16:3e:00:00:01' name='a' ip='192.168.100.11'/><host mac='00:16:3E:00:00:01' name='b' ip='192.168.100.12'/>"),
                        "duplicate DHCP host mac '00:16:3E:00:00:01' in <ip address='192.168.100.1'> of network 'net1'"),
                bad(NAT.replace("<host mac='00:16:3e:00:00:01' name='a' ip='192.168.100.11'/>",
                        "<host mac='00:16:3e:00:00:01' name='a' ip='192.168.100.11'/><host mac='00:16:3e:00:00:02' name='b' ip='192.168.100.11'/>"),
                        "duplicate DHCP host ip '192.168.100.11'"),
                bad(NAT.replace("<host mac='00:16:3e:00:00:01' name='a' ip='192.168.100.11'/>",
                        "<host mac='00:16:3e:00:00:01' name='a' ip='192.168.100.11'/><host mac='00:16:3e:00:00:02' name='a' ip='192.168.100.12'/>"),
                        "duplicate DHCP host name 'a'"),
                bad(NAT.replace("ip='192.168.100.11'", "ip='192.168.5.11'"),
                        "DHCP host ip '192.168.5.11' is not inside network 192.168.100.1/24"),
                bad(NAT.replace("<ip address='192.168.100.1'", "<ip address='192.168.100.0'")
                        .replace("<route address='10.9.0.0' prefix='16' gateway='192.168.100.254'/>", ""),
                        "<ip address='192.168.100.0'> of network 'net1' is the network address"),
                bad(NAT.replace("virbr9", "virbr-much-too-long0"),
                        "bridge name 'virbr-much-too-long0' in network 'net1' must be 1 to 15 characters long"),
                bad(NAT.replace("virbr9", "vir br9"), "invalid character ' ' in bridge name 'vir br9' of network 'net1'"),
                bad(NAT.replace("<name>net1</name>", "<name>..</name>"), "network name '..' cannot be used as a file name"),
                bad(NAT.replace("<name>net1</name>", "<name>" + "n".repeat(201) + "</name>"),
                        "is 201 characters long, the limit is 200"),
                bad(NAT.replace("<name>net1</name>", "<name>a&#9;b</name>"), "contains a control character at position 1"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><portgroup name='p' default='yes'/><portgroup name='q' default='yes'/>"),
                        "network 'br' has multiple default <portgroup> elements (p and q), but only one default is allowed"),
                bad(BRIDGE.replace("<bridge name='br0'/>", "<bridge name='br0'/><portgroup name='p'/><portgroup name='p'/>"),
                        "multiple <portgroup> elements with the same name (p) in network 'br'"),
                bad(NAT.replace("<domain", "<vlan><tag id='7'/></vlan><domain"),
                        "<vlan> element specified for network net1, whose type doesn't support vlan configuration"),
                bad(HOSTDEV.replace("</network>", "<portgroup name='p'><bandwidth><inbound average='1'/></bandwidth></portgroup></network>"),
                        "Unsupported <bandwidth> element in network 'hd' in portgroup 'p' with forward mode='hostdev'"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("parseRules")
    void parseRefuses(String xml, String message) {
        VnetException e = assertThrows(VnetException.class, () -> NetworkXml.parse(xml));
        assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
        assertTrue(e.code() == ErrorCode.XML_PARSE || e.code() == ErrorCode.XML_VALIDATION, e.code().toString());
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("validationRules")
    void validateRefuses(String xml, String message) {
        NetworkDef def = NetworkXml.parse(xml);
        VnetException e = assertThrows(VnetException.class, () -> NetworkXml.validate(def));
        assertEquals(ErrorCode.XML_VALIDATION, e.code());
        assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void theBaseInputsAreValid() {
        for (String xml : new String[] {NAT, BRIDGE, HOSTDEV}) {
            NetworkXml.validate(NetworkXml.parse(xml));
        }
    }

    private static Arguments bad(String xml, String message) {
        return Arguments.of(xml, message);
    }
}
