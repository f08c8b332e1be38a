package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlBuf.positive;

import org.vnetd.core.xml.model.DnsDef;
import org.vnetd.core.xml.model.DnsForwarderDef;
import org.vnetd.core.xml.model.DnsHostDef;
import org.vnetd.core.xml.model.DnsSrvDef;
import org.vnetd.core.xml.model.DnsTxtDef;

/** {@code <dns>}: forwarders, TXT, SRV and host records, as libvirt's virNetworkDNSDefFormat writes them. */
final class DnsFormatter {
    private final XmlBuf buf;

    DnsFormatter(XmlBuf buf) {
        this.buf = buf;
    }

    void write(DnsDef dns) {
        boolean children = !dns.getForwarders().isEmpty() || !dns.getHosts().isEmpty()
                || !dns.getSrvs().isEmpty() || !dns.getTxts().isEmpty();
        if (dns.getEnable() == null && dns.getForwardPlainNames() == null && !children) {
            return;
        }
        buf.add("<dns").attr("enable", dns.getEnable()).attr("forwardPlainNames", dns.getForwardPlainNames());
        if (!children) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2);
        for (DnsForwarderDef f : dns.getForwarders()) {
            buf.add("<forwarder").attr("domain", f.getDomain()).attr("addr", f.getAddr());
            if (positive(f.getPort())) {
                buf.attr("port", f.getPort());
            }
            buf.add("/>\n");
        }
        for (DnsTxtDef t : dns.getTxts()) {
            buf.add("<txt").attr("name", t.getName()).attr("value", t.getValue()).add("/>\n");
        }
        for (DnsSrvDef s : dns.getSrvs()) {
            if (s.getService() == null || s.getProtocol() == null) {
                continue;
            }
            buf.add("<srv").attr("service", s.getService()).attr("protocol", s.getProtocol())
                    .attr("domain", s.getDomain()).attr("target", s.getTarget());
            if (positive(s.getPort())) {
                buf.attr("port", s.getPort());
            }
            if (positive(s.getPriority())) {
                buf.attr("priority", s.getPriority());
            }
            if (positive(s.getWeight())) {
                buf.attr("weight", s.getWeight());
            }
            buf.add("/>\n");
        }
        for (DnsHostDef h : dns.getHosts()) {
            buf.add("<host").attr("ip", h.getIp()).add(">\n").indent(2);
            for (String name : h.getHostnames()) {
                buf.add("<hostname>").add(XmlBuf.escape(name)).add("</hostname>\n");
            }
            buf.indent(-2).add("</host>\n");
        }
        buf.indent(-2).add("</dns>\n");
    }
}
