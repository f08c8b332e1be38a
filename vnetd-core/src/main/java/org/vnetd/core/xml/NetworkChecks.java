package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlValues.invalid;
import static org.vnetd.core.xml.XmlValues.mac;
import static org.vnetd.core.xml.XmlValues.parse;
import static org.vnetd.core.xml.XmlValues.tristate;
import static org.vnetd.core.xml.XmlValues.uint;
import static org.vnetd.core.xml.XmlValues.uuid;

import org.vnetd.core.net.MacAddress;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.DnsmasqOptionDef;
import org.vnetd.core.xml.model.DomainDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.PortGroupDef;

/**
 * The checks libvirt's virNetworkDefParseXML makes while reading a network, in the same order and
 * with the same messages, plus canonicalisation of the kept text (addresses, MACs, UUID, numbers)
 * so that formatting writes what libvirt writes. Each section has its own class; this one checks the
 * top-level elements and calls them in libvirt's order. It fills in nothing the XML does not give.
 */
final class NetworkChecks {
    private NetworkChecks() {
    }

    static void check(NetworkDef def) {
        String name = def.getName();
        if (name == null) {
            throw parse("network XML has no <name>: missing name information");
        }
        if (name.indexOf('/') >= 0) {
            throw invalid("invalid character '/' in network name '%s'", name);
        }
        if (def.getUuid() != null) {
            // an absent uuid stays absent: identity is the driver's to assign (libvirt's uuid_specified)
            def.setUuid(uuid(def.getUuid(), "uuid element"));
        }
        if (def.getTitle() != null && def.getTitle().indexOf('\n') >= 0) {
            throw invalid("Network title can't contain newlines (network '%s')", name);
        }
        if (def.getIpv6() != null) {
            String v = def.getIpv6();
            if (!v.equals("yes") && !v.equals("no")) {
                throw invalid("Invalid ipv6 setting '%s' in network '%s'", v, name);
            }
        }
        def.setTrustGuestRxFilters(tristate(def.getTrustGuestRxFilters(), "trustGuestRxFilters", "network"));
        domain(def.getDomain());
        if (def.getBandwidth() != null) {
            def.setBandwidth(PortProfileChecks.bandwidth(def.getBandwidth(), false));
        }
        if (def.getVlan() != null) {
            PortProfileChecks.vlan(def.getVlan());
        }
        if (def.getPort() != null) {
            def.getPort().setIsolated(tristate(def.getPort().getIsolated(), "isolated", "port"));
        }
        bridge(def, name);
        if (def.getMac() != null && def.getMac().getAddress() != null) {
            String mac = def.getMac().getAddress();
            MacAddress m = mac(mac, "Invalid bridge mac address '%s' in network '%s'", name);
            if (m.isMulticast()) {
                throw invalid("Invalid multicast bridge mac address '%s' in network '%s'", mac, name);
            }
            def.getMac().setAddress(m.toString());
        } else {
            def.setMac(null);
        }
        if (def.getMtu() != null && def.getMtu().getSize() != null) {
            def.getMtu().setSize(uint(def.getMtu().getSize(), 0xFFFFFFFFL,
                    String.format("Invalid mtu size '%s' in network '%s'", def.getMtu().getSize(), name)));
        }
        if (def.getDns() != null) {
            DnsChecks.dns(name, def.getDns());
        }
        if (def.getVirtualPort() != null) {
            PortProfileChecks.virtualPort(def.getVirtualPort(), true);
        }
        for (PortGroupDef pg : def.getPortGroups()) {
            PortProfileChecks.portGroup(pg);
        }
        for (IpDef ip : def.getIps()) {
            IpChecks.ip(name, ip);
        }
        RouteChecks.routes(name, def);
        ForwardMode mode = ForwardMode.NONE;
        if (def.getForward() != null) {
            mode = ForwardChecks.forward(name, def.getForward());
        }
        ForwardChecks.modeChecks(def, name, mode);
        if (def.getDnsmasqOptions() != null) {
            for (DnsmasqOptionDef o : def.getDnsmasqOptions().getOptions()) {
                if (o.getValue() == null) {
                    throw parse("No dnsmasq options value specified in network '%s'", name);
                }
            }
        }
        OvnChecks.check(name, def);
    }

    private static void domain(DomainDef d) {
        if (d == null) {
            return;
        }
        d.setLocalOnly(tristate(d.getLocalOnly(), "localOnly", "domain"));
        d.setRegister(tristate(d.getRegister(), "register", "domain"));
    }

    private static void bridge(NetworkDef def, String name) {
        BridgeDef b = def.getBridge();
        if (b == null) {
            return;
        }
        if (b.getDelay() != null) {
            b.setDelay(uint(b.getDelay(), Long.MAX_VALUE,
                    String.format("Invalid delay value in network '%s'", name)));
        }
        if (b.getMacTableManager() != null) {
            String m = b.getMacTableManager();
            if (!m.equals("kernel") && !m.equals("libvirt")) {
                throw invalid("Invalid macTableManager setting '%s' in network '%s'", m, name);
            }
        }
    }
}
