package org.vnetd.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * Every element and attribute of libvirt's network grammar (network.rng, networkcommon.rng) and what vnetd
 * does with it, as the table {@code docs/network-xml-elements.md}. Each row carries a network using it, and
 * the verdict is the code's own: that network is checked as a define checks it (libvirt's validation, then
 * {@link UnappliedElements}), so a row says "refused" with the very message a user gets, and "applied" only
 * when vnetd takes it. {@code NetworkElementsTableTest} fails when the file differs from {@link #markdown()}
 * or when a name of libvirt's grammar has no row.
 */
public final class NetworkElementsTable {
    private static final String UUID = "<uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>";

    /**
     * One row: the element (and its attributes) as libvirt's grammar names them, what vnetd does when it
     * applies it, and a network that uses it.
     */
    public record Row(String element, List<String> attributes, String applied, String network) {
        public Row {
            attributes = List.copyOf(attributes);
        }
    }

    private NetworkElementsTable() {
    }

    private static String nat(String bridgeAttrs, String inside) {
        return "<network><name>n</name>" + UUID + "<forward mode='nat'/><bridge name='virbr5'" + bridgeAttrs + "/>" + inside
                + "<ip address='192.168.150.1' netmask='255.255.255.0'><dhcp><range start='192.168.150.2' end='192.168.150.254'/>"
                + "</dhcp></ip></network>";
    }

    private static String nat(String inside) {
        return nat("", inside);
    }

    private static String hostBridge(String inside) {
        return "<network><name>n</name>" + UUID + "<forward mode='bridge'/><bridge name='br0'/>" + inside + "</network>";
    }

    private static String forward(String forward) {
        return "<network><name>n</name>" + UUID + forward + "</network>";
    }

    private static String ip(String inside) {
        return "<network><name>n</name>" + UUID + "<bridge name='virbr5'/><ip address='192.168.150.1' netmask='255.255.255.0'>"
                + inside + "</ip></network>";
    }

    private static final String OVS = "<virtualport type='openvswitch'/>";

    /** The rows, in the order of libvirt's grammar. */
    public static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        r.add(new Row("network", List.of("connections"), "status only: the number of ports, in the live XML", nat("")));
        r.add(new Row("network", List.of("ipv6"), "guests may talk IPv6 to each other on a network without IPv6 addresses",
                "<network ipv6='yes'><name>n</name>" + UUID + "<bridge name='virbr5'/></network>"));
        r.add(new Row("network", List.of("trustGuestRxFilters"),
                "kept in each port's XML (libvirt acts on it only for macvtap devices, which vnetd does not make)",
                "<network trustGuestRxFilters='yes'><name>n</name>" + UUID + "<forward mode='bridge'/><bridge name='br0'/></network>"));
        r.add(new Row("name", List.of(), "the network's name", nat("")));
        r.add(new Row("uuid", List.of(), "the network's uuid (generated when missing)", nat("")));
        r.add(new Row("title", List.of(), "kept and written back", nat("<title>t</title>")));
        r.add(new Row("description", List.of(), "kept and written back", nat("<description>d</description>")));
        r.add(new Row("metadata", List.of(), "kept and written back (net-metadata)", nat("<metadata><x:y xmlns:x='urn:x'/></metadata>")));
        r.add(new Row("bridge", List.of("name", "stp", "delay"), "the bridge vnetd creates, or the host bridge it plugs into",
                nat(" stp='on' delay='0'", "")));
        r.add(new Row("bridge", List.of("macTableManager='kernel'"), "the kernel learns MACs (the default)",
                nat(" macTableManager='kernel'", "")));
        r.add(new Row("bridge", List.of("macTableManager='libvirt'"),
                "its ports neither learn nor flood unknown unicast, each port's guest MAC is a static FDB entry (removed with "
                        + "the port), and the bridge filters VLANs (a kernel without CONFIG_BRIDGE_VLAN_FILTERING: the port's notes "
                        + "say so)", nat(" macTableManager='libvirt'", "")));
        r.add(new Row("bridge", List.of("macTableManager='libvirt'"), "",
                hostBridge(OVS).replace("<bridge name='br0'/>", "<bridge name='br0' macTableManager='libvirt'/>")));
        r.add(new Row("bridge", List.of("zone"), "the bridge in that firewalld zone (firewalld's D-Bus API; the start fails when "
                + "firewalld does not run or has no such zone), out of it at destroy. Without `zone`, when firewalld runs, the "
                + "bridge goes in zone `libvirt` (`libvirt-routed` for `<forward mode='route'>` where firewalld has it; "
                + "`open` networks in none), as libvirt does", nat(" zone='trusted'", "")));
        r.add(new Row("mtu", List.of("size"), "the bridge's and its ports' MTU", nat("<mtu size='9000'/>")));
        r.add(new Row("mac", List.of("address"), "the bridge's MAC", nat("<mac address='52:54:00:0a:0b:0c'/>")));
        r.add(new Row("forward", List.of("mode='nat'", "dev"), "NAT (nftables or iptables), optionally only out of dev",
                forward("<forward mode='nat' dev='eth0'/><bridge name='virbr5'/><ip address='192.168.150.1' netmask='255.255.255.0'/>")));
        r.add(new Row("forward", List.of("mode='route'"), "routed, with libvirt's firewall rules",
                forward("<forward mode='route'/><bridge name='virbr5'/><ip address='192.168.150.1' netmask='255.255.255.0'/>")));
        r.add(new Row("forward", List.of("mode='open'"), "routed, without firewall rules",
                forward("<forward mode='open'/><bridge name='virbr5'/><ip address='192.168.150.1' netmask='255.255.255.0'/>")));
        r.add(new Row("forward", List.of("mode='bridge'"), "ports on the named host bridge (a Linux or Open vSwitch bridge)",
                hostBridge("")));
        r.add(new Row("forward", List.of("mode='bridge'", "managed"), "a pool of host interfaces: each port a macvtap (bridge mode) on the least used one; managed goes in a hostdev-pci plug", forward("<forward mode='bridge' managed='yes'><interface dev='eth1'/></forward>")));
        r.add(new Row("forward/interface", List.of("dev", "connections"), "the pool's host interfaces; connections counted as libvirt counts them (live XML)", forward("<forward mode='vepa'><interface dev='eth1'/></forward>")));
        r.add(new Row("forward", List.of("mode='private'"), "macvtap ports in private mode", forward("<forward mode='private'><interface dev='eth1'/></forward>")));
        r.add(new Row("forward", List.of("mode='passthrough'"), "macvtap ports in passthrough mode, one port per interface", forward("<forward mode='passthrough'><interface dev='eth1'/></forward>")));
        r.add(new Row("forward/pf", List.of("dev"), "the pool is the physical function's virtual functions (sysfs virtfn*)", forward("<forward mode='passthrough'><pf dev='eth1'/></forward>")));
        r.add(new Row("forward", List.of("mode='hostdev'"), "SR-IOV virtual functions handed to guests as PCI devices (plug hostdev-pci)",
                forward("<forward mode='hostdev' managed='yes'><driver name='vfio'/><address type='pci' domain='0x0000' bus='0x02' "
                        + "slot='0x00' function='0x1'/></forward>")));
        r.add(new Row("forward/driver", List.of("name", "model"), "name goes in the hostdev-pci plug (the hypervisor binds the driver); model is kept in the XML",
                forward("<forward mode='hostdev'><driver name='vfio' model='virtio'/><pf dev='eth1'/></forward>")));
        r.add(new Row("forward/address", List.of("type", "domain", "bus", "slot", "function", "connections"), "a hostdev pool given as PCI addresses",
                forward("<forward mode='hostdev'><address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x1'/></forward>")));
        r.add(new Row("forward/nat", List.of("ipv6"), "NAT of IPv6 too (masquerade)",
                forward("<forward mode='nat'><nat ipv6='yes'/></forward><bridge name='virbr5'/>"
                        + "<ip address='192.168.150.1' netmask='255.255.255.0'/><ip family='ipv6' address='fd00::1' prefix='64'/>")));
        r.add(new Row("forward/nat/address", List.of("start", "end"), "the SNAT source address range",
                nat("").replace("<forward mode='nat'/>", "<forward mode='nat'><nat><address start='1.2.3.4' end='1.2.3.10'/></nat></forward>")));
        r.add(new Row("forward/nat/port", List.of("start", "end"), "the SNAT source port range",
                nat("").replace("<forward mode='nat'/>", "<forward mode='nat'><nat><port start='500' end='1000'/></nat></forward>")));
        r.add(new Row("virtualport", List.of("type='openvswitch'"), "ports added to the Open vSwitch bridge with libvirt's external-ids",
                hostBridge(OVS)));
        r.add(new Row("virtualport/parameters", List.of("interfaceid", "profileid"),
                "the port's external-ids iface-id (generated when missing) and port-profile",
                hostBridge("<virtualport type='openvswitch'><parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f' "
                        + "profileid='p'/></virtualport>")));
        r.add(new Row("virtualport", List.of("type='802.1Qbh'"), "", hostBridge("<virtualport type='802.1Qbh'><parameters profileid='p'/></virtualport>")));
        r.add(new Row("virtualport", List.of("type='802.1Qbg'"), "",
                hostBridge("<virtualport type='802.1Qbg'><parameters managerid='11' typeid='1193047' typeidversion='2' "
                        + "instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>")));
        r.add(new Row("virtualport/parameters", List.of("managerid", "typeid", "typeidversion", "instanceid"), "",
                hostBridge("<virtualport type='802.1Qbg'><parameters managerid='11' typeid='1193047' typeidversion='2'/></virtualport>")));
        r.add(new Row("portgroup", List.of("name", "default", "trustGuestRxFilters"), "a port's portgroup: its bandwidth, vlan and virtualport",
                nat("<portgroup name='a' default='yes' trustGuestRxFilters='no'/>")));
        r.add(new Row("portgroup/virtualport", List.of("type='openvswitch'"), "merged into the port's, as libvirt merges them",
                hostBridge(OVS + "<portgroup name='a'><virtualport><parameters profileid='p'/></virtualport></portgroup>")));
        r.add(new Row("portgroup/bandwidth", List.of(), "the rates of the portgroup's ports (tc on their taps)",
                nat("<portgroup name='a'><bandwidth><inbound average='1000'/></bandwidth></portgroup>")));
        r.add(new Row("vlan", List.of("trunk"), "on an Open vSwitch port: tag, trunks (libvirt allows it nowhere else)",
                hostBridge(OVS + "<vlan trunk='yes'><tag id='42'/><tag id='47'/></vlan>")));
        r.add(new Row("vlan/tag", List.of("id", "nativeMode"), "on an Open vSwitch port: tag and vlan_mode native-tagged/untagged",
                hostBridge(OVS + "<vlan trunk='yes'><tag id='42' nativeMode='untagged'/><tag id='47'/></vlan>")));
        r.add(new Row("vlan", List.of(), "", nat("<vlan><tag id='42'/></vlan>")));
        r.add(new Row("bandwidth", List.of("classID"), "the network's rates (HTB on the bridge); classID is a port's status only",
                nat("<bandwidth><inbound average='1000' peak='2000' burst='1024'/><outbound average='500'/></bandwidth>")));
        r.add(new Row("bandwidth/inbound", List.of("average", "peak", "burst", "floor"),
                "tc rates; floor (a port's only, as in libvirt: port XML or port.setBandwidth) a guaranteed share of the "
                        + "network's inbound rate, accounted as libvirt does",
                nat("<bandwidth><inbound average='1000' peak='2000' burst='1024'/></bandwidth>")));
        r.add(new Row("bandwidth/outbound", List.of("average", "peak", "burst"), "ingress policing",
                nat("<bandwidth><outbound average='1000' peak='2000' burst='1024'/></bandwidth>")));
        r.add(new Row("port", List.of("isolated"), "ports isolated from each other on the bridge", nat("<port isolated='yes'/>")));
        r.add(new Row("domain", List.of("name", "localOnly"), "the DNS domain of the network's names", nat("<domain name='example.org' localOnly='yes'/>")));
        r.add(new Row("domain", List.of("register"), "", nat("<domain name='example.org' register='yes'/>")));
        r.add(new Row("dns", List.of("enable", "forwardPlainNames"), "vnetd's own DNS server on the network",
                nat("<dns enable='yes' forwardPlainNames='no'/>")));
        r.add(new Row("dns/forwarder", List.of("addr", "domain"), "upstream servers, per domain",
                nat("<dns><forwarder domain='example.com' addr='8.8.4.4'/></dns>")));
        r.add(new Row("dns/txt", List.of("name", "value"), "TXT records", nat("<dns><txt name='example' value='v'/></dns>")));
        r.add(new Row("dns/srv", List.of("service", "protocol", "domain", "target", "port", "priority", "weight"), "SRV records",
                nat("<dns><srv service='name' protocol='tcp' domain='test-domain-name' target='.' port='1024' priority='10' weight='10'/>"
                        + "</dns>")));
        r.add(new Row("dns/host", List.of("ip"), "A/AAAA records", nat("<dns><host ip='192.168.150.3'><hostname>h</hostname></host></dns>")));
        r.add(new Row("dns/host/hostname", List.of(), "the names of a host record",
                nat("<dns><host ip='192.168.150.3'><hostname>h</hostname><hostname>i</hostname></host></dns>")));
        r.add(new Row("ip", List.of("address", "netmask", "prefix", "family", "localPtr"), "addresses of the bridge; reverse DNS of the subnet",
                ip("") .replace("<ip address='192.168.150.1' netmask='255.255.255.0'>", "<ip address='192.168.150.1' prefix='24' localPtr='yes'>")));
        r.add(new Row("ip/tftp", List.of("root"), "vnetd's own TFTP server", ip("<tftp root='/srv/tftp'/>")));
        r.add(new Row("ip/dhcp/range", List.of("start", "end"), "vnetd's own DHCP server's pool",
                ip("<dhcp><range start='192.168.150.2' end='192.168.150.254'/></dhcp>")));
        r.add(new Row("ip/dhcp/range/lease", List.of("expiry", "unit"), "the pool's lease time",
                ip("<dhcp><range start='192.168.150.2' end='192.168.150.254'><lease expiry='1' unit='hours'/></range></dhcp>")));
        r.add(new Row("ip/dhcp/host", List.of("mac", "id", "name", "ip"), "reservations",
                ip("<dhcp><host mac='52:54:00:0a:0b:0c' name='h' ip='192.168.150.9'/></dhcp>")));
        r.add(new Row("ip/dhcp/host/lease", List.of("expiry", "unit"), "a reservation's lease time",
                ip("<dhcp><host mac='52:54:00:0a:0b:0c' ip='192.168.150.9'><lease expiry='30' unit='minutes'/></host></dhcp>")));
        r.add(new Row("ip/dhcp/bootp", List.of("file", "server"), "the DHCP boot file and server",
                ip("<dhcp><range start='192.168.150.2' end='192.168.150.254'/><bootp file='pxelinux.0' server='192.168.150.1'/></dhcp>")));
        r.add(new Row("route", List.of("family", "address", "netmask", "prefix", "gateway", "metric"), "static routes via a guest",
                ip("").replace("</network>", "<route address='10.24.0.0' prefix='16' gateway='192.168.150.2' metric='1'/></network>")));
        r.add(new Row("dnsmasq:options/dnsmasq:option", List.of("value"), "applied by vnetd's own DHCP and DNS servers as dnsmasq "
                + "would: `dhcp-option=[option:]NAME|CODE[,VALUE…]` for router (3), dns-server (6), domain-name (15), mtu (26), "
                + "ntp-server (42), netbios-ns (44) and domain-search (119), sent instead of vnetd's own value, or not at all "
                + "without a value (`dhcp-option=3`), `0.0.0.0` standing for the server; `address=/DOMAIN/…/[ADDRESS]` (A/AAAA "
                + "for the domains and the names below them, NXDOMAIN without an address); `server=/DOMAIN/…/[ADDRESS[#PORT]]` "
                + "and `local=/DOMAIN/` (as `<forwarder domain>`); `domain-needed` (as `forwardPlainNames='no'`); "
                + "`dhcp-authoritative` (vnetd's DHCP server is); every other option is refused, named (next row)",
                "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'><name>n</name>" + UUID
                        + "<bridge name='virbr5'/><dnsmasq:options><dnsmasq:option value='dhcp-option=3'/>"
                        + "<dnsmasq:option value='address=/lab.example/10.0.0.7'/></dnsmasq:options></network>"));
        r.add(new Row("dnsmasq:options/dnsmasq:option", List.of("value"), "",
                "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'><name>n</name>" + UUID
                        + "<bridge name='virbr5'/><dnsmasq:options><dnsmasq:option value='foo=bar'/></dnsmasq:options></network>"));
        return List.copyOf(r);
    }

    /** What vnetd does with the network of {@code row}: the row's text, or the refusal a user gets. */
    public static String verdict(Row row) {
        NetworkDef def;
        try {
            def = NetworkXml.parse(row.network());
            NetworkXml.validate(NetworkXml.copy(def));
        } catch (VnetException e) {
            return "refused, as libvirt refuses it: " + e.getMessage();
        }
        List<UnappliedElements.Refusal> refused = UnappliedElements.of(def);
        if (!refused.isEmpty()) {
            return "**refused** at define and start: " + refused.stream().map(r -> "`" + r.element() + "` (" + r.why() + ")")
                    .collect(Collectors.joining("; "));
        }
        if (row.applied().isEmpty()) {
            throw new IllegalStateException("row " + row.element() + " " + row.attributes()
                    + " is accepted by the code but says nothing of what vnetd does with it");
        }
        return row.applied();
    }

    /** The whole document, as {@code docs/network-xml-elements.md} holds it. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# libvirt's network XML in vnetd, element by element\n\n");
        b.append("Generated from the code (`NetworkElementsTable` in vnetd-core: each row's network is checked as `net-define`\n");
        b.append("checks it); `NetworkElementsTableTest` fails when this file is stale, and rewrites it with\n");
        b.append("`-Dvnetd.writeDocs=true`. Every element and attribute of libvirt's network.rng and networkcommon.rng has a row.\n");
        b.append("A refused element is refused at define (JSON RPC and libvirt protocol), at start and at create, with the\n");
        b.append("message below (error 16, OPERATION_UNSUPPORTED; libvirt's `VIR_ERR_CONFIG_UNSUPPORTED`).\n\n");
        b.append("| element | attributes | what vnetd does |\n|---|---|---|\n");
        for (Row row : rows()) {
            b.append("| `").append(row.element()).append("` | ")
                    .append(row.attributes().stream().map(a -> "`" + a + "`").collect(Collectors.joining(" ")))
                    .append(" | ").append(verdict(row).replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }
}
