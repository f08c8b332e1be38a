package org.vnetd.cli.doctor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import org.vnetd.cli.output.XmlDump;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.Port;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.ovn.OvnNetworkMapper;
import org.vnetd.core.ovn.OvnNorthboundPlan;
import org.vnetd.core.xml.NetworkXml;

/**
 * What doctor knows about one network, from the daemon: its summary, the forward mode, subnets and DHCP
 * ranges read from its XML, its leases and ports (empty when it is not running); for a network on OVN its
 * northbound database and the digest of the rows its definition maps to ({@link OvnNorthboundPlan#digest}).
 */
public record NetworkFacts(NetworkSummary summary, String forwardMode, List<IpPrefix> subnets, List<Range> dhcpRanges,
                           List<Lease> leases, List<Port> ports, Optional<String> ovnNorthbound, Optional<String> ovnDefinition) {

    /** An inclusive address range of a {@code <dhcp><range>}. */
    public record Range(BigInteger start, BigInteger end, boolean ipv4) {
        public BigInteger size() {
            return end.subtract(start).add(BigInteger.ONE);
        }

        public boolean contains(BigInteger a) {
            return a.compareTo(start) >= 0 && a.compareTo(end) <= 0;
        }
    }

    /** Without an OVN binding. */
    public NetworkFacts(NetworkSummary summary, String forwardMode, List<IpPrefix> subnets, List<Range> dhcpRanges,
            List<Lease> leases, List<Port> ports) {
        this(summary, forwardMode, subnets, dhcpRanges, leases, ports, Optional.empty(), Optional.empty());
    }

    public NetworkFacts {
        subnets = List.copyOf(subnets);
        dhcpRanges = List.copyOf(dhcpRanges);
        leases = List.copyOf(leases);
        ports = List.copyOf(ports);
    }

    public static NetworkFacts of(NetworkSummary summary, String xml, List<Lease> leases, List<Port> ports) {
        Document doc = XmlDump.parse(xml);
        Element root = doc.getDocumentElement();
        String forward = "none";
        NodeList fw = root.getElementsByTagName("forward");
        if (fw.getLength() > 0) {
            String mode = ((Element) fw.item(0)).getAttribute("mode");
            forward = mode.isEmpty() ? "nat" : mode;
        }
        List<IpPrefix> subnets = new ArrayList<>();
        List<Range> ranges = new ArrayList<>();
        NodeList ips = root.getElementsByTagName("ip");
        for (int i = 0; i < ips.getLength(); i++) {
            Element ip = (Element) ips.item(i);
            if (!(ip.getParentNode() instanceof Element p) || !p.getTagName().equals("network")) {
                continue;
            }
            String address = ip.getAttribute("address");
            if (address.isEmpty()) {
                continue;
            }
            int prefix;
            if (!ip.getAttribute("prefix").isEmpty()) {
                prefix = Integer.parseInt(ip.getAttribute("prefix").trim());
            } else if (!ip.getAttribute("netmask").isEmpty()) {
                prefix = IpAddresses.toBigInteger(IpAddresses.parse(ip.getAttribute("netmask"))).bitCount();
            } else {
                prefix = address.contains(":") ? 64 : 24;
            }
            subnets.add(new IpPrefix(IpAddresses.parse(address), prefix).networkPrefix());
            NodeList rs = ip.getElementsByTagName("range");
            for (int k = 0; k < rs.getLength(); k++) {
                Element r = (Element) rs.item(k);
                if (r.getAttribute("start").isEmpty() || r.getAttribute("end").isEmpty()) {
                    continue;
                }
                ranges.add(new Range(IpAddresses.toBigInteger(IpAddresses.parse(r.getAttribute("start"))),
                        IpAddresses.toBigInteger(IpAddresses.parse(r.getAttribute("end"))), !address.contains(":")));
            }
        }
        Optional<String> northbound = Optional.empty();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && "ovn".equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName().replaceFirst(".*:", ""))
                    && !e.getAttribute("northbound").isEmpty()) {
                northbound = Optional.of(e.getAttribute("northbound"));
            }
        }
        return new NetworkFacts(summary, forward, subnets, ranges, leases, ports, northbound,
                northbound.isPresent() ? ovnDefinition(xml) : Optional.empty());
    }

    /** What the definition makes in OVN, as the daemon writes it on the switch; empty if vnetd would not map it. */
    private static Optional<String> ovnDefinition(String xml) {
        try {
            return Optional.of(OvnNorthboundPlan.digest(OvnNetworkMapper.map(NetworkXml.parse(xml))));
        } catch (RuntimeException e) {
            return Optional.empty(); // the start refuses it and says why; nothing to compare
        }
    }

    public String name() {
        return summary.name();
    }

    public boolean forwards() {
        return forwardMode.equals("nat") || forwardMode.equals("route") || forwardMode.equals("open");
    }
}
