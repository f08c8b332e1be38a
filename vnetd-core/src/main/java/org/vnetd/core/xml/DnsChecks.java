package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlValues.invalid;
import static org.vnetd.core.xml.XmlValues.only;
import static org.vnetd.core.xml.XmlValues.parse;
import static org.vnetd.core.xml.XmlValues.parseUnsigned;
import static org.vnetd.core.xml.XmlValues.tristate;
import static org.vnetd.core.xml.XmlValues.uint;

import java.net.InetAddress;
import org.vnetd.core.xml.model.DnsDef;
import org.vnetd.core.xml.model.DnsForwarderDef;
import org.vnetd.core.xml.model.DnsHostDef;
import org.vnetd.core.xml.model.DnsSrvDef;
import org.vnetd.core.xml.model.DnsTxtDef;

/** The parse-time checks of {@code <dns>} (virNetworkDNSDefParseXML and its host, SRV and TXT parts), also used by net-update. */
final class DnsChecks {
    static final String SERVICE_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/*";
    static final String PROTOCOL_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+/";

    /** dnsmasq's limit for an SRV service name (DNS_RECORD_LENGTH_SRV). */
    static final int DNS_RECORD_LENGTH_SRV = 512 - 30;

    private DnsChecks() {
    }

    static void dns(String name, DnsDef dns) {
        dns.setEnable(tristate(dns.getEnable(), "enable", "dns"));
        dns.setForwardPlainNames(tristate(dns.getForwardPlainNames(), "forwardPlainNames", "dns"));
        for (DnsForwarderDef f : dns.getForwarders()) {
            if (f.getAddr() != null) {
                InetAddress a = Addr.tryParse(f.getAddr());
                if (a == null) {
                    throw invalid("Invalid forwarder IP address '%s' in network '%s'", f.getAddr(), name);
                }
                f.setAddr(Addr.format(a));
            }
            if (f.getAddr() == null && f.getDomain() == null) {
                throw parse("Invalid forwarder element, must contain at least one of addr or domain (network '%s')", name);
            }
            if (f.getPort() != null) {
                f.setPort(uint(f.getPort(), 65535,
                        String.format("Invalid forwarder port '%s' in network '%s'", f.getPort(), name)));
            }
        }
        for (DnsHostDef h : dns.getHosts()) {
            dnsHost(name, h, false);
        }
        for (DnsSrvDef s : dns.getSrvs()) {
            srv(name, s, false);
        }
        for (DnsTxtDef t : dns.getTxts()) {
            txt(name, t, false);
        }
        if ("no".equals(dns.getEnable()) && (!dns.getForwarders().isEmpty() || !dns.getHosts().isEmpty()
                || !dns.getSrvs().isEmpty() || !dns.getTxts().isEmpty())) {
            throw parse("Extra data in disabled network '%s'", name);
        }
    }

    static void dnsHost(String name, DnsHostDef h, boolean partialOkay) {
        for (String hn : h.getHostnames()) {
            if (hn == null || hn.isEmpty()) {
                throw invalid("Missing hostname in network '%s' DNS HOST record", name);
            }
        }
        if (h.getHostnames().isEmpty() && !partialOkay) {
            throw invalid("Missing hostname in network '%s' DNS HOST record", name);
        }
        if (h.getIp() != null) {
            InetAddress a = Addr.tryParse(h.getIp());
            if (a == null) {
                throw invalid("Invalid IP address in network '%s' DNS HOST record", name);
            }
            h.setIp(Addr.format(a));
        } else {
            if (!partialOkay) {
                throw invalid("Missing IP address in network '%s' DNS HOST record", name);
            }
            if (h.getHostnames().isEmpty()) {
                throw invalid("Missing ip and hostname in network '%s' DNS HOST record", name);
            }
        }
    }

    static void srv(String name, DnsSrvDef s, boolean partialOkay) {
        String service = s.getService();
        if (service == null && !partialOkay) {
            throw invalid("missing required service attribute in DNS SRV record of network '%s'", name);
        }
        if (service != null) {
            if (service.length() > DNS_RECORD_LENGTH_SRV) {
                throw invalid("service attribute '%s' in network '%s' is too long, limit is %d bytes",
                        service, name, DNS_RECORD_LENGTH_SRV);
            }
            if (!only(service, SERVICE_CHARS)) {
                throw invalid("invalid character in service attribute '%s' in DNS SRV record of network '%s'",
                        service, name);
            }
        }
        if (s.getProtocol() == null && !partialOkay) {
            throw invalid("missing required protocol attribute in DNS SRV record '%s' of network '%s'", service, name);
        }
        if (s.getProtocol() != null && !only(s.getProtocol(), PROTOCOL_CHARS)) {
            throw invalid("invalid character in protocol attribute '%s' in DNS SRV record of network '%s'",
                    s.getProtocol(), name);
        }
        s.setPort(srvNumber(s.getPort(), "port", 1, s, name));
        s.setPriority(srvNumber(s.getPriority(), "priority", 0, s, name));
        s.setWeight(srvNumber(s.getWeight(), "weight", 0, s, name));
    }

    private static String srvNumber(String v, String attr, long min, DnsSrvDef s, String name) {
        if (v == null) {
            return null;
        }
        Long n = parseUnsigned(v);
        if (n != null && s.getTarget() == null) {
            throw invalid("DNS SRV %s attribute not permitted without target for service '%s' in network '%s'",
                    attr, s.getService(), name);
        }
        if (n == null || n < min || n > 65535) {
            throw invalid("invalid DNS SRV %s attribute for service '%s' in network '%s'", attr, s.getService(), name);
        }
        return Long.toString(n);
    }

    static void txt(String name, DnsTxtDef t, boolean partialOkay) {
        if (t.getName() == null) {
            throw invalid("missing required name attribute in DNS TXT record of network %s", name);
        }
        if (t.getName().indexOf(' ') >= 0 || t.getName().indexOf(',') >= 0) {
            throw invalid("prohibited character in DNS TXT record name '%s' of network %s", t.getName(), name);
        }
        if (t.getValue() == null && !partialOkay) {
            throw invalid("missing required value attribute in DNS TXT record named '%s' of network %s",
                    t.getName(), name);
        }
    }
}
