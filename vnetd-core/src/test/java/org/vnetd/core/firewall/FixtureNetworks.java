package org.vnetd.core.firewall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.testing.Conformance;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads libvirt's networkxml2firewalldata XML into {@link FirewallNetwork} with the JDK's DOM, until
 * the XML model (branch xml, NetworkXml.parse) is merged; then this is replaced by
 * FirewallNetworks.from(NetworkDef). Reads only what the firewall needs.
 */
final class FixtureNetworks {
    static final Path DIR = Conformance.libvirtTests("networkxml2firewalldata");

    private FixtureNetworks() {
    }

    /** Fixture names (XML file names without .xml), sorted. */
    static List<String> names() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FirewallNetwork load(String name) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(DIR.resolve(name + ".xml").toFile());
            return from(doc.getDocumentElement());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read fixture " + name + ": " + e, e);
        }
    }

    static FirewallNetwork from(Element net) {
        String name = text(child(net, "name"));
        String bridge = child(net, "bridge").map(b -> b.getAttribute("name")).orElseThrow();
        Optional<Element> fwd = child(net, "forward");
        ForwardMode mode = fwd.map(f -> ForwardMode.fromLibvirt(f.getAttribute("mode"))).orElse(ForwardMode.ISOLATED);
        Optional<String> dev = fwd.map(f -> f.getAttribute("dev")).filter(d -> !d.isEmpty());
        Optional<Element> nat = fwd.flatMap(f -> child(f, "nat"));
        boolean natIpv6 = nat.map(n -> n.getAttribute("ipv6").equals("yes")).orElse(false);
        Optional<PortRange> ports = nat.flatMap(n -> child(n, "port"))
                .map(p -> new PortRange(Integer.parseInt(p.getAttribute("start")), Integer.parseInt(p.getAttribute("end"))));
        Optional<NatAddressRange> addrs = nat.flatMap(n -> child(n, "address")).map(a -> new NatAddressRange(
                IpAddresses.parse(a.getAttribute("start")),
                Optional.of(a.getAttribute("end")).filter(e -> !e.isEmpty()).map(IpAddresses::parse)));
        boolean dns = child(net, "dns").map(d -> !d.getAttribute("enable").equals("no")).orElse(true);
        boolean guestIpv6 = net.getAttribute("ipv6").equals("yes");
        List<FirewallIp> ips = new ArrayList<>();
        for (Element ip : children(net, "ip")) {
            var address = IpAddresses.parse(ip.getAttribute("address"));
            int prefix;
            if (!ip.getAttribute("prefix").isEmpty()) {
                prefix = Integer.parseInt(ip.getAttribute("prefix"));
            } else if (!ip.getAttribute("netmask").isEmpty()) {
                prefix = IpAddresses.toBigInteger(IpAddresses.parse(ip.getAttribute("netmask"))).bitCount();
            } else {
                prefix = IpPrefix.maxLength(address) == 32 ? 24 : 64;
            }
            Optional<Element> dhcp = child(ip, "dhcp");
            boolean servesDhcp = dhcp.map(d -> !children(d, "range").isEmpty() || !children(d, "host").isEmpty()).orElse(false);
            ips.add(new FirewallIp(new IpPrefix(address, prefix), servesDhcp, child(ip, "tftp").isPresent()));
        }
        return new FirewallNetwork(name, bridge, mode, dev, ips, addrs, ports, natIpv6, dns, guestIpv6);
    }

    private static String text(Optional<Element> e) {
        return e.map(Element::getTextContent).map(String::trim).orElseThrow();
    }

    private static Optional<Element> child(Element parent, String tag) {
        List<Element> c = children(parent, tag);
        return c.isEmpty() ? Optional.empty() : Optional.of(c.get(0));
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }
}
