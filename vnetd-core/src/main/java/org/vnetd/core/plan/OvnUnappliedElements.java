package org.vnetd.core.plan;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.DnsDef;
import org.vnetd.core.xml.model.DnsForwarderDef;
import org.vnetd.core.xml.model.NatDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.PortGroupDef;
import org.vnetd.core.xml.model.RouteDef;

/**
 * What a network bound to OVN ({@code <vnetd:ovn>}) declares but the OVN mapping does not put into the
 * northbound database nor onto its ports: there is no local bridge, dnsmasq or firewall of vnetd's for such
 * a network, so what only those would apply is not applied at all. The mapper's own refusals (forward modes,
 * IPv6, several {@code <ip>}, tftp/bootp) stay where the rows are derived.
 */
final class OvnUnappliedElements {
    private static final String NO_BRIDGE = "the network has no bridge of vnetd's";

    private OvnUnappliedElements() {
    }

    static List<UnappliedElements.Refusal> of(NetworkDef def) {
        List<UnappliedElements.Refusal> out = new ArrayList<>();
        if (def.ovn().isEmpty()) {
            return out;
        }
        if ("yes".equals(def.getTrustGuestRxFilters())) {
            out.add(refusal("<network trustGuestRxFilters='yes'>", "vnetd does not pass it to a port"));
        }
        NatDef nat = def.getForward() == null ? null : def.nat();
        if (nat != null && !nat.getAddresses().isEmpty()) {
            out.add(refusal("<nat><address>", "the router's SNAT takes the uplinkAddress of <vnetd:ovn>"));
        }
        if (nat != null && !nat.getPorts().isEmpty()) {
            out.add(refusal("<nat><port>", "the router's SNAT has no port range"));
        }
        BridgeDef b = def.getBridge();
        if (b != null && b.getZone() != null) {
            out.add(refusal("<bridge zone='" + b.getZone() + "'>", NO_BRIDGE + " to put in a firewalld zone"));
        }
        if (b != null && b.getMacTableManager() != null && !"kernel".equals(b.getMacTableManager())) {
            out.add(refusal("<bridge macTableManager='" + b.getMacTableManager() + "'>", NO_BRIDGE + " whose FDB it programs"));
        }
        if (def.getDomain() != null && "yes".equals(def.getDomain().getLocalOnly())) {
            out.add(refusal("<domain localOnly='yes'>", "OVN's DNS responder passes on queries for names it has no record of"));
        }
        dns(def.getDns(), out);
        if (def.getVlan() != null) {
            out.add(refusal("<vlan>", "vnetd does not tag a port's traffic"));
        }
        if (def.getBandwidth() != null) {
            out.add(refusal("<bandwidth>", "vnetd sets no QoS rows and " + NO_BRIDGE + " to shape"));
        }
        if (def.getPort() != null && "yes".equals(def.getPort().getIsolated())) {
            out.add(refusal("<port isolated='yes'>", "vnetd does not keep ports from one another (no port security or ACL rows)"));
        }
        for (RouteDef r : def.getRoutes()) {
            out.add(refusal("<route address='" + r.getAddress() + "'>", "vnetd adds no static route to the logical router"));
        }
        for (PortGroupDef pg : def.getPortGroups()) {
            out.add(refusal("<portgroup name='" + pg.getName() + "'>",
                    "vnetd applies no portgroup (nor its bandwidth, vlan or virtualport) to a port"));
        }
        if (def.getDnsmasqOptions() != null && !def.getDnsmasqOptions().getOptions().isEmpty()) {
            out.add(refusal("<dnsmasq:options>", "no dnsmasq runs for the network"));
        }
        return out;
    }

    private static void dns(DnsDef dns, List<UnappliedElements.Refusal> out) {
        if (dns == null) {
            return;
        }
        if ("no".equals(dns.getEnable())) {
            out.add(refusal("<dns enable='no'>", "the DHCP options always name a DNS server and OVN answers the network's names"));
        }
        if ("no".equals(dns.getForwardPlainNames())) {
            out.add(refusal("<dns forwardPlainNames='no'>", "OVN's DNS responder passes on queries for names it has no record of"));
        }
        for (DnsForwarderDef f : dns.getForwarders()) {
            if (f.getDomain() != null || f.getPort() != null) {
                out.add(refusal("<forwarder" + (f.getDomain() != null ? " domain='" + f.getDomain() + "'" : "")
                        + (f.getPort() != null ? " port='" + f.getPort() + "'" : "") + ">",
                        "a forwarder is only handed to guests as their DHCP DNS server, for all names on port 53"));
            } else if (f.getAddr() != null && !(IpAddresses.parse(f.getAddr()) instanceof Inet4Address)) {
                out.add(refusal("<forwarder addr='" + f.getAddr() + "'>", "only IPv4 forwarders are handed to guests (DHCPv4)"));
            }
        }
        if (!dns.getTxts().isEmpty()) {
            out.add(refusal("<dns><txt>", "OVN's DNS responder answers A/AAAA/PTR records only"));
        }
        if (!dns.getSrvs().isEmpty()) {
            out.add(refusal("<dns><srv>", "OVN's DNS responder answers A/AAAA/PTR records only"));
        }
    }

    private static UnappliedElements.Refusal refusal(String element, String why) {
        return new UnappliedElements.Refusal(element, "not applied on OVN: " + why);
    }
}
