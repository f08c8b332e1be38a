package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlBuf.positive;

import org.vnetd.core.xml.model.BandwidthDef;
import org.vnetd.core.xml.model.BandwidthRateDef;
import org.vnetd.core.xml.model.PortGroupDef;
import org.vnetd.core.xml.model.VirtualPortDef;
import org.vnetd.core.xml.model.VirtualPortParametersDef;
import org.vnetd.core.xml.model.VlanDef;
import org.vnetd.core.xml.model.VlanTagDef;

/**
 * The port settings a network and each of its portgroups carry: {@code <vlan>}, {@code <bandwidth>} and
 * {@code <virtualport>} (libvirt's virNetDevVlanFormat, virNetDevBandwidthFormat, virNetDevVPortProfileFormat),
 * and {@code <portgroup>} itself.
 */
final class PortProfileFormatter {
    private final XmlBuf buf;

    PortProfileFormatter(XmlBuf buf) {
        this.buf = buf;
    }

    void vlan(VlanDef vlan) {
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

    void bandwidth(BandwidthDef bw) {
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

    void virtualPort(VirtualPortDef vp) {
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

    void portGroup(PortGroupDef pg) {
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
}
