package org.vnetd.core.xml;

import java.util.List;
import java.util.Optional;
import org.vnetd.core.xml.model.BandwidthDef;
import org.vnetd.core.xml.model.BandwidthRateDef;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.DhcpDef;
import org.vnetd.core.xml.model.DhcpHostDef;
import org.vnetd.core.xml.model.DhcpRangeDef;
import org.vnetd.core.xml.model.DnsDef;
import org.vnetd.core.xml.model.DnsForwarderDef;
import org.vnetd.core.xml.model.DnsHostDef;
import org.vnetd.core.xml.model.DnsSrvDef;
import org.vnetd.core.xml.model.DnsTxtDef;
import org.vnetd.core.xml.model.DnsmasqOptionDef;
import org.vnetd.core.xml.model.DnsmasqOptionsDef;
import org.vnetd.core.xml.model.DomainDef;
import org.vnetd.core.xml.model.ForwardDef;
import org.vnetd.core.xml.model.ForwardDriverDef;
import org.vnetd.core.xml.model.ForwardInterfaceDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.LeaseDef;
import org.vnetd.core.xml.model.NatAddressDef;
import org.vnetd.core.xml.model.NatDef;
import org.vnetd.core.xml.model.NatPortDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.OvnDef;
import org.vnetd.core.xml.model.PciAddressDef;
import org.vnetd.core.xml.model.PortGroupDef;
import org.vnetd.core.xml.model.RouteDef;
import org.vnetd.core.xml.model.VirtualPortDef;
import org.vnetd.core.xml.model.VirtualPortParametersDef;
import org.vnetd.core.xml.model.VlanDef;
import org.vnetd.core.xml.model.VlanTagDef;

/**
 * Writes a {@link NetworkDef} the way libvirt's virNetworkDefFormatBuf does: same element and
 * attribute order, the same defaults filled in (bridge stp/delay, forward mode, managed), the same
 * omissions (zero values, empty sections), single quotes, two-space indent.
 */
final class NetworkFormatter {
    private final boolean inactive;
    private final XmlBuf buf = new XmlBuf();

    private NetworkFormatter(boolean inactive) {
        this.inactive = inactive;
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
            forward(def.getForward(), mode);
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
            dns(def.getDns());
        }
        vlan(def.getVlan());
        bandwidth(def.getBandwidth());
        if (def.getPort() != null && def.getPort().getIsolated() != null) {
            buf.add("<port").attr("isolated", def.getPort().getIsolated()).add("/>\n");
        }
        for (IpDef ip : def.getIps()) {
            ip(ip);
        }
        for (RouteDef r : def.getRoutes()) {
            route(r);
        }
        virtualPort(def.getVirtualPort());
        for (PortGroupDef pg : def.getPortGroups()) {
            portGroup(pg);
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

    private void forward(ForwardDef fwd, ForwardMode mode) {
        if (mode == ForwardMode.NONE) {
            return;
        }
        List<ForwardInterfaceDef> ifs = fwd.getInterfaces();
        List<PciAddressDef> addrs = ifs.isEmpty() ? fwd.getAddresses() : List.of();
        boolean hasPf = !fwd.getPfs().isEmpty();
        String dev = !hasPf && !ifs.isEmpty() ? ifs.get(0).getDev() : null;
        NatDef nat = mode == ForwardMode.NAT && !fwd.getNats().isEmpty() ? fwd.getNats().get(0) : null;
        ForwardDriverDef driver = fwd.getDriver();
        boolean hasDriver = driver != null && (driver.getName() != null || driver.getModel() != null);

        buf.add("<forward").attr("dev", dev).attr("mode", mode.xmlName());
        if (mode == ForwardMode.HOSTDEV) {
            buf.attr("managed", "yes".equals(fwd.getManaged()) ? "yes" : "no");
        }
        boolean natContent = nat != null && (natAddress(nat) != null || natPort(nat) != null);
        boolean natIpv6 = nat != null && nat.getIpv6() != null;
        boolean shortForward = ifs.isEmpty() && addrs.isEmpty() && !hasPf && !natContent && !hasDriver && !natIpv6;
        if (shortForward) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2);
        if (hasDriver) {
            buf.add("<driver").attr("name", driver.getName()).attr("model", driver.getModel()).add("/>\n");
        }
        if (nat != null) {
            nat(nat);
        }
        if (hasPf) {
            buf.add("<pf").attr("dev", fwd.getPfs().get(0).getDev()).add("/>\n");
        }
        if (!hasPf || !inactive) {
            for (ForwardInterfaceDef i : ifs) {
                buf.add("<interface").attr("dev", i.getDev());
                if (!inactive && positive(i.getConnections())) {
                    buf.attr("connections", i.getConnections());
                }
                buf.add("/>\n");
            }
            for (PciAddressDef a : addrs) {
                buf.add("<address").attr("type", "pci").attr("domain", a.getDomain()).attr("bus", a.getBus())
                        .attr("slot", a.getSlot()).attr("function", a.getFunction()).add("/>\n");
            }
        }
        buf.indent(-2).add("</forward>\n");
    }

    private static NatAddressDef natAddress(NatDef nat) {
        return nat.getAddresses().isEmpty() || nat.getAddresses().get(0).getStart() == null
                ? null : nat.getAddresses().get(0);
    }

    private static NatPortDef natPort(NatDef nat) {
        if (nat.getPorts().isEmpty()) {
            return null;
        }
        NatPortDef p = nat.getPorts().get(0);
        return positive(p.getStart()) || positive(p.getEnd()) ? p : null;
    }

    private void nat(NatDef nat) {
        NatAddressDef addr = natAddress(nat);
        NatPortDef port = natPort(nat);
        if (addr == null && port == null && nat.getIpv6() == null) {
            return;
        }
        buf.add("<nat").attr("ipv6", nat.getIpv6());
        if (addr == null && port == null) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2);
        if (addr != null) {
            buf.add("<address").attr("start", addr.getStart()).attr("end", addr.getEnd()).add("/>\n");
        }
        if (port != null) {
            buf.add("<port").attr("start", port.getStart() == null ? "0" : port.getStart());
            if (positive(port.getEnd())) {
                buf.attr("end", port.getEnd());
            }
            buf.add("/>\n");
        }
        buf.indent(-2).add("</nat>\n");
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

    private void dns(DnsDef dns) {
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

    private void ip(IpDef ip) {
        buf.add("<ip").attr("family", ip.getFamily()).attr("address", ip.getAddress())
                .attr("netmask", ip.getNetmask());
        if (positive(ip.getPrefix())) {
            buf.attr("prefix", ip.getPrefix());
        }
        buf.attr("localPtr", ip.getLocalPtr());
        String tftpRoot = ip.getTftp() == null ? null : ip.getTftp().getRoot();
        DhcpDef dhcp = ip.getDhcp();
        boolean hasDhcp = dhcp != null && (!dhcp.getRanges().isEmpty() || !dhcp.getHosts().isEmpty());
        if (tftpRoot == null && !hasDhcp) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2);
        if (tftpRoot != null) {
            buf.add("<tftp").attr("root", tftpRoot).add("/>\n");
        }
        if (hasDhcp) {
            buf.add("<dhcp>\n").indent(2);
            for (DhcpRangeDef r : dhcp.getRanges()) {
                buf.add("<range").attr("start", r.getStart()).attr("end", r.getEnd());
                lease(r.getLease(), "range");
            }
            for (DhcpHostDef h : dhcp.getHosts()) {
                buf.add("<host").attr("mac", h.getMac()).attr("id", h.getId()).attr("name", h.getName())
                        .attr("ip", h.getIp());
                lease(h.getLease(), "host");
            }
            if (!dhcp.getBootps().isEmpty() && dhcp.getBootps().get(0).getFile() != null) {
                buf.add("<bootp").attr("file", dhcp.getBootps().get(0).getFile())
                        .attr("server", dhcp.getBootps().get(0).getServer()).add("/>\n");
            }
            buf.indent(-2).add("</dhcp>\n");
        }
        buf.indent(-2).add("</ip>\n");
    }

    /** Closes a range/host start tag, with a {@code <lease>} child when one is set. */
    private void lease(LeaseDef lease, String element) {
        if (lease == null || lease.getExpiry() == null) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2);
        if ("0".equals(lease.getExpiry())) {
            buf.add("<lease expiry='0'/>\n");
        } else {
            buf.add("<lease").attr("expiry", lease.getExpiry())
                    .attr("unit", lease.getUnit() == null ? "minutes" : lease.getUnit()).add("/>\n");
        }
        buf.indent(-2).add("</").add(element).add(">\n");
    }

    private void route(RouteDef r) {
        buf.add("<route").attr("family", r.getFamily()).attr("address", r.getAddress())
                .attr("netmask", r.getNetmask()).attr("prefix", r.getPrefix()).attr("gateway", r.getGateway());
        if (positive(r.getMetric())) {
            buf.attr("metric", r.getMetric());
        }
        buf.add("/>\n");
    }

    private void vlan(VlanDef vlan) {
        if (vlan == null || vlan.getTags().isEmpty()) {
            return;
        }
        boolean trunk = vlan.getTags().size() > 1 || "yes".equals(vlan.getTrunk());
        buf.add("<vlan").add(trunk ? " trunk='yes'" : "").add(">\n").indent(2);
        for (VlanTagDef t : vlan.getTags()) {
            buf.add("<tag").attr("id", t.getId()).attr("nativeMode", t.getNativeMode()).add("/>\n");
        }
        buf.indent(-2).add("</vlan>\n");
    }

    private void bandwidth(BandwidthDef bw) {
        if (bw == null || (bw.getInbound() == null && bw.getOutbound() == null)) {
            return;
        }
        buf.add("<bandwidth");
        if (positive(bw.getClassID())) {
            buf.attr("classID", bw.getClassID());
        }
        buf.add(">\n").indent(2);
        rate(bw.getInbound(), "inbound");
        rate(bw.getOutbound(), "outbound");
        buf.indent(-2).add("</bandwidth>\n");
    }

    private void rate(BandwidthRateDef r, String element) {
        if (r == null || !(positive(r.getAverage()) || positive(r.getFloor()))) {
            return;
        }
        buf.add("<").add(element);
        for (String[] a : new String[][] {{"average", r.getAverage()}, {"peak", r.getPeak()},
                {"floor", r.getFloor()}, {"burst", r.getBurst()}}) {
            if (positive(a[1])) {
                buf.attr(a[0], a[1]);
            }
        }
        buf.add("/>\n");
    }

    private void virtualPort(VirtualPortDef vp) {
        if (vp == null) {
            return;
        }
        String type = vp.getType();
        VirtualPortParametersDef p = vp.getParameters();
        boolean qbg = type == null || "802.1Qbg".equals(type);
        boolean iface = type == null || "openvswitch".equals(type) || "midonet".equals(type);
        boolean profile = type == null || "openvswitch".equals(type) || "802.1Qbh".equals(type);
        boolean noParams = p == null || (p.getManagerid() == null && p.getTypeid() == null
                && p.getTypeidversion() == null && p.getInstanceid() == null
                && (p.getProfileid() == null || p.getProfileid().isEmpty()) && p.getInterfaceid() == null);
        if (type == null && noParams) {
            return;
        }
        buf.add("<virtualport").attr("type", type);
        if (noParams) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2).add("<parameters");
        if (qbg) {
            buf.attr("managerid", p.getManagerid()).attr("typeid", p.getTypeid())
                    .attr("typeidversion", p.getTypeidversion()).attr("instanceid", p.getInstanceid());
        }
        if (iface) {
            buf.attr("interfaceid", p.getInterfaceid());
        }
        if (profile && p.getProfileid() != null && !p.getProfileid().isEmpty()) {
            buf.attr("profileid", p.getProfileid());
        }
        buf.add("/>\n").indent(-2).add("</virtualport>\n");
    }

    private void portGroup(PortGroupDef pg) {
        buf.add("<portgroup").attr("name", pg.getName());
        if ("yes".equals(pg.getIsDefault())) {
            buf.attr("default", "yes");
        }
        buf.attr("trustGuestRxFilters", pg.getTrustGuestRxFilters());
        buf.add(">\n").indent(2);
        vlan(pg.getVlan());
        virtualPort(pg.getVirtualPort());
        bandwidth(pg.getBandwidth());
        buf.indent(-2).add("</portgroup>\n");
    }

    private static boolean positive(String number) {
        if (number == null || number.isEmpty()) {
            return false;
        }
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c != '0') {
                return c >= '1' && c <= '9' || c == 'x' || c == 'X' || Character.isDigit(c);
            }
        }
        return false;
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }
}
