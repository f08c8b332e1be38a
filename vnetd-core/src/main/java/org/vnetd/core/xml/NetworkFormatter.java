package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlBuf.positive;

import java.util.Optional;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.DnsmasqOptionDef;
import org.vnetd.core.xml.model.DnsmasqOptionsDef;
import org.vnetd.core.xml.model.DomainDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.OvnDef;
import org.vnetd.core.xml.model.PortGroupDef;
import org.vnetd.core.xml.model.RouteDef;

/**
 * Writes a {@link NetworkDef} the way libvirt's virNetworkDefFormatBuf does: same element and
 * attribute order, the same defaults filled in (bridge stp/delay, forward mode, managed), the same
 * omissions (zero values, empty sections), single quotes, two-space indent. It writes the network's own
 * elements and leaves each larger group to its formatter, all into one buffer: {@link ForwardFormatter},
 * {@link DnsFormatter}, {@link IpFormatter} and {@link PortProfileFormatter}.
 */
final class NetworkFormatter {
    private final boolean inactive;
    private final XmlBuf buf = new XmlBuf();
    private final ForwardFormatter forwards;
    private final DnsFormatter dns;
    private final IpFormatter ips;
    private final PortProfileFormatter portProfiles;

    private NetworkFormatter(boolean inactive) {
        this.inactive = inactive;
        this.forwards = new ForwardFormatter(buf, inactive);
        this.dns = new DnsFormatter(buf);
        this.ips = new IpFormatter(buf);
        this.portProfiles = new PortProfileFormatter(buf);
    }

    static String format(NetworkDef def, boolean inactive) {
        NetworkFormatter f = new NetworkFormatter(inactive);
        f.network(def);
        return f.buf.toString();
    }

    private void network(NetworkDef def) {
        boolean hasDnsmasq = def.getDnsmasqOptions() != null && !def.getDnsmasqOptions().getOptions().isEmpty();
        buf.add("<network");
        if (hasDnsmasq) {
            buf.attr("xmlns:dnsmasq", DnsmasqOptionsDef.NS);
        }
        Optional<OvnDef> ovn = def.ovn();
        if (ovn.isPresent()) {
            buf.attr("xmlns:vnetd", OvnDef.NS);
        }
        if (!inactive && positive(def.getConnections())) {
            buf.attr("connections", def.getConnections());
        }
        if ("yes".equals(def.getIpv6())) {
            buf.attr("ipv6", "yes");
        }
        buf.attr("trustGuestRxFilters", def.getTrustGuestRxFilters());
        buf.add(">\n").indent(2);
        buf.add("<name>").add(XmlBuf.escape(nn(def.getName()))).add("</name>\n");
        if (def.getUuid() != null) {
            buf.add("<uuid>").add(def.getUuid()).add("</uuid>\n");
        }
        if (def.getTitle() != null) {
            buf.add("<title>").add(XmlBuf.escape(def.getTitle())).add("</title>\n");
        }
        if (def.getDescription() != null) {
            buf.add("<description>").add(XmlBuf.escape(def.getDescription())).add("</description>\n");
        }
        if (def.getMetadata() != null) {
            buf.add(MetadataWriter.write(def.getMetadata().getElements(), 1)).add("\n");
        }
        ForwardMode mode = def.forwardMode();
        if (def.getForward() != null) {
            forwards.write(def.getForward(), mode);
        }
        bridge(def.getBridge(), mode);
        if (def.getMtu() != null && positive(def.getMtu().getSize())) {
            buf.add("<mtu").attr("size", def.getMtu().getSize()).add("/>\n");
        }
        if (def.getMac() != null && def.getMac().getAddress() != null) {
            buf.add("<mac").attr("address", def.getMac().getAddress()).add("/>\n");
        }
        domain(def.getDomain());
        if (def.getDns() != null) {
            dns.write(def.getDns());
        }
        portProfiles.vlan(def.getVlan());
        portProfiles.bandwidth(def.getBandwidth());
        if (def.getPort() != null && def.getPort().getIsolated() != null) {
            buf.add("<port").attr("isolated", def.getPort().getIsolated()).add("/>\n");
        }
        for (IpDef ip : def.getIps()) {
            ips.write(ip);
        }
        for (RouteDef r : def.getRoutes()) {
            route(r);
        }
        portProfiles.virtualPort(def.getVirtualPort());
        for (PortGroupDef pg : def.getPortGroups()) {
            portProfiles.portGroup(pg);
        }
        if (hasDnsmasq) {
            buf.add("<dnsmasq:options>\n").indent(2);
            for (DnsmasqOptionDef o : def.getDnsmasqOptions().getOptions()) {
                buf.add("<dnsmasq:option").attr("value", o.getValue()).add("/>\n");
            }
            buf.indent(-2).add("</dnsmasq:options>\n");
        }
        // vnetd's own element comes last, after libvirt's namespaced data
        ovn.ifPresent(o -> buf.add("<vnetd:ovn").attr("northbound", o.getNorthbound()).attr("switch", o.getLogicalSwitch())
                .attr("gatewayChassis", o.getGatewayChassis()).attr("uplink", o.getUplink())
                .attr("uplinkAddress", o.getUplinkAddress()).attr("uplinkGateway", o.getUplinkGateway()).add("/>\n"));
        buf.indent(-2).add("</network>\n");
    }

    private void bridge(BridgeDef b, ForwardMode mode) {
        boolean hasBridge = mode.hasBridge();
        String name = b == null ? null : b.getName();
        String mtm = b == null || "default".equals(b.getMacTableManager()) ? null : b.getMacTableManager();
        if (!hasBridge && name == null && mtm == null) {
            return;
        }
        buf.add("<bridge").attr("name", name).attr("zone", b == null ? null : b.getZone());
        if (hasBridge) {
            boolean stp = b == null || !"off".equals(b.getStp());
            buf.attr("stp", stp ? "on" : "off").attr("delay", b == null || b.getDelay() == null ? "0" : b.getDelay());
        }
        buf.attr("macTableManager", mtm).add("/>\n");
    }

    private void domain(DomainDef d) {
        if (d == null || d.getName() == null) {
            return;
        }
        buf.add("<domain").attr("name", d.getName()).attr("localOnly", d.getLocalOnly())
                .attr("register", d.getRegister()).add("/>\n");
    }

    private void route(RouteDef r) {
        buf.add("<route").attr("family", r.getFamily()).attr("address", r.getAddress())
                .attr("netmask", r.getNetmask()).attr("prefix", r.getPrefix()).attr("gateway", r.getGateway());
        if (positive(r.getMetric())) {
            buf.attr("metric", r.getMetric());
        }
        buf.add("/>\n");
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }
}
